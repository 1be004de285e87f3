/// What an error page shows: the status and a sentence the person can act on.
public struct ErrorPageModel: Sendable {
    public var statusCode: Int
    public var title: String
    public var message: String
    /// Shown so support staff can find the log line; not secret.
    public var requestID: String
    public var language: Language

    public init(statusCode: Int, title: String, message: String, requestID: String, language: Language = .ru) {
        self.statusCode = statusCode
        self.title = title
        self.message = message
        self.requestID = requestID
        self.language = language
    }
}

/// The HTML page for errors in browser routes.
public enum ErrorPage {
    /// The page for `model`, on the common layout.
    public static func render(_ model: ErrorPageModel) -> String {
        let label = Strings.text(.requestID, model.language)
        let main: HTMLBuilder = """
            <h1>\(model.title)</h1>
            <p>\(model.message)</p>
            <p><a href="\(PagePath.home)">\(Strings.text(.homeLink, model.language))</a></p>
            <p><small>\(label): <code>\(model.requestID)</code> · \(model.statusCode)</small></p>
            """
        // The model does not know the failed request's path, and repeating it could repeat the error:
        // the language switch leads to the home page.
        return Layout.page(title: model.title, language: model.language, currentPath: PagePath.home, main: main.html)
    }
}
