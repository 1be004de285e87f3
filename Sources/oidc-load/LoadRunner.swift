import CLinuxSys
import Foundation
import Glibc
import Support
import Synchronization

/// The outcome of one phase: operations completed in the measured time, failures, latencies of the completed ones.
struct PhaseResult: Sendable {
    var name: String
    var seconds: Double
    var completed = 0
    var failed = 0
    var latencies: [UInt64] = []
    /// Latencies of the single requests of the completed operations (a code flow is three).
    var requestLatencies: [UInt64] = []
    /// The first failed answer (status and the start of the body), for the report on stderr.
    var failureSample: String?
    /// Per connection, what its scenario left for a later phase.
    var harvest: [Int: String] = [:]

    var perSecond: Double { Double(completed) / seconds }

    func percentileMilliseconds(_ p: Double) -> Double { Self.percentile(latencies, p) }

    /// Over sorted nanoseconds, in milliseconds.
    static func percentile(_ sorted: [UInt64], _ p: Double) -> Double {
        guard !sorted.isEmpty else { return 0 }
        let index = min(sorted.count - 1, Int((Double(sorted.count) * p).rounded(.up)) - 1)
        return Double(sorted[max(0, index)]) / 1e6
    }

    private static func rounded(_ x: Double) -> Double { (x * 1000).rounded() / 1000 }

    /// One JSON line: measure, seconds, completed, failed, per_second, p50_ms, p99_ms.
    var json: String {
        JSONValue.object([
            "measure": .string(name), "seconds": .number(seconds), "completed": .integer(Int64(completed)),
            "failed": .integer(Int64(failed)), "per_second": .integer(Int64(perSecond.rounded())),
            "p50_ms": .number(Self.rounded(percentileMilliseconds(0.50))), "p99_ms": .number(Self.rounded(percentileMilliseconds(0.99))),
            "requests": .integer(Int64(requestLatencies.count)),
            "request_p50_ms": .number(Self.rounded(Self.percentile(requestLatencies, 0.50))),
            "request_p99_ms": .number(Self.rounded(Self.percentile(requestLatencies, 0.99))),
        ]).jsonText
    }
}

/// Runs scenarios on `connections` keep-alive connections spread over `threads` threads, each thread with its own
/// level-triggered epoll: closed loop, every connection sends its next request as soon as the last answer is in.
struct LoadRunner {
    let port: Int
    let connections: Int
    let threads: Int

    func run(_ name: String, seconds: Double,
             scenario makeScenario: @escaping @Sendable (Int) -> (any LoadScenario)?) throws -> PhaseResult {
        let results = Mutex<[PhaseResult]>([])
        let failure = Mutex<String?>(nil)
        let ready = DispatchGroup()
        let finished = DispatchGroup()
        let start = DispatchSemaphore(value: 0)
        let startTime = Mutex<UInt64>(0)
        for t in 0..<threads {
            let mine = Array(stride(from: t, to: connections, by: threads))
            ready.enter()
            finished.enter()
            let thread = Thread { [port] in
                defer { finished.leave() }
                do {
                    var open: [(Int, LoadConnection, any LoadScenario)] = []
                    do {
                        defer { ready.leave() }
                        for index in mine {
                            guard let scenario = makeScenario(index) else { continue }
                            open.append((index, try LoadConnection(port: port), scenario))
                        }
                    }
                    start.wait()
                    let result = try Self.loop(name, &open, until: startTime.withLock { $0 } + UInt64(seconds * 1e9))
                    results.withLock { $0.append(result) }
                } catch {
                    failure.withLock { $0 = "\(name): \(error)" }
                }
            }
            thread.start()
        }
        ready.wait()
        FileHandle.standardError.write(Data("oidc-load: \(name) for \(seconds) s\n".utf8))
        startTime.withLock { $0 = MonotonicTime.nanoseconds() }
        for _ in 0..<threads { start.signal() }
        finished.wait()
        if let message = failure.withLock({ $0 }) { throw LoadError(message) }
        var total = PhaseResult(name: name, seconds: seconds)
        for part in results.withLock({ $0 }) {
            total.completed += part.completed
            total.failed += part.failed
            total.latencies += part.latencies
            total.requestLatencies += part.requestLatencies
            total.harvest.merge(part.harvest) { a, _ in a }
            total.failureSample = total.failureSample ?? part.failureSample
        }
        total.latencies.sort()
        total.requestLatencies.sort()
        if let sample = total.failureSample {
            FileHandle.standardError.write(Data("oidc-load: \(name): \(total.failed) failed; the first: \(sample)\n".utf8))
        }
        return total
    }

    private static func loop(_ name: String, _ open: inout [(Int, LoadConnection, any LoadScenario)], until deadline: UInt64) throws -> PhaseResult {
        var result = PhaseResult(name: name, seconds: 0)
        result.latencies.reserveCapacity(1 << 16)
        result.requestLatencies.reserveCapacity(1 << 16)
        let epoll = epoll_create1(0)
        guard epoll >= 0 else { throw LoadError("epoll_create1: errno \(errno)") }
        defer { close(epoll) }
        var started = [UInt64](repeating: 0, count: open.count)
        // When each connection's current request went out, and the latencies of the current operation's requests.
        var sent = [UInt64](repeating: 0, count: open.count)
        var pending = [[UInt64]](repeating: [], count: open.count)
        var alive = [Bool](repeating: true, count: open.count)
        for slot in open.indices {
            var event = epoll_event()
            event.events = EPOLLIN.rawValue
            event.data.u64 = UInt64(slot)
            guard epoll_ctl(epoll, EPOLL_CTL_ADD, open[slot].1.fd, &event) == 0 else { throw LoadError("epoll_ctl: errno \(errno)") }
            started[slot] = MonotonicTime.nanoseconds()
            sent[slot] = started[slot]
            try open[slot].1.send(open[slot].2.start())
        }
        var events = [epoll_event](repeating: epoll_event(), count: 64)
        while true {
            let now = MonotonicTime.nanoseconds()
            if now >= deadline { break }
            let wait = Int32(min(100, (deadline - now) / 1_000_000 + 1))
            let n = events.withUnsafeMutableBufferPointer { epoll_wait(epoll, $0.baseAddress, Int32($0.count), wait) }
            if n < 0 { if errno == EINTR { continue } else { throw LoadError("epoll_wait: errno \(errno)") } }
            for i in 0..<Int(n) {
                let slot = Int(events[i].data.u64)
                guard alive[slot] else { continue }
                do {
                    guard let response = try open[slot].1.receive() else { continue }
                    let answered = MonotonicTime.nanoseconds()
                    pending[slot].append(answered - sent[slot])
                    switch open[slot].2.next(after: response) {
                    case let .send(bytes):
                        sent[slot] = MonotonicTime.nanoseconds()
                        try open[slot].1.send(bytes)
                    case let .done(ok):
                        let end = MonotonicTime.nanoseconds()
                        if end <= deadline {
                            if ok {
                                result.completed += 1
                                result.latencies.append(end - started[slot])
                                result.requestLatencies += pending[slot]
                            } else {
                                result.failed += 1
                            }
                        }
                        pending[slot].removeAll(keepingCapacity: true)
                        if !ok && result.failureSample == nil {
                            result.failureSample = "\(response.status) \(String(response.text.prefix(300)))"
                        }
                        started[slot] = end
                        sent[slot] = end
                        try open[slot].1.send(open[slot].2.start())
                    }
                } catch {
                    // A broken connection stops; the phase goes on with the others and reports the failure.
                    alive[slot] = false
                    result.failed += 1
                    if result.failureSample == nil { result.failureSample = "\(error)" }
                    _ = epoll_ctl(epoll, EPOLL_CTL_DEL, open[slot].1.fd, nil)
                }
            }
        }
        for (index, _, scenario) in open { if let value = scenario.harvest { result.harvest[index] = value } }
        return result
    }
}
