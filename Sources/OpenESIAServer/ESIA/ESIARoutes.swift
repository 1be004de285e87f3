import Citizens
import Federation
import Foundation
import HTTPServer
import PKI
import Support
import WebPages

/// A refusal of an ESIA request that the citizen sees as a page (never a redirect): unknown client, unregistered
/// `redirect_uri` or `redirect_url`. ErrorMapping renders it.
struct ESIAPageError: Error {
    let error: ESIAError
}

/// The ESIA-compatible endpoints (docs/esia.md):
///
/// ```
/// GET  /aas/oauth2/ac, /aas/oauth2/v2/ac   authorization: signature, timestamp, state, then the OIDC login/consent pages
/// POST /aas/oauth2/te, /aas/oauth2/v3/te   token JSON {access_token, id_token, refresh_token, expires_in, token_type, state}
/// GET  /rs/prns/:oid[/ctts|/addrs|/docs[/:id]]   person resources with a Bearer access token, ?embed=(elements)
/// GET  /idp/ext/Logout?client_id=&redirect_url=  ends the SSO session, back to a registered address
/// GET  /esia/certificates, /esia/certificates/:file   the token-signing certificates (index JSON, .cer DER, .pem)
/// ```
struct ESIARoutes {
    let esia: ESIAProvider
    let authorization: AuthorizationRoutes
    let service: CitizenService

    enum Path {
        static let legacyAuthorization = "/aas/oauth2/ac"
        static let currentAuthorization = "/aas/oauth2/v2/ac"
        static let legacyToken = "/aas/oauth2/te"
        static let currentToken = "/aas/oauth2/v3/te"
        static let logout = "/idp/ext/Logout"
        static let certificates = "/esia/certificates"
    }

    func add(to router: inout Router) {
        router.get(Path.legacyAuthorization) { [self] request in try authorize(request, flow: .legacy) }
        router.get(Path.currentAuthorization) { [self] request in try authorize(request, flow: .current) }
        router.post(Path.legacyToken) { [esia] request in try Self.token(request, esia: esia, flow: .legacy) }
        router.post(Path.currentToken) { [esia] request in try Self.token(request, esia: esia, flow: .current) }

        router.get("/rs/prns/:oid") { [esia] request in
            let (resources, embed) = try Self.resources(request, esia: esia)
            return Self.json(resources.person(embed: embed))
        }
        for (collection, list, element) in Self.collections {
            router.get("/rs/prns/:oid/\(collection)") { [esia] request in
                let (resources, embed) = try Self.resources(request, esia: esia)
                return Self.json(try list(resources, embed.contains("elements")))
            }
            router.get("/rs/prns/:oid/\(collection)/:id") { [esia] request in
                let (resources, _) = try Self.resources(request, esia: esia)
                return Self.json(try element(resources, request.pathParameters["id"] ?? ""))
            }
        }

        router.get(Path.logout) { [self] request in try logout(request) }
        router.get(Path.certificates) { [esia] _ in
            let now = Date()
            let list: [JSONValue] = try esia.certificates.all(at: now).map { entry in
                ["kid": .string(entry.keyID), "alg": .string(entry.algorithm.rawValue), "state": .string(entry.state.rawValue),
                 "url": .string("\(esia.settings.baseURL)\(Path.certificates)/\(entry.keyID).cer"),
                 "notBefore": .string(Timestamp.iso8601(entry.certificate.notBefore)),
                 "notAfter": .string(Timestamp.iso8601(entry.certificate.notAfter))]
            }
            return Self.json(["issuer": .string(esia.settings.issuer), "certificates": .array(list)], cache: "public, max-age=300")
        }
        router.get(Path.certificates + "/:file") { [esia] request in
            let file = request.pathParameters["file"] ?? ""
            let isPEM = file.hasSuffix(".pem")
            guard isPEM || file.hasSuffix(".cer") else { throw RoutingError(.notFound) }
            guard let entry = try esia.certificates.certificate(keyID: String(file.dropLast(4)), at: Date()) else { throw RoutingError(.notFound) }
            var response = isPEM
                ? HTTPResponse(body: Array(try entry.certificate.pem().utf8))
                : HTTPResponse(body: entry.certificate.derBytes)
            response.headers.set("Content-Type", isPEM ? "application/x-pem-file" : "application/pkix-cert")
            response.headers.set("Content-Disposition", "attachment; filename=\"\(file)\"")
            response.headers.set("Cache-Control", "public, max-age=300")
            return response
        }
    }

    // MARK: - Authorization

    /// Validates, then hands over to the OpenID Connect pages (login, consent, level too low) and their code.
    private func authorize(_ request: HTTPRequest, flow: ESIAFlow) throws -> HTTPResponse {
        let context = WebContext(request)
        let parameters = try request.queryFields().fields.map { (name: $0.name, value: $0.value) }
        let validated: AuthorizationRequest
        do {
            validated = try esia.validateAuthorization(parameters, flow: flow)
        } catch {
            switch error {
            case .page(let refusal): throw ESIAPageError(error: refusal)
            case .redirect(let refusal, let uri, let state): return context.redirect(ESIAProvider.errorRedirect(refusal, redirectURI: uri, state: state))
            }
        }
        return try authorization.begin(context, validated)
    }

    // MARK: - Token

    private static func token(_ request: HTTPRequest, esia: ESIAProvider, flow: ESIAFlow) throws -> HTTPResponse {
        let form: [(name: String, value: String)]
        do {
            form = try request.formFields().fields.map { (name: $0.name, value: $0.value) }
        } catch {
            throw ESIATokenFailure(error: ESIAError(.invalidParameter, "the body must be application/x-www-form-urlencoded"), state: nil)
        }
        return json(try esia.token(form, flow: flow, source: CitizenAPIRoutes.source(request)))
    }

    // MARK: - Person resources

    /// Each collection with its list and element builders.
    private static let collections: [(String, @Sendable (ESIAPersonResources, Bool) throws -> JSONValue,
                                      @Sendable (ESIAPersonResources, String) throws -> JSONValue)] = [
        ("ctts", { try $0.contacts(embed: $1) }, { try $0.contact(id: $1) }),
        ("addrs", { try $0.addresses(embed: $1) }, { try $0.address(id: $1) }),
        ("docs", { try $0.documents(embed: $1) }, { try $0.document(id: $1) }),
    ]

    private static func resources(_ request: HTTPRequest, esia: ESIAProvider) throws -> (ESIAPersonResources, Set<String>) {
        guard let token = OIDCRoutes.bearer(request) else { throw ESIAInvalidToken() }
        let resources = try esia.resources(token: token, oid: request.pathParameters["oid"] ?? "")
        let embed = ESIAPersonResources.embedNames((try? request.queryFields())?.first("embed"))
        return (resources, embed)
    }

    // MARK: - Logout

    /// Ends the browser's SSO session (every portal's), tells the logout hooks, and returns the browser to the portal's
    /// registered address. ESIA asks nothing: a portal sending its citizen here wants them logged out everywhere.
    private func logout(_ request: HTTPRequest) throws -> HTTPResponse {
        let context = WebContext(request)
        let plan: ESIALogoutRequest
        let parameters = try request.queryFields().fields.map { (name: $0.name, value: $0.value) }
        do {
            plan = try esia.validateLogout(parameters)
        } catch {
            throw ESIAPageError(error: error)
        }
        if let session = try WebSession.find(context, sessions: service.sessions) {
            let publicID = try? service.profile(citizenID: session.citizenID).publicID
            try service.logout(token: session.token, source: CitizenAPIRoutes.source(request))
            esia.openID.sessionEnded(handle: session.session.handle, publicID: publicID)
        }
        return context.withoutSession(context.redirect(plan.redirect ?? PagePath.logout))
    }

    static func json(_ value: JSONValue, cache: String = "no-store") -> HTTPResponse {
        OIDCRoutes.json(value.encoded(), cache: cache)
    }
}
