import Citizens
import Crypto
import Foundation
import Support
import Synchronization

/// In-process measurements for the citizens benchmark (.ci/bench-citizens.sh): what HTTP load cannot isolate.
extension AdminCommands {
    /// Lookup latencies by SNILS through the blind index, in milliseconds.
    public struct LookupMeasurement: Sendable {
        /// Citizens in the database; seeded numbers 0..<citizens were sampled.
        public var citizens: Int
        /// Lookups made.
        public var samples: Int
        /// Lookups that found a citizen (all of them when only `dev seed` filled the database).
        public var found: Int
        public var p50: Double
        public var p99: Double
        public var max: Double

        /// One JSON line.
        public var json: String {
            "{\"citizens\":\(citizens),\"samples\":\(samples),\"found\":\(found),\"p50_ms\":\(Self.ms(p50)),"
                + "\"p99_ms\":\(Self.ms(p99)),\"max_ms\":\(Self.ms(max))}"
        }

        static func ms(_ value: Double) -> String { String(format: "%.4f", value) }
    }

    /// Looks up `samples` random seeded citizens by SNILS with `CitizenService.citizenID(snils:)` (validation, HMAC blind
    /// index, one indexed read), one after another, timing each call.
    public static func measureLookups(configuration: Configuration, logger: Logger, samples: Int) throws -> LookupMeasurement {
        try withComponents(configuration, logger) { components in
            let citizens = try components.database.read { db in try db.queryOne("SELECT COUNT(*) FROM citizens", [])!.int(0) }
            guard citizens > 0 else { return LookupMeasurement(citizens: 0, samples: 0, found: 0, p50: 0, p99: 0, max: 0) }
            let numbers = (0..<samples).map { _ in CitizenService.syntheticSNILS(Int.random(in: 0..<citizens)) }
            var durations: [Double] = []
            durations.reserveCapacity(samples)
            var found = 0
            for snils in numbers {
                let start = DispatchTime.now().uptimeNanoseconds
                let id = try components.service.citizenID(snils: snils)
                durations.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1_000_000)
                if id != nil { found += 1 }
            }
            durations.sort()
            return LookupMeasurement(citizens: citizens, samples: samples, found: found, p50: percentile(durations, 0.50),
                                     p99: percentile(durations, 0.99), max: durations.last ?? 0)
        }
    }

    /// How fast `threads` threads hash passwords with `PasswordHash.make` at cost `costLog2` (r=8, p=1) for about `seconds`:
    /// the reference for the server's password logins, measured on the same machine in the same run.
    public static func scryptReference(seconds: Double, threads: Int, costLog2: Int) throws -> (hashes: Int, seconds: Double) {
        let parameters = ScryptParameters(logN: costLog2, r: 8, p: 1)
        try parameters.check()
        let tally = ReferenceTally()
        let done = DispatchGroup()
        let start = DispatchTime.now().uptimeNanoseconds
        let deadline = start + UInt64(seconds * 1_000_000_000)
        for _ in 0..<threads {
            done.enter()
            Thread {
                while DispatchTime.now().uptimeNanoseconds < deadline {
                    do throws(CryptoError) {
                        _ = try PasswordHash.make(password: "Reference-Password-2026", parameters: parameters)
                        tally.hashes.wrappingAdd(1, ordering: .relaxed)
                    } catch {
                        tally.error.withLock { $0 = $0 ?? error }
                        break
                    }
                }
                done.leave()
            }.start()
        }
        done.wait()
        let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1_000_000_000
        if let error = tally.error.withLock({ $0 }) { throw error }
        return (tally.hashes.load(ordering: .relaxed), elapsed)
    }

    /// The nearest-rank percentile of sorted values.
    static func percentile(_ sorted: [Double], _ fraction: Double) -> Double {
        guard !sorted.isEmpty else { return 0 }
        let rank = Int((Double(sorted.count) * fraction).rounded(.up))
        return sorted[min(sorted.count, max(1, rank)) - 1]
    }
}

/// What the reference threads share.
private final class ReferenceTally: Sendable {
    let hashes = Atomic<Int>(0)
    let error = Mutex<CryptoError?>(nil)
}
