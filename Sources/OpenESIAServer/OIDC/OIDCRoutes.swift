import Citizens
import Federation
import HTTPServer
import Support

/// The machine side of OpenID Connect: discovery, JWKS, token, userinfo, introspection, revocation. Every answer is
/// JSON; errors are OAuth errors (ErrorMapping.oauth) with `Cache-Control: no-store`.
struct OIDCRoutes {
    let provider: OpenIDProvider

    enum Path {
        static let discovery = "/.well-known/openid-configuration"
        static let jwks = "/.well-known/jwks.json"
        static let token = "/oauth2/token"
        static let userinfo = "/oauth2/userinfo"
        static let introspection = "/oauth2/introspect"
        static let revocation = "/oauth2/revoke"
    }

    func add(to router: inout Router) {
        // Fixed for the life of the process: made once, served from the event loop.
        let discovery = provider.discovery().encoded()
        // Public metadata: any web page may read it.
        router.get(Path.discovery, execution: .eventLoop) { _ in
            Self.json(discovery, cache: "public, max-age=3600").allowingAnyOrigin()
        }
        router.get(Path.jwks) { [provider] _ in
            // Short, so portals see a key rotation's new key well within its publish lead.
            Self.json(try provider.jwks().encoded(), cache: "public, max-age=300").allowingAnyOrigin()
        }
        router.post(Path.token, execution: Self.inMemory { form in
            form.values("grant_type") == ["client_credentials"] && form.values("client_assertion").isEmpty
        }) { [provider] request in
            try Self.crossOrigin(request, provider: provider, clientID: Self.formClientID(request)) {
                let form = try Self.form(request)
                let response = try provider.token(try TokenRequest(form: form, authorization: request.headers["Authorization"]),
                                                  source: CitizenAPIRoutes.source(request))
                return Self.json(response.json.encoded())
            }
        }
        let userinfo: HTTPHandler = { [provider] request in
            try Self.crossOrigin(request, provider: provider, clientID: nil) {
                guard let token = Self.bearer(request) else { throw OAuthError.invalidToken("A Bearer access token is required.") }
                return Self.json(JSONValue.object(try provider.userinfo(accessToken: token)).encoded())
            }
        }
        // Userinfo reads (the token from memory, the person by primary key, WAL readers never wait on the writer) and
        // writes nothing, so it answers from the event loop like introspection.
        router.get(Path.userinfo, execution: .eventLoop, userinfo)
        router.post(Path.userinfo, execution: .eventLoop, userinfo)
        router.post(Path.introspection, execution: Self.inMemory { form in
            form.values("token").count == 1 && form.first("token")?.utf8.contains(UInt8(ascii: ".")) == true
                && form.values("client_assertion").isEmpty  // a portal's published keys may have to be fetched
        }) { [provider] request in
            Self.json(try provider.introspect(try Self.form(request), authorization: request.headers["Authorization"]).encoded())
        }
        router.post(Path.revocation) { [provider] request in
            try Self.crossOrigin(request, provider: provider, clientID: Self.formClientID(request)) {
                try provider.revoke(try Self.form(request), authorization: request.headers["Authorization"], source: CitizenAPIRoutes.source(request))
                return Self.json(Array("{}".utf8))
            }
        }
        // CORS preflights: no body, so no client yet; any enabled OIDC portal's origin passes (the request itself is
        // then checked against its own client).
        for (path, methods) in [(Path.token, "POST"), (Path.revocation, "POST"), (Path.userinfo, "GET, POST")] {
            router.add(.options, path, execution: .eventLoop) { [provider] request in
                var response = HTTPResponse(status: .noContent, headers: [:], body: [])
                response.headers.set("Vary", "Origin")
                guard let origin = request.headers["Origin"], provider.allowsWebOrigin(origin, clientID: nil) else { return response }
                response.headers.set("Access-Control-Allow-Origin", origin)
                response.headers.set("Access-Control-Allow-Methods", methods)
                response.headers.set("Access-Control-Allow-Headers", "Authorization, Content-Type")
                response.headers.set("Access-Control-Max-Age", "600")
                return response
            }
        }
    }

    /// Runs an endpoint a single-page app calls from script and, when the request has an `Origin` that `clientID`
    /// (or any portal, when nil) registered, lets the script read the answer, errors included (RFC 6749 §5.2 errors
    /// are what the app must see).
    static func crossOrigin(_ request: HTTPRequest, provider: OpenIDProvider, clientID: @autoclosure () -> String?,
                            _ body: () throws -> HTTPResponse) throws -> HTTPResponse {
        guard let origin = request.headers["Origin"] else { return try body() }
        var response: HTTPResponse
        do {
            response = try body()
        } catch let error as OAuthError {
            response = ErrorMapping.oauth(error)
        }
        response.headers.set("Vary", "Origin")
        if provider.allowsWebOrigin(origin, clientID: clientID()) {
            response.headers.set("Access-Control-Allow-Origin", origin)
            response.headers.set("Access-Control-Expose-Headers", "WWW-Authenticate")
        }
        return response
    }

    /// The form's single `client_id`, when the body is a form that has one.
    static func formClientID(_ request: HTTPRequest) -> String? {
        guard let values = try? request.formFields().values("client_id"), values.count == 1 else { return nil }
        return values[0]
    }

    /// On the event loop for the requests `answersFromMemory` picks, on the worker pool for the rest. A client
    /// credentials grant and the introspection of an access token, by a portal authenticating with a secret, need only
    /// the in-memory portal table, key store, token cache and revocation list (plus a point read of the revocation
    /// table once per refresh interval, which in WAL mode never waits on the writer), so handing them to a worker
    /// thread only added two thread wake-ups. Everything that writes (codes, refresh tokens, revocations) stays on the
    /// pool, and so does a client assertion, whose keys may have to be fetched from the portal.
    static func inMemory(_ answersFromMemory: @escaping @Sendable (FormFields) -> Bool) -> Execution {
        .perRequest { request in
            guard let form = try? request.formFields(), answersFromMemory(form) else { return .workerPool }
            return .eventLoop
        }
    }

    /// The form body as sent; a body that is not a form is an OAuth `invalid_request`, not a problem document.
    static func form(_ request: HTTPRequest) throws -> [(name: String, value: String)] {
        do {
            return try request.formFields().fields.map { (name: $0.name, value: $0.value) }
        } catch {
            throw OAuthError.invalidRequest("The body must be application/x-www-form-urlencoded.")
        }
    }

    /// The token of `Authorization: Bearer <token>` (RFC 6750 §2.1).
    static func bearer(_ request: HTTPRequest) -> String? {
        guard let header = request.headers["Authorization"] else { return nil }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        let token = String(parts[1].trimmingSpacesAndTabs())
        return token.isEmpty ? nil : token
    }

    /// A JSON answer; tokens and personal data are never cached (RFC 6749 §5.1).
    static func json(_ body: [UInt8], cache: String = "no-store") -> HTTPResponse {
        var response = HTTPResponse.json(bytes: body)
        response.headers.set("Cache-Control", cache)
        if cache == "no-store" { response.headers.set("Pragma", "no-cache") }
        return response
    }
}

extension HTTPResponse {
    /// Lets a script on any web page read the answer (CORS): for public metadata only.
    func allowingAnyOrigin() -> HTTPResponse {
        var copy = self
        copy.headers.set("Access-Control-Allow-Origin", "*")
        return copy
    }
}
