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
        return Layout.accountForm(model, title: s[signature: .detailsTitle], lead: s[signature: .detailsLead],
                                  action: PagePath.personalDetails, fields: fields, content: content.html)
    }
}
