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

/// The interface languages.
public enum Language: String, Sendable, CaseIterable {
    case ru, en
}

/// The HTML page for errors in browser routes.
public enum ErrorPage {
    public static func render(_ model: ErrorPageModel) -> String {
        let label = model.language == .ru ? "Код запроса" : "Request id"
        let page: HTMLBuilder = """
            <!doctype html>
            <html lang="\(model.language.rawValue)">
            <head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(model.title) — OpenESIA</title></head>
            <body>
            <main>
            <h1>\(model.title)</h1>
            <p>\(model.message)</p>
            <p><small>\(label): <code>\(model.requestID)</code> · \(model.statusCode)</small></p>
            </main>
            </body>
            </html>

            """
        return page.html.rendered
    }
}
