import Citizens
import HTTPServer
import WebPages

/// Completing an account made from a certificate: the first password and the birth date and gender. The contact and
/// the passport use the ordinary pages (`/account/contact`, `/documents`).
struct AccountCompletionRoutes {
    let service: CitizenService
    var guarded: WebGuard { WebGuard(service: service) }

    func add(to router: inout Router) {
        router.get(PagePath.setPassword, guarded.account { context, session, profile in
            guard !profile.hasPassword else { return context.redirect(PagePath.changePassword) }
            return Self.setPasswordPage(context, session)
        })
        router.post(PagePath.setPassword, guarded.accountForm { [service] context, session, profile, form in
            guard !profile.hasPassword else { return context.redirect(PagePath.changePassword) }
            do {
                let result = try WebForms.attempt {
                    try service.setPassword(citizenID: session.citizenID, new: WebForms.value(form, .password),
                                            newRepeat: WebForms.value(form, .passwordRepeat), session: session.session,
                                            source: CitizenAPIRoutes.source(context.request))
                }
                switch result {
                case .success: return context.redirect(PagePath.account)
                case .failure(let failure): return Self.setPasswordPage(context, session, failure: failure)
                }
            } catch let error as CitizensError where error.code == .reauthenticationRequired {
                let s = Strings(context.language)
                let model = MessageModel(language: context.language, currentPath: context.currentPath,
                                         title: s[signature: .reauthenticateTitle], message: s[signature: .reauthenticateText],
                                         link: MessageLink(text: s[.backToAccount], href: PagePath.account))
                return context.page(MessagePage.render(model), status: .forbidden)
            } catch let error as CitizensError where error.code == .notAllowed {
                return context.redirect(PagePath.changePassword)  // set in another tab meanwhile
            }
        })
        router.get(PagePath.personalDetails, guarded.account { context, session, profile in
            guard profile.birthDate == nil || profile.gender == nil else { return context.redirect(PagePath.account) }
            return Self.detailsPage(context, session)
        })
        router.post(PagePath.personalDetails, guarded.accountForm { [service] context, session, profile, form in
            guard profile.birthDate == nil || profile.gender == nil else { return context.redirect(PagePath.account) }
            let result = try WebForms.attempt {
                try service.addPersonalDetails(citizenID: session.citizenID, birthDate: WebForms.value(form, .birthDate),
                                               gender: WebForms.value(form, .gender), source: CitizenAPIRoutes.source(context.request))
            }
            switch result {
            // The passport form needs the birth date, so it is the natural next step when the passport is missing.
            case .success: return context.redirect(profile.missingData.contains(.passport) ? PagePath.documents : PagePath.account)
            case .failure(let failure):
                return Self.detailsPage(context, session, values: WebForms.refill(form, PersonalDetailsPage.fields), failure: failure)
            }
        })
    }

    static func setPasswordPage(_ context: WebContext, _ session: WebSession, failure: FormFailure? = nil) -> HTTPResponse {
        let model = SetPasswordModel(language: context.language, csrfToken: session.csrfToken, currentPath: context.currentPath,
                                     errors: failure?.errors ?? [:], pageErrors: failure?.pageErrors ?? [])
        return context.page(SetPasswordPage.render(model), status: failure?.status ?? .ok)
    }

    static func detailsPage(_ context: WebContext, _ session: WebSession, values: [String: String] = [:],
                            failure: FormFailure? = nil) -> HTTPResponse {
        let model = PersonalDetailsModel(language: context.language, csrfToken: session.csrfToken, currentPath: context.currentPath,
                                         values: values, errors: failure?.errors ?? [:], pageErrors: failure?.pageErrors ?? [])
        return context.page(PersonalDetailsPage.render(model), status: failure?.status ?? .ok)
    }
}
