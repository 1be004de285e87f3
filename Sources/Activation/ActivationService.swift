import Audit
import Citizens
import Crypto
import Foundation
import Storage
import Support

/// Settings of codes and letters that come from configuration.
public struct ActivationSettings: Sendable, Equatable {
    /// Seconds a letter's code lives, counted from the export that printed it. Issue 4 default: 60 days.
    public var letterCodeLifetime: Double = 60 * 86_400
    /// Seconds a service-centre code lives. Issue 4 default: 3 days.
    public var centreCodeLifetime: Double = 3 * 86_400
    /// Wrong entries after which a code is dead (issue 4: at most 5).
    public var maxAttempts = 5
    /// Letter orders handled per page of an export: bounds memory, and each page commits on its own.
    public var exportPageSize = 1_000

    /// The defaults.
    public init() {}

    /// Lifetime of a code of `channel`, in seconds.
    public func lifetime(_ channel: CodeChannel) -> Double {
        channel == .letter ? letterCodeLifetime : centreCodeLifetime
    }
}

/// Activation codes (by letter or at a service centre) and the letters queue.
///
/// Every change runs in one database write together with its audit records, so nothing changes without its trail.
/// Codes are stored only as keyed hashes (`ActivationCode.hash`); the plaintext leaves this service exactly once:
/// from `issueCentreCode` for the printed slip, or in a letter batch's files. It is never logged or audited.
public final class ActivationService: Sendable {
    let database: Database
    let citizens: CitizenService
    let audit: AuditLog
    let throttle: LoginThrottle
    let codeKey: SymmetricKey
    let clock: any WallClock
    let settings: ActivationSettings
    let logger: Logger?

    /// A service over `database` migrated with `AuditLog.migrations + CitizenService.migrations + ActivationMigrations.all`.
    /// `codeKey` is the token-hash secret (`KeyDirectory.secret(.tokenHash, ...)`).
    public init(database: Database, citizens: CitizenService, audit: AuditLog, throttle: LoginThrottle, codeKey: SymmetricKey,
                clock: any WallClock, settings: ActivationSettings = .init(), logger: Logger? = nil) {
        self.database = database
        self.citizens = citizens
        self.audit = audit
        self.throttle = throttle
        self.codeKey = codeKey
        self.clock = clock
        self.settings = settings
        self.logger = logger
    }

    /// Where the citizen stands: level, live code (never the code), newest letter.
    public func status(citizenID: Int64) throws -> ActivationStatus {
        let level = try citizens.profile(citizenID: citizenID).level
        return try database.read { db in
            let code = try CodeRow.newest(citizenID: citizenID, using: db)
            let letter = try LetterRow.newest(citizenID: citizenID, using: db)
            var status = ActivationStatus(level: level)
            if let code, code.isLive {
                status.code = CodeStatus(channel: code.channel, issuedAt: Millis.date(code.createdAt), expiresAt: Millis.date(code.expiresAt),
                                         attemptsLeft: max(0, self.settings.maxAttempts - code.attempts))
            } else if let code {
                status.lastCodeEnded = code.usedAt != nil ? "used" : code.invalidatedReason
            }
            if let letter {
                let letterCode = try CodeRow.forLetter(letter.id, using: db)
                status.letter = LetterStatus(id: letter.id, state: letter.state, requestedAt: Millis.date(letter.createdAt),
                                             printedAt: letter.printedAt.map(Millis.date), dispatchedAt: letter.dispatchedAt.map(Millis.date),
                                             trackingNumber: letter.trackingNumber, codeExpiresAt: letterCode.map { Millis.date($0.expiresAt) })
            }
            return status
        }
    }

    /// Invalidates the live code and cancels a letter not yet printed; for a citizen who changes their mind, or staff
    /// who confirmed the account directly. Does nothing when there is neither.
    public func cancel(citizenID: Int64, actor: String, source: RequestSource?) throws {
        try database.write { db in
            try self.endPrevious(citizenID: citizenID, reason: "cancelled", actor: actor, source: source, using: db)
        }
    }

    // MARK: Shared steps

    /// Issue 4: "a new request invalidates the previous code". Invalidates the live code and cancels pending letters.
    func endPrevious(citizenID: Int64, reason: String, actor: String, source: RequestSource?, using db: any SQLExecutor) throws {
        let now = Millis.from(clock.now())
        if let live = try CodeRow.live(citizenID: citizenID, using: db) {
            try CodeRow.invalidate(id: live.id, reason: reason, now: now, using: db)
            try record("activation.code.invalidated", actor: actor, citizenID: citizenID, source: source,
                       details: ["code": String(live.id), "channel": live.channel.rawValue, "reason": reason], using: db)
        }
        for letterID in try LetterRow.pendingIDs(citizenID: citizenID, using: db) {
            try LetterRow.cancel(id: letterID, now: now, using: db)
            try record("activation.letter.cancelled", actor: actor, citizenID: citizenID, source: source,
                       details: ["letter": String(letterID), "reason": reason], using: db)
        }
    }

    /// Appends an audit record about a citizen. `details` never hold a code: only code and letter ids.
    func record(_ kind: String, actor: String, citizenID: Int64, source: RequestSource?, details: [String: String],
                using db: any SQLExecutor) throws {
        try audit.append(AuditEvent(kind: kind, actor: actor, subject: "citizen:\(citizenID)", sourceAddress: source?.address,
                                    details: details), using: db)
    }

    /// Refuses citizens below or above the standard level (issue 4: "a citizen at the standard level chooses").
    func requireStandardLevel(citizenID: Int64) throws {
        let level: AccountLevel?
        do {
            level = try citizens.profile(citizenID: citizenID).level
        } catch let error as CitizensError where error.code == .notFound {
            throw ActivationError(.notFound)
        }
        guard level == .standard else { throw ActivationError(.levelNotStandard) }
    }
}

/// Milliseconds since 1970, the stored form of instants.
enum Millis {
    static func from(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 * 1000).rounded(.down)) }
    static func from(seconds: Double) -> Int64 { Int64((seconds * 1000).rounded(.down)) }
    static func date(_ millis: Int64) -> Date { Date(timeIntervalSince1970: Double(millis) / 1000) }
}
