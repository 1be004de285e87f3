/// Why the search page is shown again.
public enum StaffSearchOutcome: String, Sendable {
    /// First visit.
    case none
    /// No citizen has the SNILS typed.
    case notFound
    /// What was typed is not a SNILS.
    case invalid
}

/// The console's home: the exact-SNILS search form.
public struct StaffSearchModel: Sendable {
    public var language: Language
    public var currentPath: String
    public var bar: StaffBar
    /// False for staff without a centre (service admins): they may not check identities, so no form is shown.
    public var canCheck: Bool
    public var outcome: StaffSearchOutcome

    /// A search page.
    public init(language: Language = .ru, currentPath: String = PagePath.staffHome, bar: StaffBar, canCheck: Bool = true,
                outcome: StaffSearchOutcome = .none) {
        self.language = language
        self.currentPath = currentPath
        self.bar = bar
        self.canCheck = canCheck
        self.outcome = outcome
    }
}

/// Finds a citizen by exact SNILS; the typed value is never shown back, so the page holds no personal data.
public enum StaffSearchPage {
    /// The page for `model`.
    public static func render(_ model: StaffSearchModel) -> String {
        let s = StaffStrings(model.language)
        let messages: [String] = switch model.outcome {
        case .none: []
        case .notFound: [s[.notFound]]
        case .invalid: [s[.snilsInvalid]]
        }
        let form: HTML
        if model.canCheck {
            let content: HTMLBuilder = """
                \(StaffChrome.input("snils", label: s[.snilsField], autocomplete: "off", inputmode: "numeric", maxlength: 14))
                <button type="submit">\(s[.searchButton])</button>
                """
            form = FormView.form(action: PagePath.staffCheck, csrfToken: model.bar.csrfToken, content.html)
        } else {
            form = HTMLBuilder("<p>\(s[.noCentre])</p>").html
        }
        let main: HTMLBuilder = """
            <h1>\(s[.searchTitle])</h1>
            <p class="lead">\(s[.searchLead])</p>
            \(StaffChrome.alert(messages))
            \(form)
            """
        return StaffChrome.page(title: s[.searchTitle], language: model.language, currentPath: model.currentPath, bar: model.bar,
                                hasErrors: !messages.isEmpty, main: main.html)
    }
}
