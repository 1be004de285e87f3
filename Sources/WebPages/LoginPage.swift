/// The login form.
public struct LoginModel: FormModel {
    public var language: Language
    public var csrfToken: String
    public var currentPath: String
    public var values: [String: String]
    public var errors: [String: String]
    public var pageErrors: [String]
    /// Set while logins are held back after failed attempts: the page says how long to wait.
    public var lockoutMinutes: Int?
    /// Where to go after login (a portal's pending authorization), sent back in a hidden field.
    public var returnTo: String?

    /// A login form; put `wrongCredentials` in `pageErrors` after a failed attempt, whatever the reason was.
    public init(language: Language = .ru, csrfToken: String, currentPath: String = PagePath.login,
                values: [String: String] = [:], errors: [String: String] = [:], pageErrors: [String] = [],
                lockoutMinutes: Int? = nil) {
        self.language = language
        self.csrfToken = csrfToken
        self.currentPath = currentPath
        self.values = values
        self.errors = errors
        self.pageErrors = pageErrors
        self.lockoutMinutes = lockoutMinutes
    }
}

/// Log in with SNILS, phone or e-mail and a password.
public enum LoginPage {
    /// The page for `model`.
    public static func render(_ model: LoginModel) -> String {
        let s = Strings(model.language)
        let f = model.formView
        var messages = model.pageErrors.filter { $0 != PageErrorCode.lockedOut.rawValue }
            .map { Strings.pageError($0, language: model.language) }
        if let minutes = model.lockoutMinutes, minutes > 0 {
            messages.append(s[.lockedOutMinutes] + " " + Format.minutes(minutes, model.language) + ".")
        } else if model.pageErrors.contains(PageErrorCode.lockedOut.rawValue) {
            messages.append(Strings.pageError(PageErrorCode.lockedOut.rawValue, language: model.language))
        }
        let content: HTMLBuilder = """
            \(model.returnTo.map { HTML.tag("input", [("type", "hidden"), ("name", "return"), ("value", $0)]) } ?? .empty)
            \(f.input(.login, autocomplete: "username", maxlength: 254))
            \(f.input(.password, type: "password", autocomplete: "current-password", refill: false))
            <button type="submit">\(s[.loginButton])</button>
            """
        let main: HTMLBuilder = """
            <h1>\(s[.loginTitle])</h1>
            \(f.errorSummary(order: [.login, .password], messages: messages))
            \(FormView.form(action: PagePath.login, csrfToken: model.csrfToken, content.html))
            <ul class="actions">
            <li><a href="\(PagePath.recover)">\(s[.forgotPassword])</a></li>
            <li><a href="\(PagePath.register)">\(s[.noAccount])</a></li>
            </ul>
            """
        let hasErrors = model.hasErrors || (model.lockoutMinutes ?? 0) > 0
        return Layout.page(title: s[.loginTitle], language: model.language, currentPath: model.currentPath,
                           hasErrors: hasErrors, main: main.html)
    }
}
