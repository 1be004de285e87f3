import Citizens
import Federation
import HTTPServer
import WebPages

/// The signed-in citizen's own pages: the account, password and contact changes, ending other sessions, the portals
/// with access.
struct AccountPageRoutes {
    let service: CitizenService
    /// The portals with access and their withdrawal; nil leaves the list out.
    var provider: OpenIDProvider?
    /// The session and CSRF checks around the handlers.
    var guarded: WebGuard { WebGuard(service: service) }

    /// Adds the routes of these pages.
    func add(to router: inout Router) {
        router.get(PagePath.account, guarded.account { [service, provider] context, session, profile in
            let sessions = try service.sessions.list(subject: session.session.subject)
            var model = AccountView.model(profile, sessions: sessions, current: session, context: context)
            model.portals = try provider?.portalsWithAccess(citizenID: session.citizenID).map {
                AccountPortal(clientID: $0.clientID, name: $0.name, scopes: $0.scopes.map(\.rawValue), since: $0.grantedAt)
            } ?? []
            return context.page(AccountPage.render(model))
        })
        if let provider {
            router.post(PagePath.revokePortal, guarded.accountForm { context, session, _, form in
                // Only the citizen's own consent can be withdrawn; an unknown client id changes nothing.
                try provider.revokeConsent(citizenID: session.citizenID, clientID: form.first("client_id") ?? "",
                                           source: CitizenAPIRoutes.source(context.request))
                return context.redirect(PagePath.account)
            })
        }
        router.post(PagePath.endSession, guarded.accountForm { [service, provider] context, session, profile, form in
            let handle = form.first("handle") ?? ""
            // Only the citizen's own sessions can be ended; an unknown handle changes nothing.
            if try service.endSession(citizenID: session.citizenID, handle: handle, source: CitizenAPIRoutes.source(context.request)) {
                provider?.sessionEnded(handle: handle, publicID: profile.publicID)
            }
            if handle == session.session.handle { return context.withoutSession(context.redirect(PagePath.logout)) }
            return context.redirect(PagePath.account)
        })
        addPasswordChange(to: &router)
        addContactChange(to: &router)
    }

    private func addPasswordChange(to router: inout Router) {
        router.get(PagePath.changePassword, guarded.account { context, session, _ in
            Self.passwordPage(context, session)
        })
        router.post(PagePath.changePassword, guarded.accountForm { [service] context, session, _, form in
            let source = CitizenAPIRoutes.source(context.request)
            let result = try WebForms.attempt {
                try service.changePassword(citizenID: session.citizenID, current: WebForms.value(form, .currentPassword),
                                           new: WebForms.value(form, .password), newRepeat: WebForms.value(form, .passwordRepeat),
                                           keepSession: session.session.handle, source: source)
            }
            switch result {
            case .success: return context.redirect(PagePath.account)
            case .failure(let failure): return failure.apply(to: Self.passwordPage(context, session, failure: failure))
            }
        })
    }

    /// The change-password form with this session's csrf token.
    static func passwordPage(_ context: WebContext, _ session: WebSession, failure: FormFailure? = nil) -> HTTPResponse {
        let model = ChangePasswordModel(language: context.language, csrfToken: session.csrfToken, currentPath: context.currentPath,
                                        errors: failure?.errors ?? [:], pageErrors: failure?.pageErrors ?? [],
                                        lockoutMinutes: failure?.lockoutMinutes)
        return context.page(ChangePasswordPage.render(model), status: failure?.status ?? .ok)
    }

    private func addContactChange(to router: inout Router) {
        router.get(PagePath.changeContact, guarded.account { context, session, _ in
            Self.contactPage(context, session)
        })
        router.post(PagePath.changeContact, guarded.accountForm { [service] context, session, _, form in
            let values = WebForms.refill(form, ChangeContactPage.fields)
            let phone = WebForms.value(form, .phone).trimmingCharacters(in: .whitespaces)
            let email = WebForms.value(form, .email).trimmingCharacters(in: .whitespaces)
            // Both are checked before either is sent, so a typo in one never leaves the other half done.
            var collector = FieldErrorCollector()
            if !phone.isEmpty { _ = collector.parse { () throws(FieldError) in try PhoneNumber(parsing: phone) } }
            if !email.isEmpty { _ = collector.parse { () throws(FieldError) in try EmailAddress(parsing: email) } }
            if phone.isEmpty && email.isEmpty {
                collector.add(field: FieldName.phone, code: .required)
                collector.add(field: FieldName.email, code: .required)
            }
            guard collector.errors.isEmpty else {
                return Self.contactPage(context, session, values: values, failure: FormFailure(fieldErrors: WebForms.errors(collector.errors)))
            }
            let source = CitizenAPIRoutes.source(context.request)
            let changes = [(ContactKind.phone, phone), (.email, email)].filter { !$0.1.isEmpty }
            for (kind, value) in changes {
                if case .failure(let failure) = try WebForms.attempt({
                    try service.changeContact(citizenID: session.citizenID, kind: kind, value: value, source: source)
                }) {
                    return Self.contactPage(context, session, values: values, failure: failure)
                }
            }
            return context.redirect(PagePath.confirmContact + "?channel=" + changes[0].0.rawValue)
        })
    }

    /// The change-contact form with this session's csrf token.
    static func contactPage(_ context: WebContext, _ session: WebSession, values: [String: String] = [:],
                            failure: FormFailure? = nil) -> HTTPResponse {
        let model = ChangeContactModel(language: context.language, csrfToken: session.csrfToken, currentPath: context.currentPath,
                                       values: values, errors: failure?.errors ?? [:], pageErrors: failure?.pageErrors ?? [])
        return context.page(ChangeContactPage.render(model), status: failure?.status ?? .ok)
    }
}
