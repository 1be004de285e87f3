import Activation
import Citizens
import HTTPServer
import WebPages

/// The staff console's login (password and TOTP, or an e-signature) and logout.
struct StaffLoginRoutes {
    let staff: StaffDirectory
    /// For the anonymous double-submit check of the login form, shared with the citizens' login.
    let citizens: CitizenService
    /// The e-signature login's verification step.
    let signatures: SignatureLogin

    /// Adds GET/POST /staff/login and POST /staff/logout.
    func add(to router: inout Router) {
        router.get(PagePath.staffLogin) { [staff] request in
            let context = WebContext(request)
            if try StaffWebSession.find(context, staff: staff) != nil { return context.redirect(PagePath.staffHome) }
            return Self.loginPage(context)
        }
        router.post(PagePath.staffLogin, WebGuard(service: citizens).anonymousForm { [staff] context, form in
            let login = form.first("login") ?? ""
            let source = CitizenAPIRoutes.source(context.request)
            do {
                let result = try staff.login(login: login, password: form.first("password") ?? "",
                                             totpCode: form.first("totp") ?? "", source: source)
                // A staff session this browser still held is ended, so one browser never holds two.
                if let old = context.cookies.first(StaffWebSession.cookie) { try staff.sessions.end(token: old) }
                return StaffWebSession.set(result.sessionToken, context, context.redirect(PagePath.staffHome))
            } catch StaffError.wrongCredentials {
                return Self.loginPage(context, login: login, failed: true, status: .unauthorized)
            } catch StaffError.throttled(let seconds) {
                var response = Self.loginPage(context, login: login, lockedOut: true, status: .tooManyRequests)
                response.headers.set("Retry-After", String(seconds))
                return response
            }
        })
        SignatureChallengeRoutes(
            login: signatures, purpose: .staffLogin,
            loginPage: { context, problem, status in Self.loginPage(context, signatureProblem: problem, status: status) },
            verified: { [staff] context, signer in
                let result = try staff.loginWithCertificate(signer.identity, source: CitizenAPIRoutes.source(context.request),
                                                            sameWrite: signer.spendChallenge)
                if let old = context.cookies.first(StaffWebSession.cookie) { try staff.sessions.end(token: old) }
                return StaffWebSession.set(result.sessionToken, context, context.redirect(PagePath.staffHome))
            }
        ).add(to: &router, csrf: WebGuard(service: citizens))
        router.post(PagePath.staffLogout, StaffGuard(staff: staff).form { [staff] context, session, _ in
            try staff.logout(sessionToken: session.token, source: CitizenAPIRoutes.source(context.request))
            return StaffWebSession.remove(context, context.redirect(PagePath.staffLogin))
        })
    }

    /// The login form with a double-submit csrf token; only the login is refilled.
    static func loginPage(_ context: WebContext, login: String = "", failed: Bool = false, lockedOut: Bool = false,
                          signatureProblem: SignatureProblem? = nil, status: HTTPStatus = .ok) -> HTTPResponse {
        let (token, cookie) = AnonymousCSRF.token(context)
        let model = StaffLoginModel(language: context.language, csrfToken: token, currentPath: PagePath.staffLogin,
                                    login: String(login.prefix(64)), failed: failed, lockedOut: lockedOut,
                                    signatureProblem: signatureProblem)
        return AnonymousCSRF.attach(cookie, to: context.page(StaffLoginPage.render(model), status: status))
    }
}
