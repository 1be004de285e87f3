import Citizens
import Federation
import HTTPServer
import WebPages

/// RP-initiated logout (OpenID Connect RP-Initiated Logout 1.0): `GET /oauth2/logout` with `id_token_hint`,
/// `post_logout_redirect_uri` (registered for the portal) and `state`.
///
/// With a hint naming this browser's session the session ends at once; otherwise the citizen is asked first (a page
/// elsewhere must not be able to log them out unasked). Either way, `post_logout_redirect_uri` is only followed once
/// checked, and the logout hooks hear of the ended session with the portals it served.
struct LogoutRoutes {
    let service: CitizenService
    let provider: OpenIDProvider

    func add(to router: inout Router) {
        router.get(PagePath.oauthLogout) { [self] request in
            let context = WebContext(request)
            let parameters = try request.queryFields().fields.map { (name: $0.name, value: $0.value) }
            let plan = try provider.validateLogout(parameters)
            guard let session = try WebSession.find(context, sessions: service.sessions) else { return finish(context, plan) }
            guard plan.names(sid: provider.sid(sessionHandle: session.session.handle)) else {
                let model = LogoutConfirmModel(language: context.language, csrfToken: session.csrfToken, currentPath: context.currentPath,
                                               parameters: parameters)
                let origins = plan.redirect.flatMap(OAuthBrowser.origin(of:)).map { [$0] } ?? []
                return context.page(LogoutConfirmPage.render(model), formActions: origins)
            }
            try end(session, context)
            return finish(context, plan)
        }
        router.post(PagePath.oauthLogout) { [self] request in
            let context = WebContext(request)
            let form = try request.formFields()
            let plan = try provider.validateLogout(form.fields.filter { $0.name != "csrf" }.map { (name: $0.name, value: $0.value) })
            guard let session = try WebSession.find(context, sessions: service.sessions) else { return finish(context, plan) }
            guard service.sessions.verifyCSRF(form.first("csrf") ?? "", for: session.token) else { return context.forbidden() }
            try end(session, context)
            return finish(context, plan)
        }
    }

    private func end(_ session: WebSession, _ context: WebContext) throws {
        let publicID = try? service.profile(citizenID: session.citizenID).publicID
        try service.logout(token: session.token, source: CitizenAPIRoutes.source(context.request))
        provider.sessionEnded(handle: session.session.handle, publicID: publicID)
    }

    /// To the portal's registered address with its state, or the service's own logged-out page.
    private func finish(_ context: WebContext, _ plan: LogoutRequest) -> HTTPResponse {
        context.withoutSession(context.redirect(plan.redirect ?? PagePath.logout))
    }
}
