import Foundation
import HTTPServer
import Support
import Synchronization
import TestSupport

/// A minimal responder for server tests: a table of paths, independent of the Router.
struct TableResponder: HTTPResponder {
    struct Entry: Sendable {
        var execution: Execution
        var maxBodyBytes: Int?
        var handler: HTTPHandler
    }

    var entries: [String: Entry] = [:]

    mutating func add(_ path: String, _ execution: Execution = .eventLoop, maxBodyBytes: Int? = nil, _ handler: @escaping HTTPHandler) {
        entries[path] = Entry(execution: execution, maxBodyBytes: maxBodyBytes, handler: handler)
    }

    func resolve(_ head: HTTPRequestHead) -> ResolvedRoute {
        guard let entry = entries[head.path] else {
            return ResolvedRoute(label: "unmatched", execution: .eventLoop) { _ in .text("not found\n", status: .notFound) }
        }
        return ResolvedRoute(label: head.path, maxBodyBytes: entry.maxBodyBytes, execution: entry.execution, handler: entry.handler)
    }

    func response(for error: any Error, to request: HTTPRequest) -> HTTPResponse {
        .text("mapped: \(error)\n", status: .internalServerError)
    }
}

/// A gate a handler waits on until the test opens it.
final class Gate: Sendable {
    private let semaphore = DispatchSemaphore(value: 0)
    private let entered = DispatchSemaphore(value: 0)
    func wait() { entered.signal(); semaphore.wait() }
    func open(_ count: Int = 1) { for _ in 0..<count { semaphore.signal() } }
    /// Blocks until a handler is waiting at the gate.
    func waitUntilEntered(timeout: Double = 5) -> Bool { entered.wait(timeout: .now() + timeout) == .success }
}

/// The standard table: quick inline routes, a worker route, an echo, and a gated slow route.
func standardResponder(gate: Gate = Gate()) -> TableResponder {
    var table = TableResponder()
    table.add("/hello") { _ in .text("hello\n") }
    table.add("/worker", .workerPool) { request in .text("worker \(request.query ?? "")\n") }
    table.add("/echo", .workerPool) { request in HTTPResponse(status: .ok, headers: ["Content-Type": "application/octet-stream"], body: request.body) }
    table.add("/big-upload", .workerPool, maxBodyBytes: 4096) { request in .text("\(request.body.count)\n") }
    table.add("/slow", .workerPool) { _ in gate.wait(); return .text("slow done\n") }
    table.add("/throws", .workerPool) { _ in throw CocoaError(.featureUnsupported) }
    // Runs where the body asks: "inline" on the event loop, anything else on the worker pool.
    table.add("/where", .perRequest { request in request.body == Array("inline".utf8) ? .eventLoop : .workerPool }) { _ in
        .text("here\n")
    }
    table.add("/bad-header") { _ in HTTPResponse(status: .ok, headers: ["X-Evil": "a\r\nSet-Cookie: x=1", "X-Fine": "ok"], body: []) }
    return table
}

func startServer(_ responder: TableResponder = standardResponder(), configure: (inout HTTPServerConfiguration) -> Void = { _ in })
    throws -> HTTPServer {
    var configuration = HTTPServerConfiguration()
    configuration.port = 0
    configuration.eventLoops = 2
    configuration.workerThreads = 4
    configure(&configuration)
    return try HTTPServer.start(configuration: configuration, responder: responder, logger: Logger(minimumLevel: .error, sink: MemorySink()))
}

extension HTTPServer {
    func stop() {
        shutdown()
        waitUntilStopped()
    }
}
