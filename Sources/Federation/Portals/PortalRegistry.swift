import Audit
import Citizens
import Crypto
import Foundation
import Storage
import Support

/// The registered portals: adding, changing, disabling, rotating secrets, and the lookups token requests make.
///
/// Every change commits in one write with its audit record (`portal.added`, `portal.updated`, `portal.disabled`,
/// `portal.enabled`, `portal.secret.rotated`; subject `portal:<client id>`, actor `operator` for the command line or
/// `staff:<id>`). Lookups come from `PortalCache`. Client secrets leave this type only as the return value of the
/// call that made them. Methods block on the database; call them from worker threads.
public final class PortalRegistry: Sendable {
    /// The portal tables (versions 400–419).
    public static let migrations: [Migration] = PortalMigrations.all
    /// The longest grace period for the secret before a rotation: 30 days.
    public static let maxGraceSeconds = 30 * 86_400

    private let database: Database
    private let audit: AuditLog
    private let secretKey: SymmetricKey
    private let clock: any WallClock
    let cache: PortalCache

    /// A registry over `database` (migrated with `AuditLog.migrations` and `migrations`). `secretKey` is the
    /// client-secret key (`KeyDirectory.secret(.clientSecret, ...)`). Changes made by other processes are seen
    /// within `revalidationInterval` seconds.
    public init(database: Database, audit: AuditLog, secretKey: SymmetricKey, clock: any WallClock = SystemClock(),
                revalidationInterval: Double = 1) {
        self.database = database
        self.audit = audit
        self.secretKey = secretKey
        self.clock = clock
        cache = PortalCache(database: database, revalidationInterval: revalidationInterval)
    }

    // MARK: Looking up

    /// Every portal, by client id (case ignored in the order).
    public func list() throws -> [Portal] {
        try cache.snapshot().ordered.map(\.portal)
    }

    /// The portal with exactly this client id (OAuth client ids are case-sensitive), enabled or not; nil when none.
    public func portal(clientID: String) throws -> Portal? {
        try cache.snapshot().rows[clientID]?.portal
    }

    /// Whether `presented` is the client secret of the enabled portal `clientID`: the current secret, or the one
    /// before the last rotation while its grace period lasts. Compared in constant time. False for unknown or disabled
    /// portals and portals without a secret; a storage failure also answers false, so authentication fails closed.
    public func verifySecret(clientID: String, presented: String) -> Bool {
        guard let row = try? cache.snapshot().rows[clientID], row.portal.enabled, let current = row.secretHash else {
            // The same hashing work as for a known portal; client ids are not secret, but timing need not tell them apart.
            _ = ClientSecret.matches(presented, clientID: clientID, anyOf: [], key: secretKey)
            return false
        }
        var hashes = [current]
        if let previous = row.previousSecretHash, let until = row.portal.previousSecretExpiresAt, clock.now() < until {
            hashes.append(previous)
        }
        return ClientSecret.matches(presented, clientID: clientID, anyOf: hashes, key: secretKey)
    }

    // MARK: Changing

    /// Registers a portal; when it authenticates with a client secret, makes one and returns it (show it once).
    /// - Throws: `PortalError.invalid` listing every field problem, `.clientIDTaken` when another portal has this
    ///   client id (case ignored); nothing is written then.
    public func add(_ draft: PortalDraft, actor: String, source: RequestSource? = nil) throws -> PortalRegistration {
        let settings = try PortalValidation.check(draft)
        let clientID = draft.clientID
        let secret = settings.usesSecret ? ClientSecret.generate() : nil
        let hash = secret.map { ClientSecret.hash(clientID: clientID, secret: $0, key: secretKey) }
        let now = PortalTime.millis(clock.now())
        let audit = self.audit
        let portal = try database.write { db -> Portal in
            if try PortalRow.existsIgnoringCase(clientID, db) { throw PortalError.clientIDTaken }
            try PortalRow.insert(clientID: clientID, settings: settings, secretHash: hash, now: now, actor: actor, db)
            var details = Self.summary(settings)
            details["secret"] = secret == nil ? "none" : "issued"
            try audit.append(AuditEvent(kind: "portal.added", actor: actor, subject: "portal:\(clientID)", sourceAddress: source?.address,
                                        details: details), using: db)
            return try PortalRow.find(clientID, db)!.portal
        }
        cache.invalidate()
        return PortalRegistration(portal: portal, secret: secret)
    }

    /// Replaces a portal's settings with `draft`'s (its client id must be `clientID`: client ids never change).
    /// The secret is kept while a secret method stays; made (and returned) when the first secret method is added;
    /// removed with the last one. Changing nothing writes and records nothing.
    /// - Throws: `PortalError.notFound`, `.invalid` listing every field problem; nothing is written then.
    public func update(clientID: String, with draft: PortalDraft, actor: String, source: RequestSource? = nil) throws -> PortalRegistration {
        // An unknown portal is 404 before its draft is judged; read from the table, not the copy another process may have outdated.
        guard try database.read({ try PortalRow.find(clientID, $0) }) != nil else { throw PortalError.notFound }
        guard draft.clientID == clientID else { throw PortalError.invalid([PortalFieldError(PortalField.clientID, .notAllowed)]) }
        let settings = try PortalValidation.check(draft)
        let candidate = ClientSecret.generate()
        let hash = ClientSecret.hash(clientID: clientID, secret: candidate, key: secretKey)
        let now = PortalTime.millis(clock.now())
        let audit = self.audit
        let (portal, madeSecret, changed) = try database.write { db -> (Portal, Bool, Bool) in
            guard let row = try PortalRow.find(clientID, db) else { throw PortalError.notFound }
            let change: SecretChange = switch (settings.usesSecret, row.secretHash != nil) {
            case (true, false): .set(hash)
            case (false, true): .remove
            default: .keep
            }
            let fields = Self.changedFields(row.portal.settings, settings)
            guard !fields.isEmpty else { return (row.portal, false, false) }
            try PortalRow.update(clientID: clientID, settings: settings, secret: change, now: now, db)
            var details = Self.summary(settings)
            details["changed"] = fields.joined(separator: ",")
            if case .set = change { details["secret"] = "issued" }
            if case .remove = change { details["secret"] = "removed" }
            try audit.append(AuditEvent(kind: "portal.updated", actor: actor, subject: "portal:\(clientID)", sourceAddress: source?.address,
                                        details: details), using: db)
            let madeSecret: Bool = if case .set = change { true } else { false }
            return (try PortalRow.find(clientID, db)!.portal, madeSecret, true)
        }
        if changed { cache.invalidate() }
        return PortalRegistration(portal: portal, secret: madeSecret ? candidate : nil)
    }

    /// Disables a portal: every later lookup sees it disabled and its secret stops working. Disabling a disabled
    /// portal changes and records nothing. - Throws: `PortalError.notFound`.
    @discardableResult
    public func disable(clientID: String, actor: String, source: RequestSource? = nil) throws -> Portal {
        try setEnabled(false, clientID: clientID, actor: actor, source: source)
    }

    /// Enables a disabled portal; enabling an enabled one changes and records nothing. - Throws: `PortalError.notFound`.
    @discardableResult
    public func enable(clientID: String, actor: String, source: RequestSource? = nil) throws -> Portal {
        try setEnabled(true, clientID: clientID, actor: actor, source: source)
    }

    /// Replaces the portal's client secret with a new one and returns it (show it once). With `graceSeconds` > 0 the
    /// secret it replaces keeps working that long, so the portal can switch without downtime; with 0 (the default) it
    /// stops at once. A grace period left from an earlier rotation ends: only the newest old secret lingers.
    /// - Throws: `PortalError.notFound`, `.noSecret` for a portal without a secret method, `.invalid` (graceSeconds)
    ///   outside 0…`maxGraceSeconds`.
    public func rotateSecret(clientID: String, graceSeconds: Int = 0, actor: String,
                             source: RequestSource? = nil) throws -> PortalSecretRotation {
        guard (0...Self.maxGraceSeconds).contains(graceSeconds) else {
            throw PortalError.invalid([PortalFieldError(PortalField.graceSeconds, .outOfRange)])
        }
        let secret = ClientSecret.generate()
        let hash = ClientSecret.hash(clientID: clientID, secret: secret, key: secretKey)
        let now = PortalTime.millis(clock.now())
        let audit = self.audit
        let portal = try database.write { db -> Portal in
            guard let row = try PortalRow.find(clientID, db) else { throw PortalError.notFound }
            guard row.portal.settings.usesSecret else { throw PortalError.noSecret }
            let keepsPrevious = graceSeconds > 0 && row.secretHash != nil
            try PortalRow.setSecret(clientID: clientID, hash: hash, previousHash: keepsPrevious ? row.secretHash : nil,
                                    previousExpiresAt: keepsPrevious ? now + Int64(graceSeconds) * 1000 : nil, now: now, db)
            try audit.append(AuditEvent(kind: "portal.secret.rotated", actor: actor, subject: "portal:\(clientID)",
                                        sourceAddress: source?.address, details: ["graceSeconds": String(graceSeconds)]), using: db)
            return try PortalRow.find(clientID, db)!.portal
        }
        cache.invalidate()
        return PortalSecretRotation(portal: portal, secret: secret)
    }

    /// Records, in its own write, that `actor` was refused `action` (`add`, `update`, `disable`, ...) because their
    /// role does not allow it. `clientID` is named only when it is a well-formed client id.
    public func recordDenied(action: String, clientID: String?, actor: String, source: RequestSource? = nil) throws {
        let subject = clientID.flatMap { PortalValidation.clientIDProblem($0) == nil ? "portal:\($0)" : nil }
        try audit.append(AuditEvent(kind: "portal.denied", actor: actor, subject: subject, sourceAddress: source?.address,
                                    details: ["action": action]), to: database)
    }

    private func setEnabled(_ enabled: Bool, clientID: String, actor: String, source: RequestSource?) throws -> Portal {
        let now = PortalTime.millis(clock.now())
        let audit = self.audit
        let (portal, changed) = try database.write { db -> (Portal, Bool) in
            guard let row = try PortalRow.find(clientID, db) else { throw PortalError.notFound }
            guard row.portal.enabled != enabled else { return (row.portal, false) }
            try PortalRow.setEnabled(clientID: clientID, enabled, now: now, db)
            try audit.append(AuditEvent(kind: enabled ? "portal.enabled" : "portal.disabled", actor: actor, subject: "portal:\(clientID)",
                                        sourceAddress: source?.address), using: db)
            return (try PortalRow.find(clientID, db)!.portal, true)
        }
        if changed { cache.invalidate() }
        return portal
    }

    /// The audit facts of a portal's settings: small, no URIs (they may be long), no keys.
    private static func summary(_ settings: PortalSettings) -> [String: String] {
        ["dialect": settings.dialect.rawValue, "signingAlgorithm": settings.signingAlgorithm.rawValue,
         "authMethods": settings.authMethods.map(\.rawValue).joined(separator: " "), "minimumLevel": settings.minimumLevel.rawValue,
         "scopes": settings.allowedScopes.map(\.rawValue).joined(separator: " "), "redirectUris": String(settings.redirectURIs.count),
         "certificate": settings.certificate == nil ? "none" : (settings.certificatePinned ? "pinned" : "trust-store")]
    }

    /// The names of the fields that differ, in `PortalField` names.
    private static func changedFields(_ old: PortalSettings, _ new: PortalSettings) -> [String] {
        var fields: [String] = []
        if old.name != new.name { fields.append(PortalField.name) }
        if old.redirectURIs != new.redirectURIs { fields.append(PortalField.redirectURIs) }
        if old.postLogoutRedirectURIs != new.postLogoutRedirectURIs { fields.append(PortalField.postLogoutRedirectURIs) }
        if old.backchannelLogoutURI != new.backchannelLogoutURI { fields.append(PortalField.backchannelLogoutURI) }
        if old.allowedScopes != new.allowedScopes { fields.append(PortalField.scopes) }
        if old.minimumLevel != new.minimumLevel { fields.append(PortalField.minimumLevel) }
        if old.dialect != new.dialect { fields.append(PortalField.dialect) }
        if old.signingAlgorithm != new.signingAlgorithm { fields.append(PortalField.signingAlgorithm) }
        if old.authMethods != new.authMethods { fields.append(PortalField.authMethods) }
        if old.jwksURI != new.jwksURI { fields.append(PortalField.jwksURI) }
        if old.jwks != new.jwks { fields.append(PortalField.jwks) }
        if old.certificate != new.certificate { fields.append(PortalField.certificate) }
        if old.certificatePinned != new.certificatePinned { fields.append(PortalField.pinned) }
        return fields
    }
}
