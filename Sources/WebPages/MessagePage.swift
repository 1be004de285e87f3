/// A link on a message page; `href` must be a path on this site.
public struct MessageLink: Sendable {
    /// The link text.
    public var text: String
    /// A path on this site.
    public var href: String

    /// A link to a path on this site; anything else is replaced by the home page.
    public init(text: String, href: String) {
        self.text = text
        self.href = href
    }
}

/// A titled message, such as "registration complete"; take the text from `Strings` for the page's language.
public struct MessageModel: Sendable {
    /// The interface language.
    public var language: Language
    /// The path and query of this page, for the language switch.
    public var currentPath: String
    /// The heading, also the document title.
    public var title: String
    /// One or two sentences.
    public var message: String
    /// Where to go next, if anywhere.
    public var link: MessageLink?

    /// A message with an optional link onwards.
    public init(language: Language = .ru, currentPath: String = PagePath.home, title: String, message: String,
                link: MessageLink? = nil) {
        self.language = language
        self.currentPath = currentPath
        self.title = title
        self.message = message
        self.link = link
    }
}

/// A heading, a sentence and a way on.
public enum MessagePage {
    /// The page for `model`.
    public static func render(_ model: MessageModel) -> String {
        let link: HTML
        if let target = model.link {
            let anchor: HTMLBuilder = "<p>\(HTML.tag("a", [("href", PagePath.local(target.href))]))\(target.text)</a></p>"
            link = anchor.html
        } else {
            link = .empty
        }
        let main: HTMLBuilder = """
            <h1>\(model.title)</h1>
            <p class="lead">\(model.message)</p>
            \(link)
            """
        return Layout.page(title: model.title, language: model.language, currentPath: model.currentPath, main: main.html)
    }
}
