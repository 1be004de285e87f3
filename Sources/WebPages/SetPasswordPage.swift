/// The form for the first password of an account made from a certificate.
public struct SetPasswordModel: FormModel {
    public var language: Language
    public var csrfToken: String
    public var currentPath: String
    /// Never holds passwords: the page refills nothing.
    public var values: [String: String]
    public var errors: [String: String]
    public var pageErrors: [String]

    /// An empty form, or one with what was wrong with the last attempt.
    public init(language: Language = .ru, csrfToken: String, currentPath: String = PagePath.setPassword,
                errors: [String: String] = [:], pageErrors: [String] = []) {
        self.language = language
        self.csrfToken = csrfToken
        self.currentPath = currentPath
        self.values = [:]
        self.errors = errors
        self.pageErrors = pageErrors
    }
}

/// New password twice; no current password, since there is none (the session's fresh signature stands for it).
public enum SetPasswordPage {
    /// The fields in the order the form shows them.
    public static let fields: [Field] = [.password, .passwordRepeat]

    /// The page for `model`.
    public static func render(_ model: SetPasswordModel) -> String {
        let s = Strings(model.language)
        let f = model.formView
        let content: HTMLBuilder = """
            \(f.input(.password, type: "password", autocomplete: "new-password", refill: false, hint: s[.passwordHint],
                      label: s[.newPasswordLabel]))
            \(f.input(.passwordRepeat, type: "password", autocomplete: "new-password", refill: false,
                      label: s[.newPasswordRepeatLabel]))
            <button type="submit">\(s[signature: .setPasswordButton])</button>
            """
        return Layout.accountForm(model, title: s[signature: .setPasswordTitle], lead: s[signature: .setPasswordLead],
                                  action: PagePath.setPassword, fields: fields, content: content.html)
    }
}
