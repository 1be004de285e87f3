import Audit
import Crypto
import Foundation
import Storage
import Support

/// Where a request came from, for throttling and the audit log.
public struct RequestSource: Sendable, Equatable {
    /// The client's IP address, without port.
    public var address: String
    public var userAgent: String

    public init(address: String, userAgent: String = "") {
        self.address = address
        self.userAgent = String(userAgent.prefix(256))
    }
}

/// Settings of the citizens service that come from configuration.
public struct CitizenSettings: Sendable {
    /// scrypt cost for new password hashes; older hashes are upgraded at the next login.
    public var passwordParameters = ScryptParameters.standard
    public var contactCodeLifetime: Double = 15 * 60
    public var contactCodeMaxAttempts = 5
    /// How long after a signature login its session may still set an account's first password (`setPassword`).
    public var freshSignatureWindow: Double = 10 * 60

    public init() {}
}

/// Registration, contact confirmation, documents, levels, password login and account changes.
///
/// Every change runs in one database write together with its audit record and any outbox message, so a change
/// is never visible without its trail. Expensive work (scrypt) runs before the write, never inside it: the
/// single writer must not wait on a password hash.
public final class CitizenService: Sendable {
    let database: Database
    let store = CitizenStore()
    let vault: PersonalDataVault
    let audit: AuditLog
    let outbox: Outbox
    public let sessions: SessionStore
    let throttle: LoginThrottle
    /// Limits codes sent to one phone or e-mail address (see `checkCodeSending`).
    let sendThrottle: LoginThrottle
    let codeKey: SymmetricKey
    let settings: CitizenSettings
    let clock: any WallClock
    let logger: Logger
    /// Wakes the outbox worker after a message was queued, so codes go out at once.
    let messageQueued: @Sendable () -> Void
    /// Wakes the registry worker after documents were submitted.
    let documentsSubmitted: @Sendable () -> Void
    /// A hash of a random password at the configured cost, checked for unknown accounts so they take as long as known ones.
    let unknownAccountHash: String

    public init(database: Database, vault: PersonalDataVault, audit: AuditLog, outbox: Outbox, sessions: SessionStore,
                throttle: LoginThrottle, codeKey: SymmetricKey, settings: CitizenSettings, clock: any WallClock, logger: Logger,
                messageQueued: @escaping @Sendable () -> Void = {}, documentsSubmitted: @escaping @Sendable () -> Void = {}) {
        self.database = database
        self.vault = vault
        self.audit = audit
        self.outbox = outbox
        self.sessions = sessions
        self.throttle = throttle
        sendThrottle = LoginThrottle(database: database, policy: Self.codeSendingPolicy, clock: clock)
        self.codeKey = codeKey
        self.settings = settings
        self.clock = clock
        self.logger = logger
        self.messageQueued = messageQueued
        self.documentsSubmitted = documentsSubmitted
        unknownAccountHash = (try? PasswordHash.make(password: Hex.encode(SecureRandom.bytes(16)), parameters: settings.passwordParameters)) ?? ""
    }

    /// Every migration the citizens module needs, in order.
    public static var migrations: [Migration] {
        CitizenMigrations.all + Outbox.migrations + ReferenceRegistry.migrations + SessionStore.migrations
    }

    // MARK: Shared steps

    func record(_ kind: String, actor: String, subject: String? = nil, source: RequestSource?, details: [String: String] = [:],
                using db: any SQLExecutor) throws {
        try audit.append(AuditEvent(kind: kind, actor: actor, subject: subject, sourceAddress: source?.address, details: details), using: db)
    }

    static func subject(_ citizenID: Int64) -> String { "citizen:\(citizenID)" }

    /// Recomputes the level from the stored facts and records a change with its evidence.
    func refreshLevel(citizenID: Int64, method: String, source: RequestSource?, identityConfirmed: Bool? = nil,
                      using db: any SQLExecutor) throws {
        guard let citizen = try store.citizen(id: citizenID, using: db) else { throw CitizensError(.notFound) }
        let contacts = try store.contacts(citizenID: citizenID, using: db)
        let docs = try store.documents(citizenID: citizenID, using: db)
        let confirmed = identityConfirmed ?? citizen.identityConfirmed
        let facts = LevelFacts(contactConfirmed: contacts.contains { $0.confirmedAt != nil },
                               snils: docs?.snilsStatus ?? .notSubmitted, passport: docs?.passportStatus ?? .notSubmitted,
                               identityConfirmed: confirmed, confirmedBySignature: docs?.signatureCheckedAt != nil)
        let level = facts.level
        guard level != citizen.level || confirmed != citizen.identityConfirmed else { return }
        let evidence = level != citizen.level ? LevelEvidence(method: method, reachedAt: clock.now()) : citizen.evidence
        try store.updateLevel(citizenID: citizenID, level: level, evidence: evidence, identityConfirmed: confirmed, using: db)
        if level != citizen.level {
            try record("level.changed", actor: "system", subject: Self.subject(citizenID), source: source,
                       details: ["from": citizen.level?.rawValue ?? "none", "to": level?.rawValue ?? "none", "method": method], using: db)
        }
    }

    /// Whole seconds from now until a throttled key may try again, at least 1 (the Retry-After value).
    func retryAfter(_ until: Date) -> Int {
        max(1, Int(until.timeIntervalSince(clock.now()).rounded(.up)))
    }

    /// Codes to one phone number or e-mail address: three go out freely, then each needs a growing wait (30 s doubling
    /// up to an hour), and ten within an hour block that address for an hour. This stops message bombing, and stops a
    /// stream of fresh codes from renewing the five guesses each code allows.
    static let codeSendingPolicy: ThrottlePolicy = {
        var policy = ThrottlePolicy()
        policy.freeFailures = 3
        policy.baseDelay = 30
        policy.maxDelay = 3600
        policy.lockoutAfter = 10
        policy.lockoutDuration = 3600
        policy.window = 3600
        return policy
    }()

    /// The throttle key of a contact value; keyed so the table holds no phone numbers or addresses.
    func codeSendingKey(_ kind: ContactKind, _ value: String) -> String {
        "code-send:" + Hex.encode(HMAC.sha256(key: codeKey.bytes, message: Array("code-send:\(kind.rawValue):\(value)".utf8)))
    }

    /// Throws `.throttled` when codes to one of these contact values must wait.
    func checkCodeSending(_ keys: [String]) throws {
        switch try sendThrottle.check(keys: keys) {
        case .allowed: return
        case .delayed(let until), .lockedOut(let until):
            throw CitizensError(.throttled(retryAfterSeconds: max(1, Int(until.timeIntervalSince(clock.now()).rounded(FloatingPointRoundingRule.up)))))
        }
    }

    /// A six-digit one-time code and its keyed hash; only the hash is stored.
    func makeContactCode(contactID: Int64) -> (code: String, hash: [UInt8]) {
        let code = String(format: "%06d", Int(SecureRandom.uniform(1_000_000)))
        return (code, contactCodeHash(contactID: contactID, code: code))
    }

    func contactCodeHash(contactID: Int64, code: String) -> [UInt8] {
        HMAC.sha256(key: codeKey.bytes, message: Array("contact-code:\(contactID):\(code)".utf8))
    }

    func codeMessage(kind: ContactKind, value: String, code: String) -> OutboxMessage {
        let text = "Код подтверждения OpenESIA: \(code). Никому его не сообщайте. / OpenESIA confirmation code: \(code). Do not share it."
        return OutboxMessage(channel: kind == .phone ? .sms : .email, recipient: value,
                             subject: "Код подтверждения / Confirmation code", body: text)
    }

    /// Runs a write; maps a unique-index clash to the domain error given.
    func write<T: Sendable>(uniqueClash: CitizensError? = nil, _ body: @escaping @Sendable (any SQLExecutor) throws -> T) throws -> T {
        do {
            return try database.write(body)
        } catch let error as StorageError where error.code == .uniqueViolation && uniqueClash != nil {
            throw uniqueClash!
        }
    }
}
