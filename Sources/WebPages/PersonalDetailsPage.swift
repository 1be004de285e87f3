/// The form for the birth date and gender an account made from a certificate lacks.
public typealias PersonalDetailsModel = FormPageModel<PersonalDetailsPage>

extension PersonalDetailsPage: FormPage {
    public static var path: String { PagePath.personalDetails }
}

/// Date of birth and gender, checked as at registration.
public enum PersonalDetailsPage {
    /// The fields in the order the form shows them.
    public static let fields: [Field] = [.birthDate, .gender]

    /// The page for `model`.
    public static func render(_ model: PersonalDetailsModel) -> String {
        let s = Strings(model.language)
        let f = model.formView
        let content: HTMLBuilder = """
            \(f.input(.birthDate, type: "date", autocomplete: "bday"))
            \(f.radios(.gender, options: [("male", s[.genderMale]), ("female", s[.genderFemale])]))
            <button type="submit">\(s[signature: .detailsButton])</button>
            """
        let main: HTMLBuilder = """
            <h1>\(s[signature: .detailsTitle])</h1>
            \(f.errorSummary(order: fields, messages: model.pageErrorMessages))
            <p class="lead">\(s[signature: .detailsLead])</p>
            \(FormView.form(action: PagePath.personalDetails, csrfToken: model.csrfToken, content.html))
            <p><a href="\(PagePath.account)">\(s[.backToAccount])</a></p>
            """
        return Layout.page(title: s[signature: .detailsTitle], language: model.language, currentPath: model.currentPath,
                           hasErrors: model.hasErrors, main: main.html)
    }
}
