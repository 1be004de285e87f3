import Foundation
import Storage
import Support

/// What a login attempt may do now.
public enum ThrottleDecision: Sendable, Equatable {
    /// Check the password.
    case allowed
    /// Refuse without checking the password; the key failed recently and must wait until then.
    case delayed(until: Date)
    /// Refuse without checking the password; the key failed too often and is locked until then.
    case lockedOut(until: Date)
}

/// Counts failed logins per key in the database (shared by all nodes) and slows or locks keys that fail.
///
/// Keys: "account:<id>" for an existing account, "address:<ip>" for the source address. Address keys
/// (prefix "address:") use the address thresholds; every other key uses the account thresholds.
///
/// Contract for callers, so the answer never says whether an account exists: when the login identifier
/// matches no account, pass a key derived from the identifier itself, "login:<HMAC of the normalised
/// identifier>", in place of the account key, record failures for it exactly as for an account, and do
/// the same work (a dummy password hash) before answering with the same message. Unknown identifiers
/// are then delayed and locked exactly like real accounts. A refused attempt is answered at once
/// (`.delayed`/`.lockedOut`), never by sleeping on a worker thread.
///
/// `check` reads committed counters, so attempts running at the same moment may each pass before any of
/// them records its failure; the slack is bounded by how many requests one client can have in flight.
public final class LoginThrottle: Sendable {
    /// The thresholds in force.
    public let policy: ThrottlePolicy
    private let database: Database
    private let clock: any WallClock

    /// A throttle over `database` (migrated with `SessionStore.migrations`).
    public init(database: Database, policy: ThrottlePolicy = .init(), clock: any WallClock = SystemClock()) {
        self.database = database
        self.policy = policy
        self.clock = clock
    }

    /// Whether `key` counts as a source address.
    public static func isAddressKey(_ key: String) -> Bool { key.hasPrefix("address:") }

    /// Before checking a password: may this attempt proceed? The strictest answer over `keys` wins.
    public func check(keys: [String]) throws -> ThrottleDecision {
        let now = Millis.from(clock.now())
        let states = try database.read { executor in try keys.compactMap { try State.load($0, executor) } }
        var decision = ThrottleDecision.allowed
        for state in states {
            decision = Self.stricter(decision, self.decision(for: state, now: now))
        }
        return decision
    }

    /// Records a failed attempt for every key, inside the caller's write (with the audit record).
    public func recordFailure(keys: [String], using executor: any SQLExecutor) throws {
        let now = Millis.from(clock.now())
        let window = Millis.from(seconds: policy.window)
        for key in Set(keys) {
            var state = try State.load(key, executor) ?? State(key: key, failures: 0, firstFailureAt: now, lastFailureAt: now, lockedUntil: nil)
            if now - state.firstFailureAt >= window {
                // The old failures are forgotten; a lock still running is kept.
                state.failures = 0
                state.firstFailureAt = now
            }
            state.failures += 1
            state.lastFailureAt = now
            // Past the threshold every failure within the window locks again, so the end of a lockout
            // grants one attempt, not a fresh set of free ones.
            if state.failures >= policy.lockoutThreshold(for: key) {
                state.lockedUntil = max(state.lockedUntil ?? 0, now + Millis.from(seconds: policy.lockoutDuration))
            }
            try state.save(executor)
        }
    }

    /// Forgets the failures of one key after a successful login, inside the caller's write.
    /// Pass the account key only: the address keeps its count, so one good password does not
    /// clear the record of an address that guesses at many accounts.
    public func recordSuccess(key: String, using executor: any SQLExecutor) throws {
        try executor.execute("DELETE FROM login_throttle WHERE key = ?", [.text(key)])
    }

    /// Deletes counters whose window has passed and whose lock has ended, at most `limit`; returns how many. For a periodic job.
    public func purgeStale(limit: Int = .max) throws -> Int {
        let now = Millis.from(clock.now())
        let windowStart = now - Millis.from(seconds: policy.window)
        return try database.write {
            try $0.execute("""
                DELETE FROM login_throttle WHERE rowid IN (SELECT rowid FROM login_throttle
                WHERE first_failure_at <= ? AND (locked_until IS NULL OR locked_until <= ?) LIMIT ?)
                """, [.integer(windowStart), .integer(now), .integer(Int64(max(0, limit)))])
        }
    }

    // MARK: Internals

    private func decision(for state: State, now: Int64) -> ThrottleDecision {
        if let lockedUntil = state.lockedUntil, now < lockedUntil {
            return .lockedOut(until: Millis.date(lockedUntil))
        }
        if now - state.firstFailureAt >= Millis.from(seconds: policy.window) { return .allowed }
        let until = state.lastFailureAt + Millis.from(seconds: policy.delay(failures: state.failures, key: state.key))
        return now < until ? .delayed(until: Millis.date(until)) : .allowed
    }

    /// Lockout beats delay beats allowed; between two of a kind, the later one.
    private static func stricter(_ a: ThrottleDecision, _ b: ThrottleDecision) -> ThrottleDecision {
        switch (a, b) {
        case (.lockedOut(let x), .lockedOut(let y)): return .lockedOut(until: max(x, y))
        case (.lockedOut, _): return a
        case (_, .lockedOut): return b
        case (.delayed(let x), .delayed(let y)): return .delayed(until: max(x, y))
        case (.delayed, _): return a
        default: return b
        }
    }

    /// One login_throttle row.
    private struct State {
        let key: String
        var failures: Int
        var firstFailureAt: Int64
        var lastFailureAt: Int64
        var lockedUntil: Int64?

        static func load(_ key: String, _ executor: any SQLExecutor) throws -> State? {
            try executor.queryOne("SELECT failures, first_failure_at, last_failure_at, locked_until FROM login_throttle WHERE key = ?",
                                  [.text(key)]).map { row in
                State(key: key, failures: try row.int("failures"), firstFailureAt: try row.int64("first_failure_at"),
                      lastFailureAt: try row.int64("last_failure_at"), lockedUntil: try row.optionalInt64("locked_until"))
            }
        }

        func save(_ executor: any SQLExecutor) throws {
            // Portable upsert (SQLite ≥ 3.24 and PostgreSQL share this syntax).
            try executor.execute("""
                INSERT INTO login_throttle (key, failures, first_failure_at, last_failure_at, locked_until) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT (key) DO UPDATE SET failures = excluded.failures, first_failure_at = excluded.first_failure_at,
                    last_failure_at = excluded.last_failure_at, locked_until = excluded.locked_until
                """, [.text(key), SQLValue(failures), .integer(firstFailureAt), .integer(lastFailureAt), SQLValue(lockedUntil)])
        }
    }
}
