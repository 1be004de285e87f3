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
        router.get(Path.discovery, execution: .eventLoop) { _ in
            Self.json(discovery, cache: "public, max-age=3600")
        }
        router.get(Path.jwks) { [provider] _ in
            // Short, so portals see a key rotation's new key well within its publish lead.
            Self.json(try provider.jwks().encoded(), cache: "public, max-age=300")
        }
        router.post(Path.token, execution: Self.inMemory { form in
            form.values("grant_type") == ["client_credentials"] && form.values("client_assertion").isEmpty
        }) { [provider] request in
            let form = try Self.form(request)
            let response = try provider.token(try TokenRequest(form: form, authorization: request.headers["Authorization"]),
                                              source: CitizenAPIRoutes.source(request))
            return Self.json(response.json.encoded())
        }
        let userinfo: HTTPHandler = { [provider] request in
            guard let token = Self.bearer(request) else { throw OAuthError.invalidToken("A Bearer access token is required.") }
            return Self.json(JSONValue.object(try provider.userinfo(accessToken: token)).encoded())
        }
        router.get(Path.userinfo, userinfo)
        router.post(Path.userinfo, userinfo)
        router.post(Path.introspection, execution: Self.inMemory { form in
            form.values("token").count == 1 && form.first("token")?.utf8.contains(UInt8(ascii: ".")) == true
        }) { [provider] request in
            Self.json(try provider.introspect(try Self.form(request), authorization: request.headers["Authorization"]).encoded())
        }
        router.post(Path.revocation) { [provider] request in
            try provider.revoke(try Self.form(request), authorization: request.headers["Authorization"], source: CitizenAPIRoutes.source(request))
            return Self.json(Array("{}".utf8))
        }
    }

    /// On the event loop for the requests `answersFromMemory` picks, on the worker pool for the rest. A client
    /// credentials grant with a secret and the introspection of an access token need only the in-memory portal
    /// table, key store, token cache and revocation list (plus a point read of the revocation table once per refresh
    /// interval, which in WAL mode never waits on the writer), so handing them to a worker thread only added two
    /// thread wake-ups. Everything that writes (codes, refresh tokens, revocations) stays on the pool.
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
