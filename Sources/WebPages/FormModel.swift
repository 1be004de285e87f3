/// What every form page's view model carries besides its own data.
public protocol FormModel: Sendable {
    /// The interface language.
    var language: Language { get }
    /// Goes into a hidden `csrf` field of every form.
    var csrfToken: String { get }
    /// The path and query of this page, for the language switch.
    var currentPath: String { get }
    /// What the person entered, by field name, to fill the form again; passwords and codes are never shown.
    var values: [String: String] { get }
    /// Field name → error code (`FieldErrorCode` raw values).
    var errors: [String: String] { get }
    /// Error codes for the whole form (`PageErrorCode` raw values).
    var pageErrors: [String] { get }
}

extension FormModel {
    var formView: FormView { FormView(language: language, values: values, errors: errors) }
    var hasErrors: Bool { !errors.isEmpty || !pageErrors.isEmpty }
    var pageErrorMessages: [String] { pageErrors.map { Strings.pageError($0, language: language) } }
}

/// A page whose model is a plain `FormPageModel<Self>`; it names the path the model's `currentPath` defaults to.
public protocol FormPage {
    static var path: String { get }
}

/// The model of a plain form page: what was entered and what was wrong with it, nothing else.
public struct FormPageModel<Page: FormPage>: FormModel {
    public var language: Language
    public var csrfToken: String
    public var currentPath: String
    public var values: [String: String]
    public var errors: [String: String]
    public var pageErrors: [String]

    /// An empty form, or one with what was entered and what was wrong with it.
    public init(language: Language = .ru, csrfToken: String, currentPath: String = Page.path,
                values: [String: String] = [:], errors: [String: String] = [:], pageErrors: [String] = []) {
        self.language = language
        self.csrfToken = csrfToken
        self.currentPath = currentPath
        self.values = values
        self.errors = errors
        self.pageErrors = pageErrors
    }
}
