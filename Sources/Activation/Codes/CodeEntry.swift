import Citizens
import Crypto
import Foundation
import Storage

extension ActivationService {
    /// What one entry did; decided inside the write, thrown after it, so a wrong entry's count and audit record commit.
    private enum Outcome: Sendable {
        case confirmed
        case wrong(attemptsLeft: Int)
        case exhausted
        case expired
        case noLiveCode(lastReason: String?)
    }

    /// Checks a code typed by the citizen; on a match the account becomes confirmed in the same write that uses up the
    /// code (issue 4: "entering a valid code makes the account confirmed and records the evidence").
    ///
    /// - Throws: `ActivationError` `.throttled`, `.malformedCode`, `.wrongCode`, `.codeExhausted`, `.expiredCode`,
    ///   `.noActiveCode`; a `CitizensError` if the account cannot be confirmed (nothing changes then).
    public func enterCode(citizenID: Int64, code typed: String, source: RequestSource) throws {
        // Issue 4: throttling per account and per source address, checked before anything about the code is looked at.
        let keys = ["activation:\(citizenID)", "address:\(source.address)"]
        switch try throttle.check(keys: keys) {
        case .allowed:
            break
        case .delayed(let until), .lockedOut(let until):
            throw ActivationError(.throttled(retryAfterSeconds: max(1, Int(until.timeIntervalSince(clock.now()).rounded(.up)))))
        }
        // A typo in the shape (wrong length, a letter outside the alphabet) reveals nothing about the code: no attempt counted.
        guard let normalised = ActivationCode.normalise(typed) else { throw ActivationError(.malformedCode) }
        let actor = "citizen:\(citizenID)"
        let maxAttempts = settings.maxAttempts
        let outcome: Outcome = try database.write { db in
            guard let live = try CodeRow.live(citizenID: citizenID, using: db) else {
                return .noLiveCode(lastReason: try CodeRow.newest(citizenID: citizenID, using: db)?.invalidatedReason)
            }
            let now = Millis.from(self.clock.now())
            // Issue 4: lifetime per channel; an expired code is dead, a new one must be requested.
            if now >= live.expiresAt {
                try CodeRow.invalidate(id: live.id, reason: "expired", now: now, using: db)
                try self.record("activation.code.invalidated", actor: actor, citizenID: citizenID, source: source,
                                details: ["code": String(live.id), "channel": live.channel.rawValue, "reason": "expired"], using: db)
                return .expired
            }
            // Issue 4 / DESIGN.md: stored only as a keyed hash, compared in constant time.
            let typedHash = ActivationCode.hash(codeID: live.id, normalised: normalised, key: self.codeKey)
            guard ConstantTime.equals(typedHash, live.codeHash) else {
                let attempts = live.attempts + 1
                try CodeRow.recordWrongEntry(id: live.id, using: db)
                try self.throttle.recordFailure(keys: keys, using: db)
                try self.record("activation.code.failed", actor: actor, citizenID: citizenID, source: source,
                                details: ["code": String(live.id), "channel": live.channel.rawValue, "attempts": String(attempts)], using: db)
                // Issue 4: at most 5 wrong entries per code, after which the code is dead.
                guard attempts < maxAttempts else {
                    try CodeRow.invalidate(id: live.id, reason: "exhausted", now: now, using: db)
                    try self.record("activation.code.invalidated", actor: actor, citizenID: citizenID, source: source,
                                    details: ["code": String(live.id), "channel": live.channel.rawValue, "reason": "exhausted"], using: db)
                    return .exhausted
                }
                return .wrong(attemptsLeft: maxAttempts - attempts)
            }
            // Single use: marked used in the same write that confirms the account.
            try CodeRow.markUsed(id: live.id, now: now, using: db)
            try self.record("activation.code.used", actor: actor, citizenID: citizenID, source: source,
                            details: ["code": String(live.id), "channel": live.channel.rawValue], using: db)
            try self.citizens.confirmIdentity(citizenID: citizenID, method: live.channel.evidenceMethod, actor: actor, source: source,
                                              details: ["code": String(live.id)], using: db)
            try self.throttle.recordSuccess(key: keys[0], using: db)
            return .confirmed
        }
        switch outcome {
        case .confirmed: return
        case .wrong(let left): throw ActivationError(.wrongCode(attemptsLeft: left))
        case .exhausted: throw ActivationError(.codeExhausted)
        case .expired: throw ActivationError(.expiredCode)
        case .noLiveCode(let reason):
            switch reason {
            case "exhausted": throw ActivationError(.codeExhausted)
            case "expired": throw ActivationError(.expiredCode)
            default: throw ActivationError(.noActiveCode)
            }
        }
    }
}
