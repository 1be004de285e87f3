/// The page shown instead of a login at a portal whose minimum level the citizen has not reached: what is needed,
/// what they have, where to raise it, and a way back to the portal (which then gets `access_denied`).
public struct LevelTooLowModel: Sendable {
    public var language: Language
    public var currentPath: String
    public var portalName: String
    /// The level the portal needs.
    public var required: AccountLevel
    /// The citizen's level.
    public var current: AccountLevel
    /// The portal's registered redirect URI with the error added: the only link off this site a page carries.
    public var returnURL: String

    public init(language: Language = .ru, currentPath: String = PagePath.home, portalName: String, required: AccountLevel,
                current: AccountLevel, returnURL: String) {
        self.language = language
        self.currentPath = currentPath
        self.portalName = portalName
        self.required = required
        self.current = current
        self.returnURL = returnURL
    }
}

/// The level-too-low page.
public enum LevelTooLowPage {
    /// The page for `model`.
    public static func render(_ model: LevelTooLowModel) -> String {
        let s = Strings(model.language)
        let main: HTMLBuilder = """
            <h1>\(s[oauth: .levelTitle])</h1>
            <p class="lead"><strong>«\(model.portalName)»</strong> \(s[oauth: .levelText]) <strong>\(AccountPage.levelName(model.required, s))</strong>.</p>
            <p>\(s[oauth: .levelHave]) <strong>\(AccountPage.levelName(model.current, s))</strong>. \(s[oauth: .levelRaise])</p>
            <ul class="actions">
            <li><a href="\(PagePath.account)">\(s[.goToAccount])</a></li>
            <li>\(HTML.tag("a", [("href", model.returnURL)]))\(s[oauth: .backToPortal])</a></li>
            </ul>
            """
        return Layout.page(title: s[oauth: .levelTitle], language: model.language, currentPath: model.currentPath, main: main.html)
    }
}

/// The question a portal's logout request gets when it cannot prove it knows this session (no valid `id_token_hint`
/// naming it): a third-party page must not be able to log the citizen out unasked.
public struct LogoutConfirmModel: Sendable {
    public var language: Language
    public var csrfToken: String
    public var currentPath: String
    /// The logout request's parameters, carried through the form unchanged.
    public var parameters: [(name: String, value: String)]

    public init(language: Language = .ru, csrfToken: String, currentPath: String = PagePath.oauthLogout,
                parameters: [(name: String, value: String)]) {
        self.language = language
        self.csrfToken = csrfToken
        self.currentPath = currentPath
        self.parameters = parameters
    }
}

/// The logout confirmation page.
public enum LogoutConfirmPage {
    /// The page for `model`.
    public static func render(_ model: LogoutConfirmModel) -> String {
        let s = Strings(model.language)
        let hidden = HTML.join(model.parameters.map { HTML.tag("input", [("type", "hidden"), ("name", $0.name), ("value", $0.value)]) })
        let content: HTMLBuilder = """
            \(hidden)
            <button type="submit">\(s[oauth: .logoutButton])</button>
            """
        let main: HTMLBuilder = """
            <h1>\(s[oauth: .logoutTitle])</h1>
            <p class="lead">\(s[oauth: .logoutText])</p>
            \(FormView.form(action: PagePath.oauthLogout, csrfToken: model.csrfToken, content.html))
            <p><a href="\(PagePath.account)">\(s[oauth: .logoutCancel])</a></p>
            """
        return Layout.page(title: s[oauth: .logoutTitle], language: model.language, currentPath: model.currentPath, main: main.html)
    }
}
