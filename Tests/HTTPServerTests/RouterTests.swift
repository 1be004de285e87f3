import HTTPServer
import Testing

/// The default mapping the application would have: routing and decoding errors to their statuses, others to 500.
private let plainErrors: @Sendable (any Error, HTTPRequest) -> HTTPResponse = { error, _ in
    switch error {
    case let error as RoutingError: error.defaultResponse
    case let error as RequestDecodingError: error.defaultResponse
    default: .text("oops", status: .internalServerError)
    }
}

private func head(_ method: HTTPMethod, _ path: String) -> HTTPRequestHead {
    HTTPRequestHead(method: method, target: path, path: path, query: nil, version: .http1_1, headers: [:])
}

/// Runs a request the way the server does: resolve, copy the parameters, call the handler, map errors.
private func run(_ router: Router, _ method: HTTPMethod, _ path: String) -> (route: ResolvedRoute, response: HTTPResponse) {
    let head = head(method, path)
    let route = router.resolve(head)
    let request = HTTPRequest(head: head, pathParameters: route.pathParameters)
    do {
        return (route, try route.handler(request))
    } catch {
        return (route, router.response(for: error, to: request))
    }
}

private func named(_ name: String) -> HTTPHandler {
    { request in
        let parameters = request.pathParameters.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
        return .text(([name] + parameters).joined(separator: " "))
    }
}

private func body(_ response: HTTPResponse) -> String { String(decoding: response.body, as: UTF8.self) }

private func sampleRouter(errors: @escaping @Sendable (any Error, HTTPRequest) -> HTTPResponse = plainErrors) -> Router {
    var router = Router(errorResponse: errors)
    router.get("/", named("root"))
    router.get("/healthz", execution: .eventLoop, named("health"))
    router.get("/api/v1/portals/:id", named("portal"))
    router.delete("/api/v1/portals/:id", named("delete-portal"))
    router.get("/api/v1/portals/new", named("new-portal"))
    router.get("/api/v1/portals/:id/keys/:kid", named("key"))
    router.post("/api/v1/portals", maxBodyBytes: 4096, named("create-portal"))
    router.get("/files/*rest", named("file"))
    return router
}

@Test func staticRoutesMatchExactlyAndCarryTheirSettings() {
    let router = sampleRouter()
    let health = run(router, .get, "/healthz")
    #expect(body(health.response) == "health")
    #expect(health.route.label == "/healthz")
    #expect(onEventLoop(health.route.execution))
    #expect(body(run(router, .get, "/").response) == "root")
    let create = run(router, .post, "/api/v1/portals")
    #expect(body(create.response) == "create-portal")
    #expect(create.route.maxBodyBytes == 4096)
    #expect(!onEventLoop(create.route.execution))
    // Case-sensitive, and no trailing-slash or double-slash normalisation.
    #expect(run(router, .get, "/HEALTHZ").response.status == .notFound)
    #expect(run(router, .get, "/healthz/").response.status == .notFound)
    #expect(run(router, .get, "//healthz").response.status == .notFound)
}

@Test func staticRoutesTakePrecedenceOverParameters() {
    let router = sampleRouter()
    #expect(body(run(router, .get, "/api/v1/portals/new").response) == "new-portal")
    let portal = run(router, .get, "/api/v1/portals/42")
    #expect(body(portal.response) == "portal id=42")
    #expect(portal.route.label == "/api/v1/portals/:id")
    // The static path has no DELETE, so the parameter route serves it.
    #expect(body(run(router, .delete, "/api/v1/portals/new").response) == "delete-portal id=new")
}

@Test func parametersAreDecodedAndMustBeNonEmpty() {
    let router = sampleRouter()
    #expect(body(run(router, .get, "/api/v1/portals/a%20b%2Fc+d").response) == "portal id=a b/c+d")
    #expect(body(run(router, .get, "/api/v1/portals/%D0%B8%D0%B4").response) == "portal id=ид")
    #expect(body(run(router, .get, "/api/v1/portals/p1/keys/k%3A2").response) == "key id=p1 kid=k:2")
    #expect(run(router, .get, "/api/v1/portals/").response.status == .notFound)
    #expect(run(router, .get, "/api/v1/portals//keys/k").response.status == .notFound)
}

@Test func invalidParameterEncodingIsABadRequest() {
    let router = sampleRouter()
    for path in ["/api/v1/portals/%zz", "/api/v1/portals/%4", "/api/v1/portals/%FF", "/files/a/%C3"] {
        let result = run(router, .get, path)
        #expect(result.response.status == .badRequest, "\(path)")
        #expect(result.route.label != "unmatched")
    }
}

@Test func catchAllTakesTheRestOfThePath() {
    let router = sampleRouter()
    #expect(body(run(router, .get, "/files/a/b%20c.txt").response) == "file rest=a/b c.txt")
    #expect(body(run(router, .get, "/files/").response) == "file rest=")
    #expect(run(router, .get, "/files").response.status == .notFound)
}

@Test func dotSegmentsMatchNothing() {
    let router = sampleRouter()
    for path in ["/api/../healthz", "/files/../etc/passwd", "/files/a/%2e%2e/b", "/api/v1/portals/..", "/api/v1/portals/."] {
        #expect(run(router, .get, path).response.status == .notFound, "\(path)")
    }
}

@Test func unknownPathsAre404ThroughTheErrorMapping() {
    let router = sampleRouter()
    let result = run(router, .get, "/nope")
    #expect(result.response.status == .notFound)
    #expect(result.route.label == "unmatched")
    #expect(onEventLoop(result.route.execution))
    #expect(run(router, .get, "*").response.status == .notFound)
    #expect(run(router, .get, "").response.status == .notFound)

    var mapped: RoutingError?
    let handler = router.resolve(head(.get, "/nope")).handler
    do { _ = try handler(HTTPRequest(head: head(.get, "/nope"))) } catch { mapped = error as? RoutingError }
    #expect(mapped == RoutingError(.notFound))
}

@Test func wrongMethodIs405WithAllowWhateverTheMappingRenders() {
    // A mapping that knows nothing of Allow: the router must add it anyway (RFC 9110 §15.5.6).
    let router = sampleRouter { error, _ in
        .text(error is RoutingError ? "{\"error\":\"routing\"}" : "other", status: (error as? RoutingError)?.status ?? .internalServerError)
    }
    let result = run(router, .post, "/healthz")
    #expect(result.response.status == .methodNotAllowed)
    #expect(result.response.headers["Allow"] == "GET, HEAD, OPTIONS")
    #expect(body(result.response) == "{\"error\":\"routing\"}")
    #expect(result.route.label == "/healthz")

    // Methods of every matching pattern count: the static one and the parameter one.
    let put = run(router, .put, "/api/v1/portals/new")
    #expect(put.response.status == .methodNotAllowed)
    #expect(put.response.headers["Allow"] == "DELETE, GET, HEAD, OPTIONS")

    #expect(RoutingError(.methodNotAllowed(allowed: [.post, .get])).defaultResponse.headers["Allow"] == "GET, POST")
}

@Test func headFallsBackToGetAndAnExplicitHeadWins() {
    var router = sampleRouter()
    let result = run(router, .head, "/api/v1/portals/7")
    #expect(body(result.response) == "portal id=7")
    #expect(result.route.label == "/api/v1/portals/:id")
    #expect(run(router, .head, "/api/v1/portals").response.status == .methodNotAllowed)
    router.add(.head, "/healthz", named("head-health"))
    #expect(body(run(router, .head, "/healthz").response) == "head-health")
}

@Test func optionsAnswers204WithAllowUnlessARouteHandlesIt() {
    var router = sampleRouter()
    let result = run(router, .options, "/api/v1/portals/9")
    #expect(result.response.status == .noContent)
    #expect(result.response.headers["Allow"] == "DELETE, GET, HEAD, OPTIONS")
    #expect(result.route.label == "/api/v1/portals/:id")
    #expect(run(router, .options, "/api/v1/portals").response.headers["Allow"] == "OPTIONS, POST")
    #expect(run(router, .options, "/nope").response.status == .notFound)
    router.add(.options, "/healthz", named("cors"))
    #expect(body(run(router, .options, "/healthz").response) == "cors")
}

@Test func moreSpecificParameterPatternsWin() {
    var router = Router(errorResponse: plainErrors)
    router.get("/a/:x/c", named("x"))
    router.get("/a/b/:y", named("y"))
    router.get("/a/:x/:z", named("z"))
    router.get("/a/*rest", named("rest"))
    #expect(body(run(router, .get, "/a/b/c").response) == "y y=c")
    #expect(body(run(router, .get, "/a/q/c").response) == "x x=q")
    #expect(body(run(router, .get, "/a/q/r").response) == "z x=q z=r")
    #expect(body(run(router, .get, "/a/q/r/s").response) == "rest rest=q/r/s")
}

@Test func routerResponseForErrorUsesTheMapping() {
    let router = sampleRouter()
    let request = HTTPRequest(head: head(.get, "/"))
    #expect(router.response(for: RequestDecodingError.malformedForm, to: request).status == .badRequest)
    #expect(router.response(for: CancellationError(), to: request).status == .internalServerError)
}

@Test func patternsParseIntoSegments() {
    #expect(RoutePattern("/").segments == [.literal("")])
    #expect(RoutePattern("/a/:id/*rest").segments == [.literal("a"), .parameter("id"), .catchAll("rest")])
    #expect(RoutePattern("/healthz").isStatic)
    #expect(!RoutePattern("/p/:id").isStatic)
}

@Test func conflictingRegistrationsStopTheProcess() async {
    await #expect(processExitsWith: .failure) {
        var router = Router(errorResponse: { _, _ in HTTPResponse() })
        router.get("/p/:id") { _ in HTTPResponse() }
        router.get("/p/:other") { _ in HTTPResponse() }
    }
    await #expect(processExitsWith: .failure) {
        var router = Router(errorResponse: { _, _ in HTTPResponse() })
        router.post("/healthz") { _ in HTTPResponse() }
        router.post("/healthz") { _ in HTTPResponse() }
    }
    // One shape, two spellings of its parameter: the second handler would get the wrong name.
    await #expect(processExitsWith: .failure) {
        var router = Router(errorResponse: { _, _ in HTTPResponse() })
        router.get("/p/:id") { _ in HTTPResponse() }
        router.delete("/p/:portalID") { _ in HTTPResponse() }
    }
}

private func onEventLoop(_ execution: Execution) -> Bool {
    if case .eventLoop = execution { return true }
    return false
}
