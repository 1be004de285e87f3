/// Where a handler runs.
public enum Execution: Sendable {
    /// On the event loop itself: only for quick work that never blocks (health checks, static answers).
    case eventLoop
    /// On the bounded worker pool: anything that blocks or burns CPU (SQLite, scrypt, signatures, outgoing HTTP).
    case workerPool
    /// Chosen per request once its body is in, for an endpoint whose cheap cases answer from memory and whose other
    /// cases write (the token endpoint). The choice must be quick; answering `perRequest` again means the worker pool.
    case perRequest(@Sendable (HTTPRequest) -> Execution)
}

/// Turns a request into a response; throws errors that the responder's error mapping turns into responses.
public typealias HTTPHandler = @Sendable (HTTPRequest) throws -> HTTPResponse

/// What the server needs to know about a request once its head is read, before the body arrives.
public struct ResolvedRoute: Sendable {
    /// The route's pattern (e.g. `/portals/:id`), used as the metrics label and in logs instead of the raw path.
    public var label: String
    /// Body limit for this route; nil means the server default.
    public var maxBodyBytes: Int?
    public var execution: Execution
    public var pathParameters: [String: String]
    public var handler: HTTPHandler

    public init(label: String, maxBodyBytes: Int? = nil, execution: Execution, pathParameters: [String: String] = [:],
                handler: @escaping HTTPHandler) {
        self.label = label
        self.maxBodyBytes = maxBodyBytes
        self.execution = execution
        self.pathParameters = pathParameters
        self.handler = handler
    }
}

/// The server's view of the application: a route for each request head, and a response for each thrown error.
public protocol HTTPResponder: Sendable {
    /// Picks the route for a request head. Unknown paths and methods resolve to routes answering 404 or 405.
    func resolve(_ head: HTTPRequestHead) -> ResolvedRoute
    /// Turns an error a handler threw into a response. This is the application's one error-mapping point.
    func response(for error: any Error, to request: HTTPRequest) -> HTTPResponse
}
