/// The consent page: which portal asks for which data, allow or deny.
public struct ConsentModel: Sendable {
    public var language: Language
    /// This session's CSRF token.
    public var csrfToken: String
    /// The path and query of this page, for the language switch.
    public var currentPath: String
    /// The portal's name as registered.
    public var portalName: String
    /// The scope names asked for (`openid`, `fullname`, ...), in the order to list them.
    public var scopes: [String]
    /// The pending request's id, sent back with the answer.
    public var requestID: String

    /// A consent page for one request.
    public init(language: Language = .ru, csrfToken: String, currentPath: String = PagePath.oauthConsent, portalName: String,
                scopes: [String], requestID: String) {
        self.language = language
        self.csrfToken = csrfToken
        self.currentPath = currentPath
        self.portalName = portalName
        self.scopes = scopes
        self.requestID = requestID
    }
}

/// Lists exactly the data asked for, in plain language; the two buttons post the answer.
public enum ConsentPage {
    /// The page for `model`.
    public static func render(_ model: ConsentModel) -> String {
        let s = Strings(model.language)
        let items = model.scopes.compactMap(s.scopeDescription).map { text -> HTML in
            let item: HTMLBuilder = "<li>\(text)</li>"
            return item.html
        }
        let buttons: HTMLBuilder = """
            \(HTML.tag("input", [("type", "hidden"), ("name", "request"), ("value", model.requestID)]))
            <button type="submit" name="decision" value="allow">\(s[oauth: .consentAllow])</button>
            <button type="submit" name="decision" value="deny" class="secondary">\(s[oauth: .consentDeny])</button>
            """
        let main: HTMLBuilder = """
            <h1>\(s[oauth: .consentTitle])</h1>
            <p class="lead"><strong>«\(model.portalName)»</strong> \(s[oauth: .consentLead])</p>
            <ul class="scopes">
            \(HTML.join(items))
            </ul>
            <p>\(s[oauth: .consentNote])</p>
            \(FormView.form(action: PagePath.oauthConsent, csrfToken: model.csrfToken, buttons.html))
            """
        return Layout.page(title: s[oauth: .consentTitle], language: model.language, currentPath: model.currentPath, main: main.html)
    }
}
