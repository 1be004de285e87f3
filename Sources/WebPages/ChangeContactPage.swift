/// The form for a new phone or e-mail address.
public typealias ChangeContactModel = FormPageModel<ChangeContactPage>

extension ChangeContactPage: FormPage {
    public static var path: String { PagePath.changeContact }
}

/// A new phone, a new e-mail address, or both; each counts once its code is entered.
public enum ChangeContactPage {
    /// The fields in the order the form shows them.
    public static let fields: [Field] = [.phone, .email]

    /// The page for `model`.
    public static func render(_ model: ChangeContactModel) -> String {
        let s = Strings(model.language)
        let f = model.formView
        let content: HTMLBuilder = """
            <fieldset>
            <legend>\(s[.contactLegend])</legend>
            \(f.input(.phone, type: "tel", autocomplete: "tel", required: false, markOptional: false, maxlength: 20))
            \(f.input(.email, type: "email", autocomplete: "email", required: false, markOptional: false, maxlength: 254))
            </fieldset>
            <button type="submit">\(s[.changeContactButton])</button>
            """
        return Layout.accountForm(model, title: s[.changeContactTitle], lead: s[.changeContactLead],
                                  action: PagePath.changeContact, fields: fields, content: content.html)
    }
}
