import Citizens
import Foundation
import Storage

/// The SQL of grants, authorization codes and refresh tokens; every function runs inside the caller's read or write,
/// so a flow's changes and its audit record commit together.
enum GrantStore {
    // MARK: Grants

    static func insert(_ grant: Grant, _ db: any SQLExecutor) throws {
        try db.execute("""
            INSERT INTO oauth_grants (grant_id, citizen_id, public_id, client_id, scopes, session_handle, sid, auth_time, acr, amr, created_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, [.text(grant.grantID), .integer(grant.citizenID), .text(grant.publicID), .text(grant.clientID),
                  .text(ScopeList.format(grant.scopes)), .text(grant.sessionHandle), .text(grant.sid),
                  .integer(OAuthTime.millis(grant.authTime)), .text(grant.acr.rawValue), .text(grant.amr.joined(separator: " ")),
                  .integer(OAuthTime.millis(grant.createdAt))])
    }

    static let grantColumns = "g.grant_id, g.citizen_id, g.public_id, g.client_id, g.scopes, g.session_handle, g.sid, g.auth_time, g.acr, g.amr, g.created_at, g.revoked_at"

    static func grant(_ row: SQLRow) throws -> (Grant, revoked: Bool) {
        let grant = Grant(grantID: try row.string("grant_id"), citizenID: try row.int64("citizen_id"), publicID: try row.string("public_id"),
                          clientID: try row.string("client_id"), scopes: try ScopeList.parse(try row.string("scopes")),
                          sessionHandle: try row.string("session_handle"), sid: try row.string("sid"),
                          authTime: OAuthTime.date(try row.int64("auth_time")), acr: AccountLevel(rawValue: try row.string("acr")) ?? .simplified,
                          amr: try row.string("amr").split(separator: " ").map(String.init),
                          createdAt: OAuthTime.date(try row.int64("created_at")))
        return (grant, try row.optionalInt64("revoked_at") != nil)
    }

    /// Revokes a grant not revoked yet: its refresh tokens stop at once, its access tokens through the revocation list
    /// (an entry kept until the longest-lived of them has expired). Returns false when it was already revoked.
    static func revoke(grantID: String, now: Date, accessTokenLifetime: TimeInterval, _ db: any SQLExecutor) throws -> Bool {
        let millis = OAuthTime.millis(now)
        guard try db.execute("UPDATE oauth_grants SET revoked_at = ? WHERE grant_id = ? AND revoked_at IS NULL",
                             [.integer(millis), .text(grantID)]) > 0 else { return false }
        try db.execute("UPDATE oauth_refresh_tokens SET revoked_at = ? WHERE grant_id = ? AND revoked_at IS NULL",
                       [.integer(millis), .text(grantID)])
        try RevocationList.insert(RevocationList.grantKey(grantID), expiresAt: now.addingTimeInterval(accessTokenLifetime + 120), db)
        return true
    }

    /// The grants of a citizen and portal not revoked yet.
    static func liveGrantIDs(citizenID: Int64, clientID: String, _ db: any SQLExecutor) throws -> [String] {
        try db.query("SELECT grant_id FROM oauth_grants WHERE citizen_id = ? AND client_id = ? AND revoked_at IS NULL",
                     [.integer(citizenID), .text(clientID)]).map { try $0.string(0) }
    }

    /// The portals that got a code in a login session, in the order they first did.
    static func portals(sessionHandle: String, _ db: any SQLExecutor) throws -> [String] {
        try db.query("SELECT client_id, MIN(created_at) AS first FROM oauth_grants WHERE session_handle = ? GROUP BY client_id ORDER BY first, client_id",
                     [.text(sessionHandle)]).map { try $0.string("client_id") }
    }

    // MARK: Codes

    static func insertCode(hash: [UInt8], grantID: String, redirectURI: String, challenge: String?, nonce: String?,
                           expiresAt: Date, _ db: any SQLExecutor) throws {
        try db.execute("""
            INSERT INTO oauth_codes (code_hash, grant_id, redirect_uri, code_challenge, nonce, expires_at) VALUES (?, ?, ?, ?, ?, ?)
            """, [.blob(hash), .text(grantID), .text(redirectURI), SQLValue(challenge), SQLValue(nonce), .integer(OAuthTime.millis(expiresAt))])
    }

    /// A stored code with its grant.
    struct CodeRow {
        var grant: Grant
        var grantRevoked: Bool
        var redirectURI: String
        var challenge: String?
        var nonce: String?
        var expiresAt: Date
        var used: Bool
    }

    static func code(hash: [UInt8], _ db: any SQLExecutor) throws -> CodeRow? {
        try db.queryOne("""
            SELECT \(grantColumns), c.redirect_uri, c.code_challenge, c.nonce, c.expires_at, c.used_at
            FROM oauth_codes c JOIN oauth_grants g ON g.grant_id = c.grant_id WHERE c.code_hash = ?
            """, [.blob(hash)]).map { row in
            let (grant, revoked) = try Self.grant(row)
            return CodeRow(grant: grant, grantRevoked: revoked, redirectURI: try row.string("redirect_uri"),
                           challenge: try row.optionalString("code_challenge"), nonce: try row.optionalString("nonce"),
                           expiresAt: OAuthTime.date(try row.int64("expires_at")), used: try row.optionalInt64("used_at") != nil)
        }
    }

    static func markCodeUsed(hash: [UInt8], now: Date, _ db: any SQLExecutor) throws {
        try db.execute("UPDATE oauth_codes SET used_at = ? WHERE code_hash = ?", [.integer(OAuthTime.millis(now)), .blob(hash)])
    }

    // MARK: Refresh tokens

    static func insertRefresh(hash: [UInt8], grantID: String, clientID: String, scopes: [Scope], now: Date, expiresAt: Date,
                              _ db: any SQLExecutor) throws {
        try db.execute("""
            INSERT INTO oauth_refresh_tokens (token_hash, grant_id, client_id, scopes, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)
            """, [.blob(hash), .text(grantID), .text(clientID), .text(ScopeList.format(scopes)), .integer(OAuthTime.millis(now)),
                  .integer(OAuthTime.millis(expiresAt))])
    }

    /// A stored refresh token with its grant.
    struct RefreshRow {
        var grant: Grant
        var grantRevoked: Bool
        var clientID: String
        var scopes: [Scope]
        var expiresAt: Date
        var used: Bool
        var revoked: Bool
    }

    static func refresh(hash: [UInt8], _ db: any SQLExecutor) throws -> RefreshRow? {
        try db.queryOne("""
            SELECT \(grantColumns), r.client_id AS token_client, r.scopes AS token_scopes, r.expires_at, r.used_at, r.revoked_at AS token_revoked
            FROM oauth_refresh_tokens r JOIN oauth_grants g ON g.grant_id = r.grant_id WHERE r.token_hash = ?
            """, [.blob(hash)]).map { row in
            let (grant, revoked) = try Self.grant(row)
            return RefreshRow(grant: grant, grantRevoked: revoked, clientID: try row.string("token_client"),
                              scopes: try ScopeList.parse(try row.string("token_scopes")),
                              expiresAt: OAuthTime.date(try row.int64("expires_at")), used: try row.optionalInt64("used_at") != nil,
                              revoked: try row.optionalInt64("token_revoked") != nil)
        }
    }

    static func markRefreshUsed(hash: [UInt8], now: Date, _ db: any SQLExecutor) throws {
        try db.execute("UPDATE oauth_refresh_tokens SET used_at = ? WHERE token_hash = ?", [.integer(OAuthTime.millis(now)), .blob(hash)])
    }

    // MARK: Clean-up

    /// Deletes what can no longer be used: expired pending requests, codes and refresh tokens (revoked and rotated
    /// ones too, once past their own expiry), revocation entries whose tokens have all expired, and grants with nothing
    /// left that refers to them once revoked or old. At most `limit` rows per table, each table in its own write, so a
    /// large backlog never holds the writer long. Returns the rows removed by table.
    static func purgeExpired(now: Date, grantRetention: TimeInterval, limit: Int, database: Database) throws -> [(table: String, removed: Int)] {
        let millis = OAuthTime.millis(now)
        let bound = Int64(max(0, limit))
        let statements: [(String, String, Int64)] = [
            ("oauth_pending", "SELECT rowid FROM oauth_pending WHERE expires_at <= ? LIMIT ?", millis),
            ("oauth_codes", "SELECT rowid FROM oauth_codes WHERE expires_at <= ? LIMIT ?", millis),
            ("oauth_refresh_tokens", "SELECT rowid FROM oauth_refresh_tokens WHERE expires_at <= ? LIMIT ?", millis),
            ("oauth_revocations", "SELECT rowid FROM oauth_revocations WHERE expires_at <= ? LIMIT ?", millis),
            ("oauth_grants", """
                SELECT rowid FROM oauth_grants WHERE created_at <= ?
                AND NOT EXISTS (SELECT 1 FROM oauth_refresh_tokens r WHERE r.grant_id = oauth_grants.grant_id)
                AND NOT EXISTS (SELECT 1 FROM oauth_codes c WHERE c.grant_id = oauth_grants.grant_id) LIMIT ?
                """, millis - Int64(grantRetention * 1000)),
        ]
        return try statements.map { table, select, cutoff in
            let removed = try database.write { db in
                try db.execute("DELETE FROM \(table) WHERE rowid IN (\(select))", [.integer(cutoff), .integer(bound)])
            }
            return (table, removed)
        }
    }
}
