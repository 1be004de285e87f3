import Synchronization

/// Request counts and latencies of one event loop. Only its loop writes; a scrape reads it under the lock.
final class LoopMetrics: Sendable {
    struct RouteStats {
        var byStatus: [Int: Int] = [:]
        var buckets = [Int](repeating: 0, count: ServerMetrics.bucketBounds.count)
        var count = 0
        var sumNanoseconds: UInt64 = 0
    }

    let routes = Mutex<[String: RouteStats]>([:])

    func record(route: String, status: Int, nanoseconds: UInt64) {
        routes.withLock { all in
            all[route, default: RouteStats()].add(status: status, nanoseconds: nanoseconds)
        }
    }
}

extension LoopMetrics.RouteStats {
    mutating func add(status: Int, nanoseconds: UInt64) {
        byStatus[status, default: 0] += 1
        count += 1
        sumNanoseconds &+= nanoseconds
        let seconds = Double(nanoseconds) / 1e9
        // Buckets are cumulative only when rendered; here each request counts in its first fitting bucket.
        for (index, bound) in ServerMetrics.bucketBounds.enumerated() where seconds <= bound {
            buckets[index] += 1
            return
        }
    }

    mutating func merge(_ other: Self) {
        for (status, n) in other.byStatus { byStatus[status, default: 0] += n }
        for index in buckets.indices { buckets[index] += other.buckets[index] }
        count += other.count
        sumNanoseconds &+= other.sumNanoseconds
    }
}

/// The server's metrics, rendered in the Prometheus text format (version 0.0.4).
public final class ServerMetrics: Sendable {
    /// Upper bounds of the latency histogram, in seconds.
    static let bucketBounds: [Double] = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]

    let loops: [LoopMetrics]
    let openConnections = Atomic<Int>(0)
    let acceptedConnections = Atomic<Int>(0)
    let refusedConnections = Atomic<Int>(0)
    let malformedRequests = Atomic<Int>(0)
    let timedOutConnections = Atomic<Int>(0)
    let workerPool: WorkerPool

    init(loopCount: Int, workerPool: WorkerPool) {
        loops = (0..<loopCount).map { _ in LoopMetrics() }
        self.workerPool = workerPool
    }

    /// Connections open now.
    public var currentConnections: Int { openConnections.load(ordering: .relaxed) }

    /// Requests answered so far, all routes and statuses.
    public var totalRequests: Int {
        loops.reduce(0) { sum, loop in sum + loop.routes.withLock { $0.values.reduce(0) { $0 + $1.count } } }
    }

    /// Requests answered so far for one route label and status.
    public func requests(route: String, status: Int) -> Int {
        loops.reduce(0) { sum, loop in sum + loop.routes.withLock { $0[route]?.byStatus[status] ?? 0 } }
    }

    /// The metrics in Prometheus text exposition format.
    public func prometheusText() -> String {
        var merged: [String: LoopMetrics.RouteStats] = [:]
        for loop in loops {
            let snapshot = loop.routes.withLock { $0 }
            for (route, stats) in snapshot { merged[route, default: LoopMetrics.RouteStats()].merge(stats) }
        }
        var out = ""
        out += "# HELP openesia_http_requests_total HTTP requests answered, by route pattern and status.\n"
        out += "# TYPE openesia_http_requests_total counter\n"
        for route in merged.keys.sorted() {
            let stats = merged[route]!
            for status in stats.byStatus.keys.sorted() {
                out += "openesia_http_requests_total{route=\(label(route)),status=\"\(status)\"} \(stats.byStatus[status]!)\n"
            }
        }
        out += "# HELP openesia_http_request_duration_seconds Time from a request's head being read to its response being queued.\n"
        out += "# TYPE openesia_http_request_duration_seconds histogram\n"
        for route in merged.keys.sorted() {
            let stats = merged[route]!
            var cumulative = 0
            for (index, bound) in Self.bucketBounds.enumerated() {
                cumulative += stats.buckets[index]
                out += "openesia_http_request_duration_seconds_bucket{route=\(label(route)),le=\"\(bound)\"} \(cumulative)\n"
            }
            out += "openesia_http_request_duration_seconds_bucket{route=\(label(route)),le=\"+Inf\"} \(stats.count)\n"
            out += "openesia_http_request_duration_seconds_sum{route=\(label(route))} \(Double(stats.sumNanoseconds) / 1e9)\n"
            out += "openesia_http_request_duration_seconds_count{route=\(label(route))} \(stats.count)\n"
        }
        func gauge(_ name: String, _ help: String, _ type: String, _ value: Int) {
            out += "# HELP \(name) \(help)\n# TYPE \(name) \(type)\n\(name) \(value)\n"
        }
        gauge("openesia_http_open_connections", "Connections open now.", "gauge", currentConnections)
        gauge("openesia_http_connections_accepted_total", "Connections accepted.", "counter", acceptedConnections.load(ordering: .relaxed))
        gauge("openesia_http_connections_refused_total", "Connections refused with 503 because the limit was reached.", "counter",
              refusedConnections.load(ordering: .relaxed))
        gauge("openesia_http_malformed_requests_total", "Requests rejected by the parser.", "counter", malformedRequests.load(ordering: .relaxed))
        gauge("openesia_http_timeouts_total", "Connections closed by a read or idle timeout.", "counter", timedOutConnections.load(ordering: .relaxed))
        gauge("openesia_worker_queue_depth", "Jobs waiting for a worker thread.", "gauge", workerPool.queueDepth)
        gauge("openesia_worker_busy_threads", "Worker threads running a job.", "gauge", workerPool.busyThreads)
        gauge("openesia_worker_rejected_total", "Jobs refused because the worker queue was full (answered 503).", "counter", workerPool.rejectedJobs)
        gauge("openesia_worker_shed_total", "Jobs answered 503 because they waited in the queue too long.", "counter", workerPool.shedJobs)
        return out
    }

    private func label(_ value: String) -> String {
        var escaped = "\""
        for c in value {
            switch c {
            case "\\": escaped += "\\\\"
            case "\"": escaped += "\\\""
            case "\n": escaped += "\\n"
            default: escaped.append(c)
            }
        }
        return escaped + "\""
    }
}
