/// The form for a new password, behind the current one.
public struct ChangePasswordModel: FormModel {
    public var language: Language
    public var csrfToken: String
    public var currentPath: String
    /// Never holds passwords: the page refills nothing.
    public var values: [String: String]
    public var errors: [String: String]
    public var pageErrors: [String]
    /// Set while password changes are held back after wrong current passwords.
    public var lockoutMinutes: Int?

    /// A change-password form, empty or with what was wrong with the last attempt.
    public init(language: Language = .ru, csrfToken: String, currentPath: String = PagePath.changePassword,
                errors: [String: String] = [:], pageErrors: [String] = [], lockoutMinutes: Int? = nil) {
        self.language = language
        self.csrfToken = csrfToken
        self.currentPath = currentPath
        self.values = [:]
        self.errors = errors
        self.pageErrors = pageErrors
        self.lockoutMinutes = lockoutMinutes
    }
}

/// Current password, new password twice.
public enum ChangePasswordPage {
    /// The fields in the order the form shows them.
    public static let fields: [Field] = [.currentPassword, .password, .passwordRepeat]

    /// The page for `model`.
    public static func render(_ model: ChangePasswordModel) -> String {
        let s = Strings(model.language)
        let f = model.formView
        var messages = model.pageErrors.filter { $0 != PageErrorCode.lockedOut.rawValue }
            .map { Strings.pageError($0, language: model.language) }
        if let minutes = model.lockoutMinutes, minutes > 0 {
            messages.append(s[.lockedOutMinutes] + " " + Format.minutes(minutes, model.language) + ".")
        }
        // The new password keeps the field names `password`/`passwordRepeat`, which the password rules report against.
        let content: HTMLBuilder = """
            \(f.input(.currentPassword, type: "password", autocomplete: "current-password", refill: false))
            \(f.input(.password, type: "password", autocomplete: "new-password", refill: false, hint: s[.passwordHint],
                      label: s[.newPasswordLabel]))
            \(f.input(.passwordRepeat, type: "password", autocomplete: "new-password", refill: false,
                      label: s[.newPasswordRepeatLabel]))
            <button type="submit">\(s[.changePasswordButton])</button>
            """
        let main: HTMLBuilder = """
            <h1>\(s[.changePasswordTitle])</h1>
            \(f.errorSummary(order: fields, messages: messages))
            <p class="lead">\(s[.changePasswordLead])</p>
            \(FormView.form(action: PagePath.changePassword, csrfToken: model.csrfToken, content.html))
            <p><a href="\(PagePath.account)">\(s[.backToAccount])</a></p>
            """
        let hasErrors = model.hasErrors || (model.lockoutMinutes ?? 0) > 0
        return Layout.page(title: s[.changePasswordTitle], language: model.language, currentPath: model.currentPath,
                           hasErrors: hasErrors, main: main.html)
    }
}
