/// Why the router found no route: the handler of an unmatched route hands it to the error mapping.
public struct RoutingError: Error, Sendable, Equatable {
    /// No resource at the path, or one that does not serve the method.
    public enum Code: Sendable, Equatable {
        case notFound
        case methodNotAllowed(allowed: [HTTPMethod])
    }

    /// What was not found.
    public var code: Code

    /// An error with its code.
    public init(_ code: Code) { self.code = code }

    /// 404 or 405.
    public var status: HTTPStatus {
        switch code {
        case .notFound: .notFound
        case .methodNotAllowed: .methodNotAllowed
        }
    }

    /// A plain-text 404, or a 405 with the `Allow` header RFC 9110 §15.5.6 requires.
    public var defaultResponse: HTTPResponse {
        var response = HTTPResponse.text(status.reason + "\n", status: status)
        if case .methodNotAllowed(let allowed) = code {
            response.headers.set("Allow", Router.allowHeader(allowed))
        }
        return response
    }
}

/// The route table: built once at start with `add`, then handed to the server as its responder.
///
/// Static paths are found with one dictionary lookup; parameter patterns through a segment tree, most specific first.
/// A static route wins over a parameter route for the same path; HEAD falls back to GET (the server drops
/// the body); OPTIONS without its own route answers 204 with `Allow`; a known path with another method
/// answers 405 with `Allow`; anything else 404. Paths are not normalised: `//` is not collapsed, and
/// a dot-segment (`.`, `..`, encoded or not) matches nothing, so `/a/../b` is a 404, never `/b`.
public struct Router: HTTPResponder {
    /// Every route registered for one shape of path (one static path, or one pattern with names erased).
    struct Resource: Sendable {
        var pattern: RoutePattern
        var routes: [(method: HTTPMethod, route: ResolvedRoute)] = []

        /// The explicit route for the method, or GET's for HEAD (RFC 9110 §9.3.2).
        @inline(__always)
        func route(for method: HTTPMethod) -> ResolvedRoute? {
            for entry in routes where entry.method == method { return entry.route }
            if method == .head {
                for entry in routes where entry.method == .get { return entry.route }
            }
            return nil
        }

        /// The methods the resource serves, HEAD with GET and OPTIONS always.
        var allowed: Set<HTTPMethod> {
            var methods = Set(routes.map(\.method))
            if methods.contains(.get) { methods.insert(.head) }
            methods.insert(.options)
            return methods
        }
    }

    private var staticResources: [String: Resource] = [:]
    /// Resources with parameters, found through `tree`.
    private var parameterResources: [Resource] = []
    private var tree = RouteTree()
    private let errorResponse: @Sendable (any Error, HTTPRequest) -> HTTPResponse
    private let unmatched: ResolvedRoute

    /// A router with no routes, using `errorResponse` for every error, its own 404 and 405 included.
    public init(errorResponse: @escaping @Sendable (any Error, HTTPRequest) -> HTTPResponse) {
        self.errorResponse = errorResponse
        unmatched = ResolvedRoute(label: "unmatched", execution: .eventLoop) { _ in
            throw RoutingError(.notFound)
        }
    }

    /// Registers a handler. Registering the same method for the same shape of path twice is a programmer error.
    public mutating func add(_ method: HTTPMethod, _ pattern: String, execution: Execution = .workerPool,
                             maxBodyBytes: Int? = nil, _ handler: @escaping HTTPHandler) {
        let parsed = RoutePattern(pattern)
        let route = ResolvedRoute(label: parsed.text, maxBodyBytes: maxBodyBytes, execution: execution, handler: handler)
        if parsed.isStatic {
            var resource = staticResources[parsed.text] ?? Resource(pattern: parsed)
            precondition(resource.routes.allSatisfy { $0.method != method }, "route \(method) \(pattern) registered twice")
            resource.routes.append((method, route))
            staticResources[parsed.text] = resource
            return
        }
        let slot = tree.insert(parsed)
        if let index = tree.resource(at: slot) {
            // Same node of the tree, so the same shape: the same paths match both patterns.
            let existing = parameterResources[index].pattern
            precondition(parameterResources[index].routes.allSatisfy { $0.method != method },
                         "route \(method) \(pattern) conflicts with \(method) \(existing)")
            // One shape is matched once, so its parameters must have one set of names.
            precondition(existing.segments == parsed.segments,
                         "route \(pattern) names its parameters unlike \(existing), which has the same shape")
            parameterResources[index].routes.append((method, route))
        } else {
            var resource = Resource(pattern: parsed)
            resource.routes.append((method, route))
            parameterResources.append(resource)
            tree.setResource(parameterResources.count - 1, at: slot)
        }
    }

    /// Registers a GET handler (which also answers HEAD).
    public mutating func get(_ pattern: String, execution: Execution = .workerPool, maxBodyBytes: Int? = nil,
                             _ handler: @escaping HTTPHandler) {
        add(.get, pattern, execution: execution, maxBodyBytes: maxBodyBytes, handler)
    }

    /// Registers a POST handler.
    public mutating func post(_ pattern: String, execution: Execution = .workerPool, maxBodyBytes: Int? = nil,
                              _ handler: @escaping HTTPHandler) {
        add(.post, pattern, execution: execution, maxBodyBytes: maxBodyBytes, handler)
    }

    /// Registers a PUT handler.
    public mutating func put(_ pattern: String, execution: Execution = .workerPool, maxBodyBytes: Int? = nil,
                             _ handler: @escaping HTTPHandler) {
        add(.put, pattern, execution: execution, maxBodyBytes: maxBodyBytes, handler)
    }

    /// Registers a PATCH handler.
    public mutating func patch(_ pattern: String, execution: Execution = .workerPool, maxBodyBytes: Int? = nil,
                               _ handler: @escaping HTTPHandler) {
        add(.patch, pattern, execution: execution, maxBodyBytes: maxBodyBytes, handler)
    }

    /// Registers a DELETE handler.
    public mutating func delete(_ pattern: String, execution: Execution = .workerPool, maxBodyBytes: Int? = nil,
                                _ handler: @escaping HTTPHandler) {
        add(.delete, pattern, execution: execution, maxBodyBytes: maxBodyBytes, handler)
    }

    /// Picks the route for a request head; never fails, since unknown paths resolve to 404/405 routes.
    public func resolve(_ head: HTTPRequestHead) -> ResolvedRoute {
        let path = head.path
        let method = head.method
        // Fast path: a static route for the method costs one hash lookup and a short scan.
        let staticResource = staticResources[path]
        if let route = staticResource?.route(for: method) { return route }

        guard path.utf8.first == UInt8(ascii: "/") else { return unmatched }
        var matching: [Resource] = []
        if let staticResource { matching.append(staticResource) }
        if !parameterResources.isEmpty {
            let segments = path.utf8.dropFirst()
                .split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false)
                .map { Substring($0) }
            // Candidates arrive most specific first, so the first that serves the method wins.
            for index in tree.candidates(segments) {
                let resource = parameterResources[index]
                switch resource.pattern.match(segments) {
                case .none:
                    continue
                case .invalidParameter:
                    if let route = resource.route(for: method) {
                        // RFC 3986 §2.1: the path matched, but a parameter is not valid percent-encoded UTF-8.
                        return ResolvedRoute(label: route.label, execution: .eventLoop) { _ in
                            throw RequestDecodingError.invalidPathParameter
                        }
                    }
                case .matched(let parameters):
                    if var route = resource.route(for: method) {
                        route.pathParameters = parameters
                        return route
                    }
                }
                matching.append(resource)
            }
        }
        guard let first = matching.first else { return unmatched }

        let allowed = matching.reduce(into: Set<HTTPMethod>()) { $0.formUnion($1.allowed) }.sorted { $0.rawValue < $1.rawValue }
        let allow = Router.allowHeader(allowed)
        if method == .options {
            // RFC 9110 §9.3.7: OPTIONS describes the resource; Allow lists what it serves.
            return ResolvedRoute(label: first.pattern.text, execution: .eventLoop) { _ in
                HTTPResponse(status: .noContent, headers: ["Allow": allow])
            }
        }
        let errorResponse = self.errorResponse
        return ResolvedRoute(label: first.pattern.text, execution: .eventLoop) { request in
            // RFC 9110 §15.5.6: a 405 MUST carry Allow, whatever the error mapping renders.
            var response = errorResponse(RoutingError(.methodNotAllowed(allowed: allowed)), request)
            response.headers.set("Allow", allow)
            return response
        }
    }

    /// Hands the error to the application's error mapping.
    public func response(for error: any Error, to request: HTTPRequest) -> HTTPResponse {
        errorResponse(error, request)
    }

    /// The `Allow` field value: methods sorted and comma-separated (RFC 9110 §10.2.1).
    static func allowHeader(_ methods: [HTTPMethod]) -> String {
        methods.map(\.rawValue).sorted().joined(separator: ", ")
    }
}

/// The parameter patterns as a tree of segments, so a lookup walks the path once instead of trying every pattern.
/// Children are tried literal first, then parameter, then catch-all: the most specific pattern comes first.
struct RouteTree: Sendable {
    /// Where a pattern ends: a node, and whether in its catch-all slot.
    struct Slot {
        var node: Int
        var catchAll: Bool
    }

    private struct Node: Sendable {
        var literals: [String: Int] = [:]
        var parameter: Int?
        /// The resource of the pattern ending here in a catch-all.
        var catchAll: Int?
        /// The resource of the pattern ending here.
        var resource: Int?
    }

    /// Nodes by index, the root first; indices instead of nested values keep lookups free of copies.
    private var nodes = [Node()]

    /// The slot of a pattern, adding nodes as needed.
    mutating func insert(_ pattern: RoutePattern) -> Slot {
        var node = 0
        for segment in pattern.segments {
            switch segment {
            case .literal(let literal):
                if let child = nodes[node].literals[literal] {
                    node = child
                } else {
                    nodes.append(Node())
                    nodes[node].literals[literal] = nodes.count - 1
                    node = nodes.count - 1
                }
            case .parameter:
                if let child = nodes[node].parameter {
                    node = child
                } else {
                    nodes.append(Node())
                    nodes[node].parameter = nodes.count - 1
                    node = nodes.count - 1
                }
            case .catchAll:
                return Slot(node: node, catchAll: true)
            }
        }
        return Slot(node: node, catchAll: false)
    }

    /// The resource already in a slot.
    func resource(at slot: Slot) -> Int? {
        slot.catchAll ? nodes[slot.node].catchAll : nodes[slot.node].resource
    }

    /// Puts a resource in a slot.
    mutating func setResource(_ resource: Int, at slot: Slot) {
        if slot.catchAll { nodes[slot.node].catchAll = resource } else { nodes[slot.node].resource = resource }
    }

    /// The resources whose shape fits the path's segments, most specific first.
    func candidates(_ segments: [Substring]) -> [Int] {
        var found: [Int] = []
        walk(0, 0, segments, &found)
        return found
    }

    private func walk(_ node: Int, _ depth: Int, _ segments: [Substring], _ found: inout [Int]) {
        guard depth < segments.count else {
            if let resource = nodes[node].resource { found.append(resource) }
            return
        }
        let segment = segments[depth]
        if !nodes[node].literals.isEmpty, let child = nodes[node].literals[String(segment)] {
            walk(child, depth + 1, segments, &found)
        }
        if !segment.isEmpty, let child = nodes[node].parameter { walk(child, depth + 1, segments, &found) }
        if let resource = nodes[node].catchAll { found.append(resource) }
    }
}
