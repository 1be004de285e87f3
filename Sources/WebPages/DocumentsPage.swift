/// The documents form for a standard account.
public typealias DocumentsModel = FormPageModel<DocumentsPage>

extension DocumentsPage: FormPage {
    public static var path: String { PagePath.documents }
}

/// SNILS, passport and postal address, sent for checking against the state registries.
public enum DocumentsPage {
    /// The fields in the order the form shows them.
    public static let fields: [Field] = [.snils, .passportSeries, .passportNumber, .passportIssueDate, .passportIssuer,
                                  .passportIssuerCode, .postalCode, .region, .city, .street, .house, .building, .flat]

    /// The page for `model`.
    public static func render(_ model: DocumentsModel) -> String {
        let s = Strings(model.language)
        let f = model.formView
        // Identity numbers get autocomplete="off": people fill this in on shared computers at service centres and
        // libraries, and a browser must not offer someone's SNILS to the next visitor. House, building and flat
        // have no autocomplete token of their own; a browser guessing would put the flat into the house field.
        let content: HTMLBuilder = """
            \(f.input(.snils, autocomplete: "off", inputmode: "numeric", maxlength: 14))
            <fieldset>
            <legend>\(s[.passportLegend])</legend>
            \(f.input(.passportSeries, autocomplete: "off", inputmode: "numeric", maxlength: 5))
            \(f.input(.passportNumber, autocomplete: "off", inputmode: "numeric", maxlength: 6))
            \(f.input(.passportIssueDate, type: "date", autocomplete: "off"))
            \(f.input(.passportIssuer, autocomplete: "off", maxlength: 250))
            \(f.input(.passportIssuerCode, autocomplete: "off", inputmode: "numeric", maxlength: 7))
            </fieldset>
            <fieldset>
            <legend>\(s[.addressLegend])</legend>
            \(f.input(.postalCode, autocomplete: "postal-code", inputmode: "numeric", maxlength: 6))
            \(f.input(.region, autocomplete: "address-level1", maxlength: 100))
            \(f.input(.city, autocomplete: "address-level2", maxlength: 100))
            \(f.input(.street, autocomplete: "address-line1", maxlength: 150))
            \(f.input(.house, maxlength: 20))
            \(f.input(.building, required: false, maxlength: 20))
            \(f.input(.flat, required: false, maxlength: 20))
            </fieldset>
            <button type="submit">\(s[.documentsButton])</button>
            """
        // Documents that belong to another account mean the person most likely has one already: show the way back in.
        let recoverLink: HTMLBuilder = "<p><a href=\"\(PagePath.recover)\">\(s[.forgotPassword])</a></p>"
        let recover = model.pageErrors.contains(PageErrorCode.duplicateAccount.rawValue) ? recoverLink.html : .empty
        let main: HTMLBuilder = """
            <h1>\(s[.documentsTitle])</h1>
            \(f.errorSummary(order: fields, messages: model.pageErrorMessages))
            \(recover)
            <p class="lead">\(s[.documentsLead])</p>
            <p>\(s[.requiredNote])</p>
            \(FormView.form(action: PagePath.documents, csrfToken: model.csrfToken, content.html))
            """
        return Layout.page(title: s[.documentsTitle], language: model.language, currentPath: model.currentPath,
                           hasErrors: model.hasErrors, main: main.html)
    }
}
