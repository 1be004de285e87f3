import Activation
import Citizens
import Crypto
import Foundation
import Storage
import Support
import Synchronization

/// How fast typed codes are checked through the hash-and-compare path (normalise, HMAC-SHA-256, constant-time compare).
public struct CodeCheckMeasurement: Sendable {
    /// Worker threads that checked codes at once.
    public var threads: Int
    /// Checks made, half with the right code and half with a wrong one.
    public var checks: Int
    /// Wall time of the measurement.
    public var seconds: Double
    /// Checks per second over all threads.
    public var perSecond: Double { seconds > 0 ? Double(checks) / seconds : 0 }
}

/// A code check gave the wrong answer while measuring: a bug, never a slow machine.
public struct CodeCheckFailure: Error, Sendable {}

/// The operator's letter commands and the activation benchmarks: each opens the database (applying migrations), does
/// one job and closes it. Safe beside a running server: writes go through SQLite's locks.
public enum ActivationCommands {
    /// Exports every pending letter order as one batch into `outputDirectory` (`openesia letters export --out DIR`);
    /// nil when nothing is pending.
    public static func exportLetters(configuration: Configuration, logger: Logger, outputDirectory: String) throws -> LetterBatch? {
        try withService(configuration, logger) { service in try service.exportBatch(outputDirectory: outputDirectory, actor: "operator") }
    }

    /// Records a letter's dispatch (with tracking number), delivery or return (`openesia letters mark`).
    public static func markLetter(configuration: Configuration, logger: Logger, letterID: Int64, state: LetterState,
                                  trackingNumber: String?) throws {
        try withService(configuration, logger) { service in
            try service.markLetter(id: letterID, state: state, trackingNumber: trackingNumber, actor: "operator")
        }
    }

    /// Orders a letter for every citizen at the standard level; for development and the export benchmark. Returns how many.
    public static func requestLettersForAll(configuration: Configuration, logger: Logger) throws -> Int {
        try withService(configuration, logger) { service, database in
            let ids = try database.read { db in
                try db.query("SELECT id FROM citizens WHERE level = 'standard' ORDER BY id", []).map { try $0.int64(0) }
            }
            return try service.requestLetters(citizenIDs: ids, actor: "operator")
        }
    }

    /// Measures code checks per second in-process on `threads` threads for about `seconds`, with the service's
    /// token-hash key. Touches no database: this is the cost of the check itself, not of the write that records it.
    public static func measureCodeChecks(configuration: Configuration, logger: Logger, seconds: Double, threads: Int) throws -> CodeCheckMeasurement {
        let key = try KeyDirectory.secret(.tokenHash, in: configuration.keys.directory)
        let code = ActivationCode.generate()
        let stored = ActivationCode.hash(codeID: 42, normalised: ActivationCode.normalise(code)!, key: key)
        let wrong = ActivationCode.generate()
        let total = Atomic<Int>(0)
        let mismatches = Atomic<Int>(0)
        let started = MonotonicTime.nanoseconds()
        let deadline = started + UInt64(seconds * 1e9)
        let group = DispatchGroup()
        for _ in 0..<max(1, threads) {
            group.enter()
            let thread = Thread {
                var checks = 0
                var bad = 0
                while MonotonicTime.nanoseconds() < deadline {
                    for _ in 0..<100 {
                        // The right code must match and the wrong one must not; anything else is a broken check.
                        if !ActivationCode.matches(code.lowercased(), codeID: 42, storedHash: stored, key: key) { bad += 1 }
                        if ActivationCode.matches(wrong, codeID: 42, storedHash: stored, key: key) { bad += 1 }
                    }
                    checks += 200
                }
                total.add(checks, ordering: .relaxed)
                mismatches.add(bad, ordering: .relaxed)
                group.leave()
            }
            thread.start()
        }
        group.wait()
        let elapsed = Double(MonotonicTime.nanoseconds() - started) / 1e9
        guard mismatches.load(ordering: .relaxed) == 0 else { throw CodeCheckFailure() }
        return CodeCheckMeasurement(threads: max(1, threads), checks: total.load(ordering: .relaxed), seconds: elapsed)
    }

    private static func withService<T>(_ configuration: Configuration, _ logger: Logger, _ body: (ActivationService) throws -> T) throws -> T {
        try withService(configuration, logger) { service, _ in try body(service) }
    }

    private static func withService<T>(_ configuration: Configuration, _ logger: Logger,
                                       _ body: (ActivationService, Database) throws -> T) throws -> T {
        var options = Database.Options()
        options.readers = configuration.database.readers
        options.busyTimeoutMilliseconds = configuration.database.busyTimeoutMilliseconds
        let database = try Database(path: configuration.database.path, options: options, logger: logger)
        defer { database.close() }
        try database.migrate(Migrations.all)
        let clock = SystemClock()
        let components = try CitizenComponents.make(configuration: configuration, database: database, clock: clock, logger: logger)
        let tokenKey = try KeyDirectory.secret(.tokenHash, in: configuration.keys.directory)
        // Lead: take the lifetimes from configuration once the activation keys exist (issue 4: letter 60 days, centre 3 days).
        let service = ActivationService(database: database, citizens: components.service, audit: components.audit,
                                        throttle: LoginThrottle(database: database, policy: ThrottlePolicy(), clock: clock),
                                        codeKey: tokenKey, clock: clock, settings: ActivationSettings(), logger: logger)
        return try body(service, database)
    }
}
