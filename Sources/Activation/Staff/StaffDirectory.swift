import Audit
import Citizens
import Crypto
import Foundation
import Storage
import Support

/// Settings of staff accounts that come from configuration.
public struct StaffSettings: Sendable {
    /// scrypt cost of new password hashes; older hashes are upgraded at the next login.
    public var passwordParameters = ScryptParameters.standard
    /// The issuer shown in authenticator apps.
    public var totpIssuer = "OpenESIA"
    /// Time steps accepted either side of now (clock drift, typing time).
    public var totpWindow = 1

    /// The defaults.
    public init() {}
}

/// Staff accounts: creation, password + TOTP login, lookup, and the management actions, each audited.
///
/// Passwords are scrypt hashes; TOTP secrets and SNILS are sealed with AES-256-GCM under the data key ring,
/// bound to the row (`staff:<id>:totp`, `staff:<id>:snils`); the SNILS is found through its blind index, the
/// same keyed HMAC the citizens' table uses. Every change commits with its audit record in one write.
/// scrypt runs before the write, never inside it. Methods block; call them from worker threads.
public final class StaffDirectory: Sendable {
    /// The staff table (version 220). Apply together with `CentreDirectory.migrations` (230).
    public static let migrations: [Migration] = StaffMigrations.all

    /// The sessions staff logins create: give it `SessionPolicy.staff`.
    public let sessions: SessionStore
    /// The settings in force.
    public let settings: StaffSettings
    let database: Database
    let vault: PersonalDataVault
    let audit: AuditLog
    private let throttle: LoginThrottle
    private let hashKey: SymmetricKey
    private let clock: any WallClock
    /// A hash of a random password, checked for unknown logins so they cost as much as known ones.
    private let unknownLoginHash: String
    /// A random TOTP secret, checked for unknown logins for the same reason.
    private let unknownLoginSecret: [UInt8]

    /// A directory over `database` (migrated with `migrations`, `CentreDirectory.migrations`, `SessionStore.migrations`
    /// and `AuditLog.migrations`). `hashKey` is the token-hash secret, used to key throttling of unknown logins.
    public init(database: Database, vault: PersonalDataVault, audit: AuditLog, sessions: SessionStore, throttle: LoginThrottle,
                hashKey: SymmetricKey, settings: StaffSettings = .init(), clock: any WallClock = SystemClock()) {
        self.database = database
        self.vault = vault
        self.audit = audit
        self.sessions = sessions
        self.throttle = throttle
        self.hashKey = hashKey
        self.settings = settings
        self.clock = clock
        unknownLoginHash = (try? PasswordHash.make(password: Hex.encode(SecureRandom.bytes(16)), parameters: settings.passwordParameters)) ?? ""
        unknownLoginSecret = TOTP.newSecret()
    }

    // MARK: Creating accounts

    /// Creates an account and returns its id and the otpauth URI to enrol an authenticator with (shown once).
    ///
    /// Checks every field (login 3–64 of a–z 0–9 . _ -, display name, a centre for operators and centre admins
    /// and none for service admins, SNILS checksum, password of 12+ characters not on the common list), that the
    /// centre exists, that login and SNILS are free, and, for a staff actor, that they may create this role there.
    public func add(login: String, displayName: String, role: StaffRole, centreID: String?, snils: String?, password: String,
                    by actor: StaffActor = .commandLine, source: RequestSource? = nil) throws -> StaffEnrolment {
        let new = try StaffValidation.check(login: login, displayName: displayName, role: role, centreID: centreID,
                                            snils: snils, password: password)
        let details = ["role": new.role.rawValue, "centre": new.centreID ?? "-", "snils": new.snils == nil ? "no" : "yes"]
        if case .staff(let member) = actor, !StaffAuthorization.canCreate(actor: member, role: new.role, centreID: new.centreID) {
            try recordDenied("add", actor: actor, subject: nil, details: details, source: source)
            throw StaffError.forbidden
        }
        let passwordHash = try PasswordHash.make(password: password, parameters: settings.passwordParameters)
        let secret = TOTP.newSecret()
        let snilsIndex = new.snils.map { self.vault.blindIndex("snils", $0.digits) }
        let now = StaffTime.millis(clock.now())
        let (vault, audit) = (self.vault, self.audit)
        let id: Int64
        do {
            id = try database.write { db -> Int64 in
                if case .staff(let member) = actor {
                    // The actor as stored now, not as their session saw them: they may have been disabled since.
                    guard let fresh = try Self.row(id: member.id, db)?.member,
                          StaffAuthorization.canCreate(actor: fresh, role: new.role, centreID: new.centreID) else { throw StaffError.forbidden }
                }
                if let centre = new.centreID, try db.queryOne("SELECT 1 FROM service_centres WHERE id = ?", [.text(centre)]) == nil {
                    throw StaffError.unknownCentre
                }
                if try db.queryOne("SELECT 1 FROM staff WHERE login = ?", [.text(new.login)]) != nil { throw StaffError.loginTaken }
                if let snilsIndex, try db.queryOne("SELECT 1 FROM staff WHERE snils_index = ?", [.blob(snilsIndex)]) != nil {
                    throw StaffError.snilsTaken
                }
                // The sealed values are bound to the row id, known only after the insert: placeholders first.
                let id = try db.queryOne("""
                    INSERT INTO staff (login, display_name, role, centre_id, password_hash, totp_secret_sealed, totp_key_id,
                        snils_index, snils_sealed, created_at, created_by)
                    VALUES (?, ?, ?, ?, ?, x'', '', ?, ?, ?, ?) RETURNING id
                    """, [.text(new.login), .text(new.displayName), .text(new.role.rawValue), SQLValue(new.centreID),
                          .text(passwordHash), SQLValue(snilsIndex), snilsIndex == nil ? .null : .blob([]), .integer(now),
                          .text(actor.auditName)])!.int64("id")
                let sealedSecret = try AESGCM.seal(secret, key: vault.keys.currentKey, associatedData: Self.totpContext(id))
                try db.execute("UPDATE staff SET totp_secret_sealed = ?, totp_key_id = ? WHERE id = ?",
                               [.blob(sealedSecret), .text(vault.keys.currentID), .integer(id)])
                if let snils = new.snils {
                    let sealed = try vault.seal(snils.digits, context: Self.snilsContext(id))
                    try db.execute("UPDATE staff SET snils_sealed = ?, snils_key_id = ? WHERE id = ?",
                                   [.blob(sealed.bytes), .text(sealed.keyID), .integer(id)])
                }
                try audit.append(AuditEvent(kind: "staff.added", actor: actor.auditName, subject: StaffMember.subject(id),
                                            sourceAddress: source?.address, details: details), using: db)
                return id
            }
        } catch StaffError.forbidden {
            try recordDenied("add", actor: actor, subject: nil, details: details, source: source)
            throw StaffError.forbidden
        }
        return StaffEnrolment(staffID: id, totpURI: TOTP.provisioningURI(secret: secret, account: new.login, issuer: settings.totpIssuer))
    }

    // MARK: Logging in

    /// Checks login, password and one-time code; returns the member without creating a session.
    ///
    /// Any failure (unknown login, wrong password, wrong or reused code, disabled account) is `.wrongCredentials`,
    /// after the same work: an unknown login still costs one scrypt check. Throttled per account ("staff:<id>",
    /// or a key derived from the login when there is no such account) and per source address before anything is
    /// checked. A code's time step is stored, so the same code cannot log in twice. Audited as
    /// `staff.login.succeeded` or `staff.login.failed` (with the reason, for investigators only).
    public func authenticate(login: String, password: String, totpCode: String, source: RequestSource) throws -> StaffMember {
        try signIn(login: login, password: password, totpCode: totpCode, source: source, createSession: false).member
    }

    /// `authenticate`, then a staff session created in the same write as the success record.
    public func login(login: String, password: String, totpCode: String, source: RequestSource) throws -> StaffLogin {
        let result = try signIn(login: login, password: password, totpCode: totpCode, source: source, createSession: true)
        return StaffLogin(member: result.member, sessionToken: result.session!.token, session: result.session!.session)
    }

    /// Logs in the staff member whose SNILS on record is the certificate's, with a staff session of method `signature`.
    /// Call only after the signature over a fresh staff-login challenge, the certificate's chain and its revocation
    /// status have been checked. A qualified signature is two factors already (the token and its PIN), so no TOTP
    /// code is asked. Audited as `staff.login.succeeded` or `staff.login.failed` (reason `unknown-snils` or
    /// `disabled`) with the certificate's thumbprint, issuer and serial; never the SNILS.
    /// - Throws: `.invalid` for a malformed SNILS; `.noStaffForCertificate`; `.disabled`.
    /// `sameWrite` runs first inside the login's write, whatever the outcome (the e-signature login spends its challenge
    /// there); when it throws, nothing is written.
    public func loginWithCertificate(_ identity: CertificateIdentity, source: RequestSource,
                                     sameWrite: @escaping @Sendable (any SQLExecutor) throws -> Void = { _ in }) throws -> StaffLogin {
        let snils: SNILS
        do { snils = try SNILS(parsing: identity.snils) } catch { throw StaffError.invalid([error]) }
        let index = vault.blindIndex("snils", snils.digits)
        let certificate = identity.auditDetails.merging(["method": "signature"]) { a, _ in a }
        let (sessions, audit) = (self.sessions, self.audit)
        enum Outcome: Sendable { case loggedIn(StaffLogin), unknown, disabled }
        let outcome: Outcome = try database.write { db in
            try sameWrite(db)
            guard let member = try db.queryOne("SELECT \(StaffRow.columns) FROM staff WHERE snils_index = ?", [.blob(index)])
                .map(StaffRow.init)?.member else {
                try audit.append(AuditEvent(kind: "staff.login.failed", actor: "anonymous", subject: nil, sourceAddress: source.address,
                                            details: certificate.merging(["reason": "unknown-snils"]) { a, _ in a }), using: db)
                return .unknown
            }
            guard member.isActive else {
                try audit.append(AuditEvent(kind: "staff.login.failed", actor: "anonymous", subject: member.subject, sourceAddress: source.address,
                                            details: certificate.merging(["reason": "disabled", "centre": member.centreID ?? "-"]) { a, _ in a }),
                                 using: db)
                return .disabled
            }
            let (token, session) = try sessions.create(subject: member.subject, method: "signature", userAgent: source.userAgent,
                                                       sourceAddress: source.address, using: db)
            try audit.append(AuditEvent(kind: "staff.login.succeeded", actor: member.subject, subject: member.subject,
                                        sourceAddress: source.address, details: certificate.merging([
                                            "role": member.role.rawValue, "centre": member.centreID ?? "-", "session": "yes",
                                        ]) { a, _ in a }), using: db)
            return .loggedIn(StaffLogin(member: member, sessionToken: token, session: session))
        }
        switch outcome {
        case .loggedIn(let login): return login
        case .unknown: throw StaffError.noStaffForCertificate
        case .disabled: throw StaffError.disabled
        }
    }

    /// The active staff member a session token belongs to, or nil (unknown, expired, a citizen's, or a disabled account).
    public func member(sessionToken: String) throws -> StaffMember? {
        guard let session = try sessions.validate(token: sessionToken),
              let id = StaffMember.id(fromSubject: session.subject),
              let member = try member(id: id), member.isActive else { return nil }
        return member
    }

    /// Ends the session of this token; audited when it was a staff session.
    public func logout(sessionToken: String, source: RequestSource) throws {
        guard let session = try sessions.validate(token: sessionToken), let id = StaffMember.id(fromSubject: session.subject) else { return }
        try sessions.end(token: sessionToken)
        let centre = try member(id: id)?.centreID
        try audit.append(AuditEvent(kind: "staff.logout", actor: session.subject, subject: session.subject, sourceAddress: source.address,
                                    details: ["centre": centre ?? "-"]), to: database)
    }

    private func signIn(login: String, password: String, totpCode: String, source: RequestSource,
                        createSession: Bool) throws -> (member: StaffMember, session: (token: String, session: Session)?) {
        // Bounded before any work, so a megabyte of "login" costs nothing; no valid login or password is that long.
        let normalised = StaffValidation.normalisedLogin(String(login.prefix(256)))
        let password = String(password.prefix(PasswordPolicy.maximumLength + 1))
        let found = try StaffValidation.isValidLogin(normalised) ? database.read { try Self.row(login: normalised, $0) } : nil
        let accountKey = found.map { "staff:\($0.id)" }
            ?? "staff-login:" + Hex.encode(HMAC.sha256(key: hashKey.bytes, message: "staff-login:" + normalised))
        let keys = [accountKey, "address:\(source.address)"]
        switch try throttle.check(keys: keys) {
        case .allowed: break
        case .delayed(let until), .lockedOut(let until):
            throw StaffError.throttled(retryAfterSeconds: max(1, Int(until.timeIntervalSince(clock.now()).rounded(.up))))
        }

        let now = clock.now()
        let passwordMatches = try PasswordHash.verify(password: password, encoded: found?.passwordHash ?? unknownLoginHash)
        let secret = try found.map(openSecret) ?? unknownLoginSecret
        let step = TOTP.verify(totpCode, secret: secret, time: now, window: settings.totpWindow, lastUsedStep: found?.totpLastStep)
        let failure: String? = if found == nil { "unknown-login" }
            else if !passwordMatches { "password" }
            else if step == nil {
                // Told apart only in the audit log: a right password with a reused code is worth an investigator's look.
                TOTP.verify(totpCode, secret: secret, time: now, window: settings.totpWindow, lastUsedStep: nil) != nil ? "totp-replay" : "totp"
            }
            else if found?.disabledAt != nil { "disabled" }
            else { nil }
        guard let row = found, let step, failure == nil else {
            try recordFailure(keys: keys, subject: found.map { StaffMember.subject($0.id) }, centre: found?.centreID,
                              reason: failure ?? "totp", source: source)
            throw StaffError.wrongCredentials
        }

        let rehashed = try PasswordHash.parameters(of: row.passwordHash) != settings.passwordParameters
            ? PasswordHash.make(password: password, parameters: settings.passwordParameters) : nil
        let (throttle, sessions, audit) = (self.throttle, self.sessions, self.audit)
        let member = row.member
        do {
            let session = try database.write { db -> (token: String, session: Session)? in
                // Conditional on the stored step, so two logins racing with one code cannot both pass.
                let claimed = try db.execute("""
                    UPDATE staff SET totp_last_step = ? WHERE id = ? AND disabled_at IS NULL AND (totp_last_step IS NULL OR totp_last_step < ?)
                    """, [.integer(step), .integer(row.id), .integer(step)])
                guard claimed == 1 else { throw StaffError.wrongCredentials }
                if let rehashed {
                    try db.execute("UPDATE staff SET password_hash = ? WHERE id = ?", [.text(rehashed), .integer(row.id)])
                }
                try throttle.recordSuccess(key: accountKey, using: db)
                let session = createSession
                    ? try sessions.create(subject: member.subject, method: "pwd+otp", userAgent: source.userAgent,
                                          sourceAddress: source.address, using: db)
                    : nil
                try audit.append(AuditEvent(kind: "staff.login.succeeded", actor: member.subject, subject: member.subject,
                                            sourceAddress: source.address, details: [
                                                "role": member.role.rawValue, "centre": member.centreID ?? "-",
                                                "session": createSession ? "yes" : "no", "rehashed": rehashed == nil ? "no" : "yes",
                                            ]), using: db)
                return session
            }
            return (member, session)
        } catch StaffError.wrongCredentials {
            try recordFailure(keys: keys, subject: member.subject, centre: member.centreID, reason: "totp-replay", source: source)
            throw StaffError.wrongCredentials
        }
    }

    private func recordFailure(keys: [String], subject: String?, centre: String?, reason: String, source: RequestSource) throws {
        let (throttle, audit) = (self.throttle, self.audit)
        try database.write { db in
            try throttle.recordFailure(keys: keys, using: db)
            try audit.append(AuditEvent(kind: "staff.login.failed", actor: "anonymous", subject: subject, sourceAddress: source.address,
                                        details: ["reason": reason, "centre": centre ?? "-"]), using: db)
        }
    }

    private func openSecret(_ row: StaffRow) throws -> [UInt8] {
        guard let key = vault.keys.key(id: row.totpKeyID) else { throw VaultError.unknownKey(row.totpKeyID) }
        return try AESGCM.open(row.totpSecretSealed, key: key, associatedData: Self.totpContext(row.id))
    }

    // MARK: Looking up

    /// The staff member with this id, active or disabled; nil when there is none.
    public func member(id: Int64) throws -> StaffMember? {
        try database.read { try Self.row(id: id, $0)?.member }
    }

    /// The staff member with this login (any case); nil when there is none.
    public func member(login: String) throws -> StaffMember? {
        let normalised = StaffValidation.normalisedLogin(login)
        guard StaffValidation.isValidLogin(normalised) else { return nil }
        return try database.read { try Self.row(login: normalised, $0)?.member }
    }

    /// The staff member with this SNILS (for certificate login), found through its blind index; nil when none or malformed.
    public func member(snils text: String) throws -> StaffMember? {
        guard let snils = try? SNILS(parsing: text) else { return nil }
        let index = vault.blindIndex("snils", snils.digits)
        return try database.read { db in
            try db.queryOne("SELECT \(StaffRow.columns) FROM staff WHERE snils_index = ?", [.blob(index)]).map(StaffRow.init)?.member
        }
    }

    /// The staff accounts `actor` may see, by login: a service admin all; a centre admin their centre's; an operator only themselves.
    public func members(visibleTo actor: StaffMember) throws -> [StaffMember] {
        guard actor.isActive else { return [] }
        return try database.read { db in
            let rows: [SQLRow] = switch actor.role {
            case .serviceAdmin: try db.query("SELECT \(StaffRow.columns) FROM staff ORDER BY login")
            case .centreAdmin: try db.query("SELECT \(StaffRow.columns) FROM staff WHERE centre_id = ? ORDER BY login",
                                            [SQLValue(actor.centreID)])
            case .operator: try db.query("SELECT \(StaffRow.columns) FROM staff WHERE id = ?", [.integer(actor.id)])
            }
            return try rows.map { try StaffRow($0).member }
        }
    }

    /// The staff member's SNILS digits, opened from the sealed copy; nil when none is on file. For certificate
    /// login checks only: never show it on a page.
    public func snils(staffID: Int64) throws -> String? {
        guard let row = try database.read({ try Self.row(id: staffID, $0) }),
              let sealed = row.snilsSealed, let keyID = row.snilsKeyID else { return nil }
        guard let key = vault.keys.key(id: keyID) else { throw VaultError.unknownKey(keyID) }
        // Sealed by PersonalDataVault.seal: UTF-8 under the row's context as associated data.
        let plain = try AESGCM.open(sealed, key: key, associatedData: Array(Self.snilsContext(staffID).utf8))
        return String(decoding: plain, as: UTF8.self)
    }

    // MARK: Managing

    /// Disables an account and ends its sessions. Refused (`.forbidden`, audited) unless the actor may manage the
    /// target; nobody disables themselves. Disabling a disabled account changes nothing and records nothing.
    public func disable(staffID: Int64, by actor: StaffActor, source: RequestSource? = nil) throws {
        try manage("disable", staffID: staffID, by: actor, source: source) { target, db in
            guard target.isActive else { return false }
            try db.execute("UPDATE staff SET disabled_at = ? WHERE id = ?", [.integer(StaffTime.millis(self.clock.now())), .integer(staffID)])
            try self.sessions.endAll(subject: target.subject, except: nil, using: db)
            return true
        }
    }

    /// Gives an account a new TOTP secret (a lost or replaced phone), ends its sessions, and returns the new
    /// otpauth URI to enrol (shown once). Refused (`.forbidden`, audited) unless the actor may manage the target.
    public func resetTOTP(staffID: Int64, by actor: StaffActor, source: RequestSource? = nil) throws -> String {
        let secret = TOTP.newSecret()
        let vault = self.vault
        let login = try manage("totp.reset", staffID: staffID, by: actor, source: source, allowSelf: true) { target, db in
            let sealed = try AESGCM.seal(secret, key: vault.keys.currentKey, associatedData: Self.totpContext(staffID))
            try db.execute("UPDATE staff SET totp_secret_sealed = ?, totp_key_id = ?, totp_last_step = NULL WHERE id = ?",
                           [.blob(sealed), .text(vault.keys.currentID), .integer(staffID)])
            try self.sessions.endAll(subject: target.subject, except: nil, using: db)
            return true
        }
        return TOTP.provisioningURI(secret: secret, account: login, issuer: settings.totpIssuer)
    }

    /// Runs one management action in one write: loads target and actor as stored now, checks authorization,
    /// applies `change`, and audits `staff.<action>` when it changed something; a refusal is audited as
    /// `staff.denied`. Returns the target's login.
    @discardableResult
    private func manage(_ action: String, staffID: Int64, by actor: StaffActor, source: RequestSource?, allowSelf: Bool = false,
                        _ change: @escaping @Sendable (StaffMember, any SQLExecutor) throws -> Bool) throws -> String {
        let audit = self.audit
        do {
            return try database.write { db -> String in
                guard let target = try Self.row(id: staffID, db)?.member else { throw StaffError.notFound }
                if case .staff(let member) = actor {
                    guard let fresh = try Self.row(id: member.id, db)?.member, fresh.isActive else { throw StaffError.forbidden }
                    let isSelf = fresh.id == target.id
                    // Resetting one's own authenticator while logged in is allowed; disabling oneself never is.
                    guard isSelf ? allowSelf : StaffAuthorization.canManage(actor: fresh, target: target) else { throw StaffError.forbidden }
                }
                if try change(target, db) {
                    try audit.append(AuditEvent(kind: "staff.\(action)", actor: actor.auditName, subject: target.subject,
                                                sourceAddress: source?.address,
                                                details: ["role": target.role.rawValue, "centre": target.centreID ?? "-"]), using: db)
                }
                return target.login
            }
        } catch StaffError.forbidden {
            try recordDenied(action, actor: actor, subject: StaffMember.subject(staffID), details: [:], source: source)
            throw StaffError.forbidden
        }
    }

    /// Records a refused action in its own write (the action's write, if any, was rolled back).
    private func recordDenied(_ action: String, actor: StaffActor, subject: String?, details: [String: String], source: RequestSource?) throws {
        var details = details
        details["action"] = action
        if case .staff(let member) = actor { details["actorCentre"] = member.centreID ?? "-" }
        try audit.append(AuditEvent(kind: "staff.denied", actor: actor.auditName, subject: subject, sourceAddress: source?.address,
                                    details: details), to: database)
    }

    // MARK: Rows

    static func totpContext(_ id: Int64) -> [UInt8] { Array("staff:\(id):totp".utf8) }
    static func snilsContext(_ id: Int64) -> String { "staff:\(id):snils" }

    static func row(id: Int64, _ db: any SQLExecutor) throws -> StaffRow? {
        try db.queryOne("SELECT \(StaffRow.columns) FROM staff WHERE id = ?", [.integer(id)]).map(StaffRow.init)
    }

    static func row(login: String, _ db: any SQLExecutor) throws -> StaffRow? {
        try db.queryOne("SELECT \(StaffRow.columns) FROM staff WHERE login = ?", [.text(login)]).map(StaffRow.init)
    }
}

/// One staff row with its secrets; stays inside this module.
struct StaffRow: Sendable {
    static let columns = """
        id, login, display_name, role, centre_id, password_hash, totp_secret_sealed, totp_key_id, totp_last_step,
        snils_sealed, snils_key_id, created_at, disabled_at
        """

    let id: Int64
    let login: String
    let displayName: String
    let role: StaffRole
    let centreID: String?
    let passwordHash: String
    let totpSecretSealed: [UInt8]
    let totpKeyID: String
    let totpLastStep: Int64?
    let snilsSealed: [UInt8]?
    let snilsKeyID: String?
    let createdAt: Int64
    let disabledAt: Int64?

    init(_ row: SQLRow) throws {
        id = try row.int64("id")
        login = try row.string("login")
        displayName = try row.string("display_name")
        let roleText = try row.string("role")
        guard let role = StaffRole(rawValue: roleText) else {
            throw StorageError(.typeMismatch, "staff \(id) has an unknown role")
        }
        self.role = role
        centreID = try row.optionalString("centre_id")
        passwordHash = try row.string("password_hash")
        totpSecretSealed = try row.blob("totp_secret_sealed")
        totpKeyID = try row.string("totp_key_id")
        totpLastStep = try row.optionalInt64("totp_last_step")
        snilsSealed = try row.optionalBlob("snils_sealed")
        snilsKeyID = try row.optionalString("snils_key_id")
        createdAt = try row.int64("created_at")
        disabledAt = try row.optionalInt64("disabled_at")
    }

    var member: StaffMember {
        StaffMember(id: id, login: login, displayName: displayName, role: role, centreID: centreID,
                    createdAt: StaffTime.date(createdAt), disabledAt: disabledAt.map(StaffTime.date), hasSNILS: snilsSealed != nil)
    }
}

/// Times are stored as integer milliseconds since 1970, as the sessions' are.
enum StaffTime {
    static func millis(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 * 1000).rounded(.down)) }
    static func date(_ millis: Int64) -> Date { Date(timeIntervalSince1970: Double(millis) / 1000) }
}
