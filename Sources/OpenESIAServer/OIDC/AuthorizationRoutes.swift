import Citizens
import Federation
import Foundation
import HTTPServer
import WebPages

/// The browser side of OpenID Connect: the authorization endpoint, resuming after login, the consent answer.
///
/// ```
/// GET/POST /oauth2/authorize ─ validate ─ bad client/redirect ──▶ error page (never a redirect)
///                                        ├ other error ─────────▶ 303 redirect_uri?error=…&state=…
///                                        └ next step:
///     login ──▶ pending saved ─▶ 303 /login?return=/oauth2/resume?request=ID ─▶ (login) ─▶ GET /oauth2/resume
///     consent ─▶ pending saved ─▶ 303 /oauth2/resume?request=ID ─▶ consent page ─▶ POST /oauth2/consent
///     level too low ─▶ page with a link back (error=access_denied)
///     issue code ─▶ 303 redirect_uri?code=…&state=…&iss=…
/// ```
/// Pending requests live in the database, bound to the browser by the `oauth_browser` cookie.
struct AuthorizationRoutes {
    let service: CitizenService
    let provider: OpenIDProvider

    func add(to router: inout Router) {
        router.get(PagePath.oauthAuthorize) { [self] request in
            try authorize(WebContext(request), parameters: try request.queryFields(), viaForm: false)
        }
        router.post(PagePath.oauthAuthorize) { [self] request in
            try authorize(WebContext(request), parameters: try request.formFields(), viaForm: true)
        }
        router.get(PagePath.oauthResume) { [self] request in
            let context = WebContext(request)
            guard let browser = OAuthBrowser.existingBinding(context), let id = context.query("request"),
                  let pending = try provider.pendingAuthorization(id: id, browser: browser) else {
                throw AuthorizationPageError.unknownRequest
            }
            let login = try OAuthBrowser.login(context, service: service)
            return try answer(context, pending.request, login: login, pendingID: pending.id, browser: nil) {
                try provider.nextStep(pending.request, login: login?.0, requestedAt: pending.createdAt)
            }
        }
        router.post(PagePath.oauthConsent) { [self] request in
            let context = WebContext(request)
            let form = try request.formFields()
            guard let browser = OAuthBrowser.existingBinding(context), let id = form.first("request"),
                  let pending = try provider.pendingAuthorization(id: id, browser: browser) else {
                throw AuthorizationPageError.unknownRequest
            }
            guard let login = try OAuthBrowser.login(context, service: service) else {
                return context.redirect(OAuthBrowser.loginLocation(pendingID: pending.id, hint: pending.request.loginHint))
            }
            guard service.sessions.verifyCSRF(form.first("csrf") ?? "", for: login.1.token) else { return context.forbidden() }
            let source = CitizenAPIRoutes.source(request)
            guard form.first("decision") == "allow" else {
                let refused = OAuthError(.accessDenied, "The citizen refused consent.")
                return context.redirect(try provider.deny(pending.request, error: refused, login: login.0, pendingID: pending.id, source: source))
            }
            return try answer(context, pending.request, login: login, pendingID: pending.id, browser: nil, consentGiven: true) {
                try provider.stepAfterConsent(pending, login: login.0)
            }
        }
    }

    /// Validates a new request and answers it. A form post comes cross-site without the Lax session cookie, so it is
    /// saved and resumed by a GET, which carries the cookie.
    private func authorize(_ context: WebContext, parameters: FormFields, viaForm: Bool) throws -> HTTPResponse {
        let request: AuthorizationRequest
        do {
            request = try provider.validateAuthorization(parameters.fields.map { (name: $0.name, value: $0.value) })
        } catch {
            switch error {
            case .page(let refusal): throw refusal
            case .redirect(let oauth, let uri, let state): return context.redirect(provider.errorRedirect(oauth, redirectURI: uri, state: state))
            }
        }
        return try begin(context, request, viaForm: viaForm)
    }

    /// Answers a request that passed validation (here or at the ESIA dialect's endpoints): the login, consent and
    /// level pages and the code are the same for both.
    func begin(_ context: WebContext, _ request: AuthorizationRequest, viaForm: Bool = false) throws -> HTTPResponse {
        let (browser, cookie) = OAuthBrowser.binding(context)
        if viaForm {
            let id = try provider.savePending(request, browser: browser)
            return AnonymousCSRF.attach(cookie, to: context.redirect(OAuthBrowser.resumePath(id)))
        }
        let login = try OAuthBrowser.login(context, service: service)
        let response = try answer(context, request, login: login, pendingID: nil, browser: browser) {
            // A new request with prompt=login always sends the citizen to the login form, whenever their session began;
            // once saved, the request's own time is what a new login must follow.
            try provider.nextStep(request, login: login?.0, requestedAt: Date.distantFuture)
        }
        return AnonymousCSRF.attach(cookie, to: response)
    }

    /// Acts on the next step of `request`. `browser` is set when the request is new and must be saved before a page.
    private func answer(_ context: WebContext, _ request: AuthorizationRequest, login: (CitizenLogin, WebSession)?, pendingID: String?,
                        browser: String?, consentGiven: Bool = false, step: () throws -> AuthorizationStep) throws -> HTTPResponse {
        let source = CitizenAPIRoutes.source(context.request)
        let next: AuthorizationStep
        do {
            next = try step()
        } catch let failure as AuthorizationFailure {
            switch failure {
            case .page(let refusal): throw refusal
            case .redirect(let oauth, _, _):
                return context.redirect(try provider.deny(request, error: oauth, login: login?.0, pendingID: pendingID, source: source))
            }
        }
        func saved() throws -> String {
            if let pendingID { return pendingID }
            return try provider.savePending(request, browser: browser ?? "")
        }
        switch next {
        case .issueCode:
            guard let login else { throw AuthorizationPageError.unknownRequest }
            return context.redirect(try provider.approve(request, login: login.0, consentGiven: consentGiven, pendingID: pendingID, source: source))
        case .login(let hint):
            return context.redirect(OAuthBrowser.loginLocation(pendingID: try saved(), hint: hint))
        case .consent:
            let id = try saved()
            guard pendingID != nil, let login else { return context.redirect(OAuthBrowser.resumePath(id)) }
            let model = ConsentModel(language: context.language, csrfToken: login.1.csrfToken, currentPath: context.currentPath,
                                     portalName: provider.portalName(request.clientID), scopes: request.scopes.map(\.rawValue), requestID: id)
            return context.page(ConsentPage.render(model), formActions: OAuthBrowser.origin(of: request.redirectURI).map { [$0] } ?? [])
        case .levelTooLow(let required):
            let refused = OAuthError(.accessDenied, "The citizen's account level is below the level the client requires.")
            let back = try provider.deny(request, error: refused, login: login?.0, pendingID: pendingID, source: source)
            let current = login.flatMap { WebPages.AccountLevel(rawValue: $0.0.level.rawValue) } ?? .simplified
            let model = LevelTooLowModel(language: context.language, currentPath: context.currentPath, portalName: provider.portalName(request.clientID),
                                         required: WebPages.AccountLevel(rawValue: required.rawValue) ?? .confirmed, current: current, returnURL: back)
            return context.page(LevelTooLowPage.render(model), status: .forbidden)
        }
    }
}
