import Citizens
import Foundation
import PKI
import Storage

/// One row of `portals` with its secret hashes, and the SQL that reads and writes it; stays inside this module.
struct PortalRow: Sendable {
    static let columns = """
        client_id, name, dialect, signing_algorithm, minimum_level, redirect_uris, post_logout_redirect_uris,
        backchannel_logout_uri, scopes, auth_methods, jwks_uri, jwks, certificate, certificate_pinned, enabled,
        secret_hash, secret_rotated_at, previous_secret_hash, previous_secret_expires_at, created_at, updated_at
        """

    let portal: Portal
    let secretHash: [UInt8]?
    let previousSecretHash: [UInt8]?

    init(_ row: SQLRow) throws {
        let clientID = try row.string("client_id")
        func decode<T: RawRepresentable<String>>(_ column: String, as type: T.Type) throws -> T {
            let text = try row.string(column)
            guard let value = T(rawValue: text) else {
                throw StorageError(.typeMismatch, "portal \(clientID) has an unknown \(column) '\(text)'")
            }
            return value
        }
        func list<T: RawRepresentable<String>>(_ column: String, as type: T.Type) throws -> [T] {
            try Self.split(try row.string(column)).map { text in
                guard let value = T(rawValue: text) else {
                    throw StorageError(.typeMismatch, "portal \(clientID) has an unknown entry in \(column)")
                }
                return value
            }
        }
        var certificate: PortalCertificate?
        if let der = try row.optionalBlob("certificate") {
            let parsed = try Certificate(der: der)
            certificate = PortalCertificate(der: der, subject: parsed.subjectDescription, issuer: parsed.issuerDescription,
                                            serialNumber: parsed.serialNumberHex, notBefore: parsed.notBefore, notAfter: parsed.notAfter)
        }
        let settings = PortalSettings(
            name: try row.string("name"), redirectURIs: Self.split(try row.string("redirect_uris")),
            postLogoutRedirectURIs: Self.split(try row.string("post_logout_redirect_uris")),
            backchannelLogoutURI: try row.optionalString("backchannel_logout_uri"),
            allowedScopes: try list("scopes", as: Scope.self), minimumLevel: try decode("minimum_level", as: AccountLevel.self),
            dialect: try decode("dialect", as: PortalDialect.self), signingAlgorithm: try decode("signing_algorithm", as: SigningAlgorithm.self),
            authMethods: try list("auth_methods", as: ClientAuthMethod.self), jwksURI: try row.optionalString("jwks_uri"),
            jwks: try row.optionalString("jwks"), certificate: certificate, certificatePinned: try row.bool("certificate_pinned"))
        secretHash = try row.optionalBlob("secret_hash")
        previousSecretHash = try row.optionalBlob("previous_secret_hash")
        portal = Portal(clientID: clientID, settings: settings, enabled: try row.bool("enabled"),
                        createdAt: PortalTime.date(try row.int64("created_at")), updatedAt: PortalTime.date(try row.int64("updated_at")),
                        hasSecret: secretHash != nil, secretRotatedAt: try row.optionalInt64("secret_rotated_at").map(PortalTime.date),
                        previousSecretExpiresAt: try row.optionalInt64("previous_secret_expires_at").map(PortalTime.date))
    }

    // MARK: Reading

    static func all(_ db: any SQLExecutor) throws -> [PortalRow] {
        try db.query("SELECT \(columns) FROM portals ORDER BY lower(client_id)").map(PortalRow.init)
    }

    static func find(_ clientID: String, _ db: any SQLExecutor) throws -> PortalRow? {
        try db.queryOne("SELECT \(columns) FROM portals WHERE client_id = ?", [.text(clientID)]).map(PortalRow.init)
    }

    /// Whether a portal's client id equals this one but for case.
    static func existsIgnoringCase(_ clientID: String, _ db: any SQLExecutor) throws -> Bool {
        try db.queryOne("SELECT 1 FROM portals WHERE lower(client_id) = lower(?)", [.text(clientID)]) != nil
    }

    static func generation(_ db: any SQLExecutor) throws -> Int64 {
        try db.queryOne("SELECT value FROM portal_generation WHERE id = 1")?.int64("value") ?? 0
    }

    // MARK: Writing; each change bumps the generation in the same write

    static func insert(clientID: String, settings: PortalSettings, secretHash: [UInt8]?, now: Int64, actor: String,
                       _ db: any SQLExecutor) throws {
        try db.execute("""
            INSERT INTO portals (client_id, name, dialect, signing_algorithm, minimum_level, redirect_uris, post_logout_redirect_uris,
                backchannel_logout_uri, scopes, auth_methods, jwks_uri, jwks, certificate, certificate_pinned,
                secret_hash, secret_rotated_at, created_at, created_by, updated_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, [.text(clientID)] + settingsValues(settings)
                + [SQLValue(secretHash), secretHash == nil ? .null : .integer(now), .integer(now), .text(actor), .integer(now)])
        try bumpGeneration(db)
    }

    /// Replaces the settings. `secret` says what happens to the client secret: kept, replaced by a new hash, or removed.
    static func update(clientID: String, settings: PortalSettings, secret: SecretChange, now: Int64, _ db: any SQLExecutor) throws {
        try db.execute("""
            UPDATE portals SET name = ?, dialect = ?, signing_algorithm = ?, minimum_level = ?, redirect_uris = ?,
                post_logout_redirect_uris = ?, backchannel_logout_uri = ?, scopes = ?, auth_methods = ?, jwks_uri = ?, jwks = ?,
                certificate = ?, certificate_pinned = ?, updated_at = ?
            WHERE client_id = ?
            """, settingsValues(settings) + [.integer(now), .text(clientID)])
        switch secret {
        case .keep: break
        case .set(let hash):
            try writeSecret(clientID: clientID, hash: hash, previousHash: nil, previousExpiresAt: nil, now: now, db)
        case .remove:
            try db.execute("""
                UPDATE portals SET secret_hash = NULL, secret_rotated_at = NULL, previous_secret_hash = NULL,
                    previous_secret_expires_at = NULL WHERE client_id = ?
                """, [.text(clientID)])
        }
        try bumpGeneration(db)
    }

    static func setEnabled(clientID: String, _ enabled: Bool, now: Int64, _ db: any SQLExecutor) throws {
        try db.execute("UPDATE portals SET enabled = ?, updated_at = ? WHERE client_id = ?", [SQLValue(enabled), .integer(now), .text(clientID)])
        try bumpGeneration(db)
    }

    static func setSecret(clientID: String, hash: [UInt8], previousHash: [UInt8]?, previousExpiresAt: Int64?, now: Int64,
                          _ db: any SQLExecutor) throws {
        try writeSecret(clientID: clientID, hash: hash, previousHash: previousHash, previousExpiresAt: previousExpiresAt, now: now, db)
        try bumpGeneration(db)
    }

    private static func writeSecret(clientID: String, hash: [UInt8], previousHash: [UInt8]?, previousExpiresAt: Int64?, now: Int64,
                                    _ db: any SQLExecutor) throws {
        try db.execute("""
            UPDATE portals SET secret_hash = ?, secret_rotated_at = ?, previous_secret_hash = ?, previous_secret_expires_at = ?,
                updated_at = ? WHERE client_id = ?
            """, [.blob(hash), .integer(now), SQLValue(previousHash), SQLValue(previousExpiresAt), .integer(now), .text(clientID)])
    }

    private static func bumpGeneration(_ db: any SQLExecutor) throws {
        try db.execute("UPDATE portal_generation SET value = value + 1 WHERE id = 1")
    }

    private static func settingsValues(_ settings: PortalSettings) -> [SQLValue] {
        [.text(settings.name), .text(settings.dialect.rawValue), .text(settings.signingAlgorithm.rawValue),
         .text(settings.minimumLevel.rawValue), .text(settings.redirectURIs.joined(separator: " ")),
         .text(settings.postLogoutRedirectURIs.joined(separator: " ")), SQLValue(settings.backchannelLogoutURI),
         .text(settings.allowedScopes.map(\.rawValue).joined(separator: " ")),
         .text(settings.authMethods.map(\.rawValue).joined(separator: " ")), SQLValue(settings.jwksURI), SQLValue(settings.jwks),
         SQLValue(settings.certificate?.der), SQLValue(settings.certificatePinned)]
    }

    private static func split(_ text: String) -> [String] {
        text.split(separator: " ").map(String.init)
    }
}

/// What an update does to the client secret.
enum SecretChange: Sendable {
    /// Leave it as it is.
    case keep
    /// A new secret's hash (the portal gained a secret method).
    case set([UInt8])
    /// No secret any more (the portal dropped its secret methods).
    case remove
}

/// Times are stored as integer milliseconds since 1970.
enum PortalTime {
    static func millis(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 * 1000).rounded(.down)) }
    static func date(_ millis: Int64) -> Date { Date(timeIntervalSince1970: Double(millis) / 1000) }
}
