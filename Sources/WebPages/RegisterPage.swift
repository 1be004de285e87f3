/// The registration form for a simplified account.
public typealias RegisterModel = FormPageModel<RegisterPage>

extension RegisterPage: FormPage {
    public static var path: String { PagePath.register }
}

/// Registration: name, birth date, gender, a contact to confirm, a password and the consent.
public enum RegisterPage {
    /// The fields in the order the form shows them.
    public static let fields: [Field] = [.surname, .givenName, .patronymic, .birthDate, .gender, .phone, .email, .password,
                                  .passwordRepeat, .consent]

    /// The page for `model`.
    public static func render(_ model: RegisterModel) -> String {
        let s = Strings(model.language)
        let f = model.formView
        // The duplicate-account message tells the person to recover access: give them the way there.
        let recoverLink: HTMLBuilder = "<p><a href=\"\(PagePath.recover)\">\(s[.forgotPassword])</a></p>"
        let recover = model.pageErrors.contains(PageErrorCode.duplicateAccount.rawValue) ? recoverLink.html : .empty
        // Phone and e-mail are each optional but one is needed: the group's hint says so, and neither is
        // labelled "optional", which would suggest both can be left empty.
        let content: HTMLBuilder = """
            \(f.input(.surname, autocomplete: "family-name", maxlength: 100))
            \(f.input(.givenName, autocomplete: "given-name", maxlength: 100))
            \(f.input(.patronymic, autocomplete: "additional-name", required: false, maxlength: 100))
            \(f.input(.birthDate, type: "date", autocomplete: "bday"))
            \(f.radios(.gender, options: [("male", s[.genderMale]), ("female", s[.genderFemale])]))
            <fieldset>
            <legend>\(s[.contactLegend])</legend>
            <p class="hint">\(s[.contactHint])</p>
            \(f.input(.phone, type: "tel", autocomplete: "tel", required: false, markOptional: false, maxlength: 20))
            \(f.input(.email, type: "email", autocomplete: "email", required: false, markOptional: false, maxlength: 254))
            </fieldset>
            \(f.input(.password, type: "password", autocomplete: "new-password", refill: false, hint: s[.passwordHint]))
            \(f.input(.passwordRepeat, type: "password", autocomplete: "new-password", refill: false))
            \(f.checkbox(.consent, text: s[.consentText]))
            <button type="submit">\(s[.registerButton])</button>
            """
        let main: HTMLBuilder = """
            <h1>\(s[.registerTitle])</h1>
            \(f.errorSummary(order: fields, messages: model.pageErrorMessages))
            \(recover)
            <p class="lead">\(s[.registerLead])</p>
            <p>\(s[.requiredNote])</p>
            \(FormView.form(action: PagePath.register, csrfToken: model.csrfToken, content.html))
            <p><a href="\(PagePath.login)">\(s[.alreadyRegistered])</a></p>
            """
        return Layout.page(title: s[.registerTitle], language: model.language, currentPath: model.currentPath,
                           hasErrors: model.hasErrors, main: main.html)
    }
}
