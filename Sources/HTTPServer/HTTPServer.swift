import CLinuxSys
import Foundation
import Glibc
import Support

/// How the server listens and how much it takes on.
public struct HTTPServerConfiguration: Sendable {
    /// Address to bind; `127.0.0.1` by default, `0.0.0.0` or `::` for every interface.
    public var host = "127.0.0.1"
    /// Port to bind; 0 picks a free one (tests read it back from `HTTPServer.port`).
    public var port = 8080
    /// Event loop threads; 0 means one per core.
    public var eventLoops = 0
    /// Threads for blocking work.
    public var workerThreads = 8
    /// Jobs the worker queue holds before new ones are answered 503.
    public var workerQueueCapacity = 64
    /// Seconds a job may wait in the worker queue; after that it is answered 503 instead of run.
    public var workerQueueTimeout: Double = 1
    public var limits = HTTPLimits()
    /// Where access-log lines go (one JSON line per request); nil turns the access log off.
    public var accessLog: (any LogSink)?
    /// Makes the transport for each accepted socket; nil means plain HTTP. Set by `useTLS`.
    var transportFactory: (@Sendable (Int32) throws -> any Transport)?

    public init() {}
}

/// An HTTP/1.1 server on epoll event loops, one per core, with a bounded worker pool for blocking handlers.
///
/// ```swift
/// let server = try HTTPServer.start(configuration: config, responder: router, logger: logger)
/// print(server.port)
/// server.shutdown()          // graceful: stop accepting, finish in-flight requests
/// server.waitUntilStopped()
/// ```
public final class HTTPServer: Sendable {
    /// The port the server listens on.
    public let port: Int
    public let metrics: ServerMetrics
    public let workerPool: WorkerPool
    private let loops: [EventLoop]
    private let finished: [DispatchSemaphore]
    private let logger: Logger

    private init(port: Int, metrics: ServerMetrics, workerPool: WorkerPool, loops: [EventLoop], finished: [DispatchSemaphore], logger: Logger) {
        self.port = port
        self.metrics = metrics
        self.workerPool = workerPool
        self.loops = loops
        self.finished = finished
        self.logger = logger
    }

    /// Binds, starts the loops and the workers, and returns once the server accepts connections.
    /// - Throws: `SocketError` when the address cannot be bound.
    public static func start(configuration: HTTPServerConfiguration, responder: any HTTPResponder, logger: Logger) throws -> HTTPServer {
        clinux_ignore_sigpipe()
        raiseOpenFileLimit()
        let loopCount = configuration.eventLoops > 0 ? configuration.eventLoops : max(1, ProcessInfo.processInfo.activeProcessorCount)
        // Every loop gets its own listener on the same port, so the kernel spreads new connections across loops.
        let (listeners, port) = try Listener.openGroup(host: configuration.host, port: configuration.port, count: loopCount)
        let pool = WorkerPool(threads: max(1, configuration.workerThreads), capacity: max(1, configuration.workerQueueCapacity),
                              maxQueueWait: configuration.workerQueueTimeout)
        let metrics = ServerMetrics(loopCount: loopCount, workerPool: pool)
        let context = ServerContext(
            responder: responder, limits: configuration.limits, workerPool: pool, metrics: metrics, logger: logger,
            accessLogSink: configuration.accessLog, refusalIsPlainText: configuration.transportFactory == nil,
            transportFactory: configuration.transportFactory ?? { PlainTransport(fd: $0) })
        var loops: [EventLoop] = []
        var finished: [DispatchSemaphore] = []
        for (index, fd) in listeners.enumerated() {
            let loop = try EventLoop(index: index, context: context, listenerFD: fd)
            let done = DispatchSemaphore(value: 0)
            let thread = Thread {
                loop.run()
                done.signal()
            }
            thread.name = "event-loop-\(index)"
            thread.start()
            loops.append(loop)
            finished.append(done)
        }
        logger.info("listening", ["address": "\(configuration.host):\(port)", "event_loops": String(loopCount),
                                  "tls": configuration.transportFactory == nil ? "off" : "on"])
        return HTTPServer(port: port, metrics: metrics, workerPool: pool, loops: loops, finished: finished, logger: logger)
    }

    /// Stops accepting; in-flight requests finish within the grace period, idle connections close now. Returns at once.
    public func shutdown() {
        logger.info("shutting down: no longer accepting connections")
        loops.forEach { $0.requestShutdown() }
    }

    /// Blocks until every loop has stopped, then stops the workers.
    public func waitUntilStopped() {
        finished.forEach { $0.wait() }
        workerPool.stop()
        logger.info("stopped")
    }

    /// Many keep-alive connections need many descriptors: take the hard limit.
    private static func raiseOpenFileLimit() {
        var limit = rlimit()
        guard clinux_get_nofile(&limit) == 0, limit.rlim_cur < limit.rlim_max else { return }
        limit.rlim_cur = limit.rlim_max
        _ = clinux_set_nofile(&limit)
    }
}
