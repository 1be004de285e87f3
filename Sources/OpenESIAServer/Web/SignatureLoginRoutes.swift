import Citizens
import HeadCA
import HTTPServer
import WebPages

/// The citizens' e-signature login pages: the challenge flow (`SignatureChallengeRoutes`), the offer to register with a
/// certificate no account holds, and the registration itself.
struct SignatureLoginRoutes {
    let login: SignatureLogin
    let service: CitizenService

    func add(to router: inout Router) {
        let guarded = WebGuard(service: service)
        let (login, service) = (self.login, self.service)
        SignatureChallengeRoutes(
            login: login, purpose: .citizenLogin,
            loginPage: { context, problem, status in
                var response = CitizenPageRoutes.loginPage(context, signatureProblem: problem)
                response.status = status
                return response
            },
            verified: { context, signer in
                do {
                    let result = try service.loginWithCertificate(signer.identity, source: CitizenAPIRoutes.source(context.request),
                                                                  sameWrite: signer.spendChallenge)
                    return try Self.signedIn(context, result, service: service)
                } catch let error as CitizensError where error.code == .noAccountForCertificate {
                    // The server keeps what it verified; the page's button sends back only the offer's id.
                    let offer = try login.offerRegistration(signer, binding: SignatureChallengeRoutes.binding(context))
                    return Self.offerPage(context, signer, offer: offer)
                }
            }
        ).add(to: &router, csrf: guarded)

        router.post(PagePath.signatureRegister, guarded.anonymousForm { context, form in
            do {
                let signer = try login.takeOffer(id: form.first("offer") ?? "", binding: SignatureChallengeRoutes.binding(context))
                let result = try service.registerWithCertificate(signer.identity, source: CitizenAPIRoutes.source(context.request))
                return try Self.signedIn(context, result, service: service)
            } catch {
                guard let (status, problem) = ErrorMapping.signatureProblem(error) else { throw error }
                // The challenge is long gone here: a ChallengeError is about the offer.
                let shown = error is ChallengeError ? SignatureProblem(code: "offerExpired") : problem
                var response = CitizenPageRoutes.loginPage(context, signatureProblem: shown)
                response.status = status
                return response
            }
        })
    }

    /// The session cookie and 303 to the account page; a session this browser still held is ended.
    static func signedIn(_ context: WebContext, _ result: LoginResult, service: CitizenService) throws -> HTTPResponse {
        if let old = context.sessionToken { try service.sessions.end(token: old) }
        return context.withSession(result.sessionToken, context.redirect(PagePath.account))
    }

    /// "No account has this SNILS: register with this certificate?"
    static func offerPage(_ context: WebContext, _ signer: VerifiedSigner, offer: String) -> HTTPResponse {
        let (token, cookie) = AnonymousCSRF.token(context)
        let identity = signer.identity
        let model = CertificateRegistrationModel(language: context.language, csrfToken: token, currentPath: PagePath.login,
                                                 offerID: offer, holder: identity.commonName, snils: identity.snils,
                                                 hasINN: identity.inn != nil, issuer: identity.issuer, notAfter: identity.notAfter)
        return AnonymousCSRF.attach(cookie, to: context.page(CertificateRegistrationPage.render(model)))
    }
}
