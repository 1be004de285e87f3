import Citizens
import HTTPServer
import WebPages

/// The citizen's way in: registration, the contact code, documents, login and logout, as HTML pages.
/// GET renders; POST acts and answers 303 to the next page, or the same page again with what was wrong (422 etc.).
struct CitizenPageRoutes {
    let service: CitizenService
    /// The origins a login form with this `return` value ends up redirecting to (a portal's), for the page's CSP.
    var returnOrigins: @Sendable (WebContext, String) -> [String] = { _, _ in [] }
    /// Told about each citizen session the citizen ends by logging out (back-channel logout and the like).
    var sessionEnded: @Sendable (_ handle: String, _ citizenID: Int64) -> Void = { _, _ in }
    /// The session and CSRF checks around the handlers.
    var guarded: WebGuard { WebGuard(service: service) }

    /// Adds the routes of these pages.
    func add(to router: inout Router) {
        addRegistration(to: &router)
        addContactConfirmation(to: &router)
        addDocuments(to: &router)
        addLogin(to: &router)
    }

    // MARK: Registration

    private func addRegistration(to router: inout Router) {
        router.get(PagePath.register) { [service] request in
            let context = WebContext(request)
            if try WebSession.find(context, sessions: service.sessions) != nil { return context.redirect(PagePath.account) }
            return Self.registerPage(context)
        }
        router.post(PagePath.register, guarded.anonymousForm { [service] context, form in
            switch try WebForms.attempt({ try service.register(WebForms.registration(form), source: CitizenAPIRoutes.source(context.request)) }) {
            case .success(let registration):
                // The new session may only confirm its contact until a code is entered (WebGuard).
                return context.withSession(registration.sessionToken, context.redirect(PagePath.confirmContact))
            case .failure(let failure):
                return failure.apply(to: Self.registerPage(context, values: WebForms.refill(form, RegisterPage.fields), failure: failure))
            }
        })
    }

    /// The registration form, with a double-submit csrf token (and its cookie when the browser has none yet).
    static func registerPage(_ context: WebContext, values: [String: String] = [:], failure: FormFailure? = nil) -> HTTPResponse {
        let (token, cookie) = AnonymousCSRF.token(context)
        let model = RegisterModel(language: context.language, csrfToken: token, currentPath: context.currentPath, values: values,
                                  errors: failure?.errors ?? [:], pageErrors: failure?.pageErrors ?? [])
        return AnonymousCSRF.attach(cookie, to: context.page(RegisterPage.render(model), status: failure?.status ?? .ok))
    }

    // MARK: Contact code

    private func addContactConfirmation(to router: inout Router) {
        router.get(PagePath.confirmContact, guarded.session { [service] context, session in
            let profile = try service.profile(citizenID: session.citizenID)
            let channel = context.query("channel").flatMap(ContactKind.init(rawValue:))
            return Self.confirmPage(context, session, profile, channel: channel, codeResent: context.query("resent") == "1")
        })
        router.post(PagePath.confirmContact, guarded.sessionForm { [service] context, session, form in
            let kind = form.first("channel").flatMap(ContactKind.init(rawValue:))
            let profile = try service.profile(citizenID: session.citizenID)
            guard let contact = Self.pendingContact(profile, kind) else { return context.redirect(PagePath.account) }
            let code = WebForms.value(form, .code)
            if code.trimmingCharacters(in: .whitespaces).isEmpty {
                let failure = FormFailure(fieldErrors: [Field.code.rawValue: WebPages.FieldErrorCode.required.rawValue])
                return Self.confirmPage(context, session, profile, channel: contact.kind, failure: failure)
            }
            let source = CitizenAPIRoutes.source(context.request)
            do {
                switch try WebForms.attempt({ try service.confirmContact(citizenID: session.citizenID, kind: contact.kind, code: code, source: source) }) {
                case .success:
                    return context.redirect(PagePath.account)
                case .failure(let failure):
                    return Self.confirmPage(context, session, profile, channel: contact.kind, failure: failure)
                }
            } catch let error as CitizensError where error.code == .notAllowed {
                return context.redirect(PagePath.account)  // no code is waiting any more (confirmed in another tab)
            }
        })
        router.post(PagePath.resendCode, guarded.sessionForm { [service] context, session, form in
            let kind = form.first("channel").flatMap(ContactKind.init(rawValue:))
            let profile = try service.profile(citizenID: session.citizenID)
            guard let contact = Self.pendingContact(profile, kind) else { return context.redirect(PagePath.account) }
            try service.resendCode(citizenID: session.citizenID, kind: contact.kind, source: CitizenAPIRoutes.source(context.request))
            return context.redirect(PagePath.confirmContact + "?channel=" + contact.kind.rawValue + "&resent=1")
        })
    }

    /// The unconfirmed contact of that kind, else the first unconfirmed one.
    static func pendingContact(_ profile: CitizenProfile, _ kind: ContactKind?) -> Contact? {
        let pending = profile.contacts.filter { $0.confirmedAt == nil }
        return pending.last { $0.kind == kind } ?? pending.first
    }

    /// The code form for the contact of `channel` (else the first waiting one); with nothing waiting, on to the account.
    static func confirmPage(_ context: WebContext, _ session: WebSession, _ profile: CitizenProfile, channel: ContactKind?,
                            codeResent: Bool = false, failure: FormFailure? = nil) -> HTTPResponse {
        guard let contact = pendingContact(profile, channel) else {
            return context.redirect(profile.level == nil ? PagePath.logout : PagePath.account)
        }
        let model = ConfirmContactModel(language: context.language, csrfToken: session.csrfToken, currentPath: context.currentPath,
                                        channel: contact.kind == .phone ? .phone : .email, destination: contact.value,
                                        codeResent: codeResent, errors: failure?.errors ?? [:], pageErrors: failure?.pageErrors ?? [])
        return context.page(ConfirmContactPage.render(model), status: failure?.status ?? .ok)
    }

    // MARK: Documents

    private func addDocuments(to router: inout Router) {
        router.get(PagePath.documents, guarded.account { context, session, _ in
            Self.documentsPage(context, session)
        })
        router.post(PagePath.documents, guarded.accountForm { [service] context, session, _, form in
            let source = CitizenAPIRoutes.source(context.request)
            switch try WebForms.attempt({ try service.submitDocuments(citizenID: session.citizenID, form: WebForms.documents(form), source: source) }) {
            case .success:
                return context.redirect(PagePath.account)
            case .failure(let failure):
                return Self.documentsPage(context, session, values: WebForms.refill(form, DocumentsPage.fields), failure: failure)
            }
        })
    }

    /// The documents form with this session's csrf token.
    static func documentsPage(_ context: WebContext, _ session: WebSession, values: [String: String] = [:],
                              failure: FormFailure? = nil) -> HTTPResponse {
        let model = DocumentsModel(language: context.language, csrfToken: session.csrfToken, currentPath: context.currentPath,
                                   values: values, errors: failure?.errors ?? [:], pageErrors: failure?.pageErrors ?? [])
        return context.page(DocumentsPage.render(model), status: failure?.status ?? .ok)
    }

    // MARK: Login and logout

    private func addLogin(to router: inout Router) {
        router.get(PagePath.login) { [service, returnOrigins] request in
            let context = WebContext(request)
            // Coming from a portal, the form is shown even to a signed-in citizen: the portal may want a fresh login.
            let returnTo = OAuthBrowser.validReturn(context.query("return"))
            if returnTo == nil, try WebSession.find(context, sessions: service.sessions) != nil { return context.redirect(PagePath.account) }
            let hint = context.query("login_hint").map { [Field.login.rawValue: String($0.prefix(254))] } ?? [:]
            return Self.loginPage(context, values: hint, returnTo: returnTo, origins: returnTo.map { returnOrigins(context, $0) } ?? [])
        }
        router.post(PagePath.login, guarded.anonymousForm { [service, returnOrigins, sessionEnded] context, form in
            let login = WebForms.value(form, .login)
            let values = WebForms.refill(form, [.login])
            let returnTo = OAuthBrowser.validReturn(form.first("return"))
            let origins = returnTo.map { returnOrigins(context, $0) } ?? []
            if login.trimmingCharacters(in: .whitespaces).isEmpty {
                let failure = FormFailure(fieldErrors: [Field.login.rawValue: WebPages.FieldErrorCode.required.rawValue])
                return Self.loginPage(context, values: values, failure: failure, returnTo: returnTo, origins: origins)
            }
            let source = CitizenAPIRoutes.source(context.request)
            switch try WebForms.attempt({ try service.login(identifier: login, password: WebForms.value(form, .password), source: source) }) {
            case .success(let result):
                // A session this browser still held is ended, so one browser never holds two.
                if let old = context.sessionToken {
                    let replaced = try WebSession.find(context, sessions: service.sessions)
                    try service.sessions.end(token: old)
                    if let replaced { sessionEnded(replaced.session.handle, replaced.citizenID) }
                }
                return context.withSession(result.sessionToken, context.redirect(returnTo ?? PagePath.account))
            case .failure(let failure):
                return failure.apply(to: Self.loginPage(context, values: values, failure: failure, returnTo: returnTo, origins: origins))
            }
        })
        router.post(PagePath.logout) { [service, sessionEnded] request in
            let context = WebContext(request)
            let form = try request.formFields()
            if let token = context.sessionToken {
                guard service.sessions.verifyCSRF(form.first("csrf") ?? "", for: token) else { return context.forbidden() }
                let ending = try WebSession.find(context, sessions: service.sessions)
                try service.logout(token: token, source: CitizenAPIRoutes.source(request))
                if let ending { sessionEnded(ending.session.handle, ending.citizenID) }
            }
            return context.withoutSession(context.redirect(PagePath.logout))
        }
        router.get(PagePath.logout) { request in
            let context = WebContext(request)
            let s = Strings(context.language)
            let model = MessageModel(language: context.language, currentPath: context.currentPath, title: s[.loggedOutTitle],
                                     message: s[.loggedOutText], link: MessageLink(text: s[.goToLogin], href: PagePath.login))
            return context.page(MessagePage.render(model))
        }
    }

    /// The login form, with a double-submit csrf token; after a throttled attempt it says how long to wait.
    /// - Parameters:
    ///   - returnTo: where to go after login (a pending authorization), kept in the form.
    ///   - origins: where the form's answer may end up redirecting (the portal), for the CSP's `form-action`.
    static func loginPage(_ context: WebContext, values: [String: String] = [:], failure: FormFailure? = nil, returnTo: String? = nil,
                          origins: [String] = []) -> HTTPResponse {
        let (token, cookie) = AnonymousCSRF.token(context)
        var model = LoginModel(language: context.language, csrfToken: token, currentPath: context.currentPath, values: values,
                               errors: failure?.errors ?? [:], pageErrors: failure?.pageErrors ?? [],
                               lockoutMinutes: failure?.lockoutMinutes)
        model.returnTo = returnTo
        return AnonymousCSRF.attach(cookie, to: context.page(LoginPage.render(model), status: failure?.status ?? .ok, formActions: origins))
    }
}
