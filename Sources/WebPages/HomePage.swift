/// What the home page needs.
public struct HomeModel: Sendable {
    /// The interface language.
    public var language: Language
    /// The path and query of this page, for the language switch.
    public var currentPath: String
    /// Shows a link to the account instead of register and log in.
    public var signedIn: Bool

    /// The home page for someone signed in or not.
    public init(language: Language = .ru, currentPath: String = PagePath.home, signedIn: Bool = false) {
        self.language = language
        self.currentPath = currentPath
        self.signedIn = signedIn
    }
}

/// The home page: what the service is and where to go.
public enum HomePage {
    /// The page for `model`.
    public static func render(_ model: HomeModel) -> String {
        let s = Strings(model.language)
        let actions: HTMLBuilder = model.signedIn
            ? "<li><a href=\"\(PagePath.account)\">\(s[.homeAccount])</a></li>"
            : """
              <li><a href="\(PagePath.register)">\(s[.homeRegister])</a></li>
              <li><a href="\(PagePath.login)">\(s[.homeLogin])</a></li>
              """
        let main: HTMLBuilder = """
            <h1>\(s[.homeTitle])</h1>
            <p class="lead">\(s[.homeLead])</p>
            <ul class="actions">
            \(actions.html)
            <li><a href="\(PagePath.serviceCentres)">\(s[.homeServiceCentres])</a></li>
            </ul>
            <h2>\(s[.homeLevelsTitle])</h2>
            <p>\(s[.homeLevels])</p>
            """
        return Layout.page(title: s[.homeTitle], language: model.language, currentPath: model.currentPath, main: main.html)
    }
}
