import Crypto
import Foundation
import Storage

/// An authorization request waiting for the citizen to log in or consent.
public struct PendingAuthorization: Sendable, Equatable {
    /// The random id the login page's return address and the consent form carry.
    public let id: String
    /// The validated request.
    public let request: AuthorizationRequest
    /// When the request arrived; `prompt=login` wants a login made after this.
    public let createdAt: Date
}

/// Pending requests in the database (every node sees them), keyed by a hash of their random id and bound to the browser
/// that made them: the id alone, leaked through a log or a Referer, resumes nothing in another browser.
struct PendingAuthorizations: Sendable {
    let database: Database
    let hasher: TokenHasher
    let lifetime: TimeInterval

    /// Stores `request` for the browser holding `browser` (the binding cookie's value); returns the new id.
    func create(_ request: AuthorizationRequest, browser: String, now: Date) throws -> String {
        let id = TokenHasher.secret()
        let json = String(decoding: try JSONEncoder().encode(request), as: UTF8.self)
        let values: [SQLValue] = [.blob(hasher.hash("pending", id)), .blob(hasher.hash("browser", browser)), .text(request.clientID),
                                  .text(json), .integer(OAuthTime.millis(now)), .integer(OAuthTime.millis(now.addingTimeInterval(lifetime)))]
        try database.write { db in
            try db.execute("""
                INSERT INTO oauth_pending (id_hash, browser_hash, client_id, request, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)
                """, values)
        }
        return id
    }

    /// The pending request `id` of this browser, unless unknown, expired or made in another browser.
    func find(id: String, browser: String, now: Date) throws -> PendingAuthorization? {
        guard id.utf8.count <= 64, browser.utf8.count <= 64 else { return nil }
        let idHash = hasher.hash("pending", id)
        guard let row = try database.read({ db in
            try db.queryOne("SELECT browser_hash, request, created_at, expires_at FROM oauth_pending WHERE id_hash = ?", [.blob(idHash)])
        }) else { return nil }
        guard OAuthTime.millis(now) < (try row.int64("expires_at")),
              ConstantTime.equals(try row.blob("browser_hash"), hasher.hash("browser", browser)) else { return nil }
        let request = try JSONDecoder().decode(AuthorizationRequest.self, from: Data(try row.string("request").utf8))
        return PendingAuthorization(id: id, request: request, createdAt: OAuthTime.date(try row.int64("created_at")))
    }

    /// Deletes a pending request inside the caller's write (when it is answered).
    func delete(id: String, _ db: any SQLExecutor) throws {
        try db.execute("DELETE FROM oauth_pending WHERE id_hash = ?", [.blob(hasher.hash("pending", id))])
    }
}

