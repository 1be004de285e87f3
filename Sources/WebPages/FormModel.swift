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
