/// The staff login form.
public struct StaffLoginModel: Sendable {
    public var language: Language
    public var csrfToken: String
    public var currentPath: String
    /// The login typed, to fill the form again (never the password or the code).
    public var login: String
    /// Set after a failed attempt: one message whatever the reason was.
    public var failed: Bool
    /// Set while logins are held back after failed attempts.
    public var lockedOut: Bool
    /// Set when asking for an e-signature challenge failed: the signature section says why.
    public var signatureProblem: SignatureProblem?

    /// A staff login form.
    public init(language: Language = .ru, csrfToken: String, currentPath: String = PagePath.staffLogin, login: String = "",
                failed: Bool = false, lockedOut: Bool = false, signatureProblem: SignatureProblem? = nil) {
        self.language = language
        self.csrfToken = csrfToken
        self.currentPath = currentPath
        self.login = login
        self.failed = failed
        self.lockedOut = lockedOut
        self.signatureProblem = signatureProblem
    }
}

/// Staff log in with login, password and a TOTP code, or with an e-signature.
public enum StaffLoginPage {
    /// The page for `model`.
    public static func render(_ model: StaffLoginModel) -> String {
        let s = StaffStrings(model.language)
        let messages = model.lockedOut ? [s[.lockedOut]] : model.failed ? [s[.loginFailed]] : []
        let content: HTMLBuilder = """
            \(StaffChrome.input("login", label: s[.loginField], value: model.login, autocomplete: "username", maxlength: 64))
            \(StaffChrome.input("password", label: s[.passwordField], type: "password", autocomplete: "current-password"))
            \(StaffChrome.input("totp", label: s[.totpField], autocomplete: "one-time-code", inputmode: "numeric", maxlength: 6))
            <button type="submit">\(s[.loginButton])</button>
            """
        let main: HTMLBuilder = """
            <h1>\(s[.loginTitle])</h1>
            <p class="lead">\(s[.loginLead])</p>
            \(StaffChrome.alert(messages))
            \(FormView.form(action: PagePath.staffLogin, csrfToken: model.csrfToken, content.html))
            \(SignatureChallengePage.section(action: PagePath.staffSignatureLogin, csrfToken: model.csrfToken,
                                             text: Strings(model.language)[signature: .staffSectionText], problem: model.signatureProblem,
                                             Strings(model.language)))
            """
        return StaffChrome.page(title: s[.loginTitle], language: model.language, currentPath: model.currentPath, bar: nil,
                                hasErrors: !messages.isEmpty || model.signatureProblem != nil, main: main.html)
    }
}
