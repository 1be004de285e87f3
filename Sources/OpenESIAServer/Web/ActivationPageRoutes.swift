import Activation
import Citizens
import HTTPServer
import WebPages

/// The citizen's activation page: the status, ordering a letter, entering the code. Same session and CSRF rules as
/// the account pages (`WebGuard`).
struct ActivationPageRoutes {
    let service: CitizenService
    let activation: ActivationService
    /// The session and CSRF checks around the handlers.
    var guarded: WebGuard { WebGuard(service: service) }

    /// Adds the routes of this page.
    func add(to router: inout Router) {
        router.get(PagePath.activation, guarded.account { [activation] context, session, profile in
            try Self.page(context, session, profile, activation: activation)
        })
        router.post(PagePath.activationLetter, guarded.accountForm { [activation] context, session, profile, _ in
            do {
                _ = try activation.requestLetter(citizenID: session.citizenID, source: CitizenAPIRoutes.source(context.request))
            } catch let error as ActivationError {
                return try Self.page(context, session, profile, activation: activation, error: error)
            }
            return context.redirect(PagePath.activation)
        })
        router.post(PagePath.activationCode, guarded.accountForm { [activation, service] context, session, _, form in
            do {
                try activation.enterCode(citizenID: session.citizenID, code: WebForms.value(form, .code),
                                         source: CitizenAPIRoutes.source(context.request))
            } catch let error as ActivationError {
                // The level may have changed meanwhile; the page is drawn from the profile as it is now.
                let current = try service.profile(citizenID: session.citizenID)
                return try Self.page(context, session, current, activation: activation, error: error)
            }
            return context.redirect(PagePath.account)
        })
    }

    /// The page for the citizen's current status; after a refused post, with the problem and the status
    /// `ErrorMapping.describe` gives it (422, 409, 429). The typed code is never sent back.
    static func page(_ context: WebContext, _ session: WebSession, _ profile: CitizenProfile, activation: ActivationService,
                     error: ActivationError? = nil) throws -> HTTPResponse {
        let status = try activation.status(citizenID: session.citizenID)
        let model = ActivationView.model(status, profile: profile, csrfToken: session.csrfToken, context: context,
                                         problem: error.flatMap(ActivationView.problem))
        guard let error else { return context.page(ActivationPage.render(model)) }
        // Errors a page cannot explain (a letter id not found, an export failing) belong to the error page.
        guard model.problem != nil else { throw error }
        var response = context.page(ActivationPage.render(model), status: ErrorMapping.describe(error).0)
        if case .throttled(let seconds) = error.code { response.headers.set("Retry-After", String(seconds)) }
        if case .letterLimit(let seconds) = error.code { response.headers.set("Retry-After", String(seconds)) }
        return response
    }
}
