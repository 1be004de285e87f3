/// Builds accessible form controls from a page's language, re-fill values and field errors.
///
/// Every control has a `<label for>`; a field with an error gets the message beside it (`id="<field>-error"`),
/// `aria-invalid="true"` and `aria-describedby` pointing at the message.
struct FormView {
    let language: Language
    let values: [String: String]
    let errors: [String: String]

    var strings: Strings { Strings(language) }

    /// A POST form carrying the CSRF token as its first field.
    static func form(action: String, csrfToken: String, class className: String? = nil, _ content: HTML) -> HTML {
        var attributes: [(String, String?)] = [("method", "post"), ("action", action)]
        if let className { attributes.append(("class", className)) }
        let form: HTMLBuilder = """
            \(HTML.tag("form", attributes))
            \(HTML.tag("input", [("type", "hidden"), ("name", "csrf"), ("value", csrfToken)]))
            \(content)
            </form>
            """
        return form.html
    }

    /// A text-like input with label, optional hint and error.
    /// - Parameters:
    ///   - refill: false for passwords and one-time codes, which must never travel back in a page.
    ///   - markOptional: adds "(optional)" to the label of a field that is not required.
    ///   - hint: replaces the field's catalog hint, for a field whose rules differ by page (a new password).
    ///   - label: replaces the field's catalog label, for a field whose meaning differs by page ("new password").
    func input(_ field: Field, type: String = "text", autocomplete: String? = nil, required: Bool = true,
               markOptional: Bool = true, refill: Bool = true, inputmode: String? = nil, maxlength: Int? = nil,
               hint: String? = nil, label labelText: String? = nil) -> HTML {
        let name = field.rawValue
        let hintText = hint ?? Strings.hint(field, language)
        var attributes: [(String, String?)] = [("id", name), ("name", name), ("type", type)]
        if let autocomplete { attributes.append(("autocomplete", autocomplete)) }
        if let inputmode { attributes.append(("inputmode", inputmode)) }
        if let maxlength { attributes.append(("maxlength", String(maxlength))) }
        if required { attributes += [("required", nil), ("aria-required", "true")] }
        attributes += errorAttributes(field, hint: hintText != nil)
        if refill, let value = values[name], !value.isEmpty { attributes.append(("value", value)) }
        let block: HTMLBuilder = """
            <div class="\(fieldClass(field))">
            <label for="\(name)">\(label(field, required: required || !markOptional, text: labelText))</label>
            \(hintParagraph(field, hintText))\(errorMessage(field))\(HTML.tag("input", attributes))
            </div>
            """
        return block.html
    }

    /// A group of radio buttons; the first one has the field's own id, so `#<field>` links reach the group.
    func radios(_ field: Field, options: [(value: String, label: String)], required: Bool = true) -> HTML {
        let name = field.rawValue
        let selected = values[name]
        let buttons = options.enumerated().map { index, option in
            let id = index == 0 ? name : "\(name)-\(option.value)"
            var attributes: [(String, String?)] = [("id", id), ("name", name), ("type", "radio"), ("value", option.value)]
            if required { attributes.append(("required", nil)) }
            attributes += errorAttributes(field, hint: false)
            if selected == option.value { attributes.append(("checked", nil)) }
            let choice: HTMLBuilder = """
                <div class="choice">\(HTML.tag("input", attributes))<label for="\(id)">\(option.label)</label></div>
                """
            return choice.html
        }
        // aria-required belongs on the group: ARIA does not allow it on a single radio.
        var group: [(String, String?)] = [("role", "radiogroup")]
        if required { group.append(("aria-required", "true")) }
        let block: HTMLBuilder = """
            <div class="\(fieldClass(field))">
            \(HTML.tag("fieldset", group))
            <legend>\(label(field, required: required))</legend>
            \(errorMessage(field))\(HTML.join(buttons))
            </fieldset>
            </div>
            """
        return block.html
    }

    /// A single checkbox whose label is a sentence, such as a consent.
    func checkbox(_ field: Field, text: String, required: Bool = true) -> HTML {
        let name = field.rawValue
        var attributes: [(String, String?)] = [("id", name), ("name", name), ("type", "checkbox"), ("value", "yes")]
        if required { attributes += [("required", nil), ("aria-required", "true")] }
        attributes += errorAttributes(field, hint: false)
        if let value = values[name], !value.isEmpty { attributes.append(("checked", nil)) }
        let block: HTMLBuilder = """
            <div class="\(fieldClass(field))">
            \(errorMessage(field))<div class="choice">\(HTML.tag("input", attributes))<label for="\(name)">\(text)</label></div>
            </div>
            """
        return block.html
    }

    /// The box at the top of a form listing every problem, with links to the fields; empty when there are none.
    /// - Parameters:
    ///   - order: the fields in the order the form shows them, so the list reads top to bottom.
    ///   - messages: page-level messages, already in the page's language.
    func errorSummary(order: [Field], messages: [String]) -> HTML {
        var items = messages.map { message -> HTML in
            let item: HTMLBuilder = "<li>\(message)</li>"
            return item.html
        }
        for field in order {
            guard let code = errors[field.rawValue] else { continue }
            let item: HTMLBuilder = "<li><a href=\"#\(field.rawValue)\">\(message(field.rawValue, code))</a></li>"
            items.append(item.html)
        }
        // Errors for fields this form does not show: still listed, but there is nothing to link to.
        let shown = Set(order.map(\.rawValue))
        for (name, code) in errors.sorted(by: { $0.key < $1.key }) where !shown.contains(name) {
            let item: HTMLBuilder = "<li>\(message(name, code))</li>"
            items.append(item.html)
        }
        guard !items.isEmpty else { return .empty }
        let box: HTMLBuilder = """
            <div class="error-summary" role="alert" aria-labelledby="error-summary-title">
            <h2 id="error-summary-title">\(strings[.errorSummaryTitle])</h2>
            <ul>
            \(HTML.join(items))
            </ul>
            </div>
            """
        return box.html
    }

    private func message(_ field: String, _ code: String) -> String {
        Strings.fieldError(field: field, code: code, language: language)
    }

    private func label(_ field: Field, required: Bool, text custom: String? = nil) -> String {
        let text = custom ?? Strings.label(field, language)
        return required ? text : "\(text) (\(strings[.optionalMark]))"
    }

    private func fieldClass(_ field: Field) -> String {
        errors[field.rawValue] == nil ? "field" : "field field-error"
    }

    private func hintParagraph(_ field: Field, _ text: String?) -> HTML {
        guard let text else { return .empty }
        let hint: HTMLBuilder = "<p class=\"hint\" id=\"\(field.rawValue)-hint\">\(text)</p>\n"
        return hint.html
    }

    private func errorMessage(_ field: Field) -> HTML {
        guard let code = errors[field.rawValue] else { return .empty }
        let error: HTMLBuilder = """
            <p class="error-message" id="\(field.rawValue)-error"><span class="visually-hidden">\(strings[.errorPrefix]) </span>\
            \(message(field.rawValue, code))</p>

            """
        return error.html
    }

    private func errorAttributes(_ field: Field, hint: Bool) -> [(String, String?)] {
        let name = field.rawValue
        var described: [String] = []
        if hint { described.append("\(name)-hint") }
        var attributes: [(String, String?)] = []
        if errors[name] != nil {
            described.append("\(name)-error")
            attributes.append(("aria-invalid", "true"))
        }
        if !described.isEmpty { attributes.append(("aria-describedby", described.joined(separator: " "))) }
        return attributes
    }
}
