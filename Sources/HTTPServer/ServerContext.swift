import Support
import Synchronization

/// What every event loop shares: the application, limits, the worker pool, metrics and logging.
final class ServerContext: Sendable {
    let responder: any HTTPResponder
    let limits: HTTPLimits
    let workerPool: WorkerPool
    let metrics: ServerMetrics
    let logger: Logger
    let accessLogSink: (any LogSink)?
    let transportFactory: @Sendable (Int32) throws -> any Transport
    /// Plain HTTP can be refused with a readable 503; a TLS port cannot answer before a handshake, so it just closes.
    let refusalIsPlainText: Bool

    init(responder: any HTTPResponder, limits: HTTPLimits, workerPool: WorkerPool, metrics: ServerMetrics, logger: Logger,
         accessLogSink: (any LogSink)?, refusalIsPlainText: Bool,
         transportFactory: @escaping @Sendable (Int32) throws -> any Transport) {
        self.refusalIsPlainText = refusalIsPlainText
        self.responder = responder
        self.limits = limits
        self.workerPool = workerPool
        self.metrics = metrics
        self.logger = logger
        self.accessLogSink = accessLogSink
        self.transportFactory = transportFactory
    }
}
