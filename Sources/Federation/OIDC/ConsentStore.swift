import Foundation
import Storage

/// A citizen's standing consent for one portal.
public struct ConsentRecord: Sendable, Equatable {
    /// The portal.
    public var clientID: String
    /// Every scope consented to so far, in `Scope.allCases` order.
    public var scopes: [Scope]
    /// When consent was first given.
    public var grantedAt: Date
    /// When it last grew.
    public var updatedAt: Date
}

/// Consent remembered per citizen and portal. A request is covered when its scopes are a subset of those consented;
/// a request for more shows the consent page again, and its answer replaces the set with the union.
enum ConsentStore {
    static func consented(citizenID: Int64, clientID: String, _ db: any SQLExecutor) throws -> Set<Scope>? {
        try db.queryOne("SELECT scopes FROM oauth_consents WHERE citizen_id = ? AND client_id = ?", [.integer(citizenID), .text(clientID)])
            .map { Set(try ScopeList.parse(try $0.string("scopes"))) }
    }

    static func list(citizenID: Int64, _ db: any SQLExecutor) throws -> [ConsentRecord] {
        try db.query("SELECT client_id, scopes, granted_at, updated_at FROM oauth_consents WHERE citizen_id = ? ORDER BY granted_at, client_id",
                     [.integer(citizenID)]).map { row in
            ConsentRecord(clientID: try row.string("client_id"), scopes: try ScopeList.parse(try row.string("scopes")),
                          grantedAt: OAuthTime.date(try row.int64("granted_at")), updatedAt: OAuthTime.date(try row.int64("updated_at")))
        }
    }

    /// Adds `scopes` to the consent on file; returns the scopes that were not consented before.
    static func record(citizenID: Int64, clientID: String, scopes: [Scope], now: Date, _ db: any SQLExecutor) throws -> [Scope] {
        let before = try consented(citizenID: citizenID, clientID: clientID, db) ?? []
        let added = scopes.filter { !before.contains($0) }
        guard !added.isEmpty else { return [] }
        let union = Scope.allCases.filter { before.contains($0) || scopes.contains($0) }
        let millis = OAuthTime.millis(now)
        try db.execute("""
            INSERT INTO oauth_consents (citizen_id, client_id, scopes, granted_at, updated_at) VALUES (?, ?, ?, ?, ?)
            ON CONFLICT (citizen_id, client_id) DO UPDATE SET scopes = excluded.scopes, updated_at = excluded.updated_at
            """, [.integer(citizenID), .text(clientID), .text(ScopeList.format(union)), .integer(millis), .integer(millis)])
        return added
    }

    /// Removes the consent; true when there was one.
    static func delete(citizenID: Int64, clientID: String, _ db: any SQLExecutor) throws -> Bool {
        try db.execute("DELETE FROM oauth_consents WHERE citizen_id = ? AND client_id = ?", [.integer(citizenID), .text(clientID)]) > 0
    }
}
