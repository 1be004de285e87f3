import HTTPServer
import Storage
import Synchronization

/// Liveness, readiness and metrics: what a load balancer and Prometheus ask.
enum OperationsRoutes {
    static let healthBody = Array("{\"status\":\"ok\"}".utf8)
    /// Built once: the liveness answer is the hottest path and needs no allocation per request.
    static let healthResponse = HTTPResponse(status: .ok, headers: ["Content-Type": "application/json", "Cache-Control": "no-store"],
                                             body: healthBody)

    static func add(to router: inout Router, database: Database, metrics: MetricsSource) {
        // Alive means the loops answer; it must not touch the database, so it runs on the loop.
        router.get("/healthz", execution: .eventLoop) { _ in healthResponse }
        // Ready means the database answers; it may block, so it runs on a worker.
        router.get("/readyz", execution: .workerPool) { _ in
            let reachable = database.isReachable()
            let body = reachable ? "{\"status\":\"ready\"}" : "{\"status\":\"unavailable\",\"checks\":{\"database\":\"unreachable\"}}"
            return HTTPResponse(status: reachable ? .ok : .serviceUnavailable,
                                headers: ["Content-Type": "application/json", "Cache-Control": "no-store"], body: Array(body.utf8))
        }
        router.get("/metrics", execution: .eventLoop) { _ in
            HTTPResponse(status: .ok, headers: ["Content-Type": "text/plain; version=0.0.4; charset=utf-8", "Cache-Control": "no-store"],
                         body: Array(metrics.render(database: database).utf8))
        }
    }
}

/// The server's metrics, which exist only once the server has started; the route table is built before that.
final class MetricsSource: Sendable {
    private let server = Mutex<HTTPServer?>(nil)

    func attach(_ httpServer: HTTPServer) { server.withLock { $0 = httpServer } }

    func render(database: Database) -> String {
        var text = server.withLock { $0 }?.prometheusTextOrEmpty ?? ""
        let stats = database.statistics
        text += "# HELP openesia_db_writes_total Writes committed or failed through the group-committing writer.\n"
        text += "# TYPE openesia_db_writes_total counter\nopenesia_db_writes_total \(stats.writes)\n"
        text += "# HELP openesia_db_write_batches_total Commits (one fsync each) made by the writer.\n"
        text += "# TYPE openesia_db_write_batches_total counter\nopenesia_db_write_batches_total \(stats.batches)\n"
        text += "# HELP openesia_db_write_failures_total Writes whose closure or commit failed.\n"
        text += "# TYPE openesia_db_write_failures_total counter\nopenesia_db_write_failures_total \(stats.failures)\n"
        return text
    }
}

private extension HTTPServer {
    var prometheusTextOrEmpty: String { metrics.prometheusText() }
}
