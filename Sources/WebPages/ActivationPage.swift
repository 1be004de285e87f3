/// Confirming the identity: the level, the letter's progress, the code form and the choice of channel.
public enum ActivationPage {
    /// The page for `model`.
    public static func render(_ model: ActivationModel) -> String {
        let s = Strings(model.language)
        let body: HTML
        switch model.level {
        case .simplified:
            let text: HTMLBuilder = """
                <p>\(s[activation: .notStandardYet])</p>
                <p><a href="\(PagePath.documents)">\(s[activation: .addDocumentsFirst])</a></p>
                """
            body = text.html
        case .confirmed:
            body = confirmed(model, s)
        case .standard:
            let parts: HTMLBuilder = """
                \(ended(model, s))\(letter(model, s))\(centreCode(model, s))\(codeForm(model, s))\(choices(model, s))
                """
            body = parts.html
        }
        let main: HTMLBuilder = """
            <h1>\(s[activation: .title])</h1>
            \(problemSummary(model, s))<p class="lead">\(s[activation: .lead])</p>
            \(body)
            <p><a href="\(PagePath.account)">\(s[.backToAccount])</a></p>
            """
        return Layout.page(title: s[activation: .title], language: model.language, currentPath: model.currentPath,
                           hasErrors: model.problem != nil, main: main.html)
    }

    /// "Your identity is confirmed", with how and when.
    static func confirmed(_ model: ActivationModel, _ s: Strings) -> HTML {
        var how = s[activation: .confirmedText]
        if let method = model.levelMethod { how += " " + s[AccountPage.methodKey(method)] }
        if let date = model.levelReachedAt { how += ", " + Format.dateTime(date, model.language) }
        let html: HTMLBuilder = """
            <h2>\(s[activation: .confirmedTitle])</h2>
            <p>\(how).</p>
            """
        return html.html
    }

    /// The box listing what went wrong with the last post; the code field carries the link target.
    static func problemSummary(_ model: ActivationModel, _ s: Strings) -> HTML {
        guard let problem = model.problem else { return .empty }
        let text: String
        switch problem {
        case .malformedCode: text = s[activation: .problemMalformed]
        case .wrongCode(let left): text = s[activation: .problemWrong] + " " + s[activation: .attemptsLeft] + ": " + String(left) + "."
        case .expiredCode: text = s[activation: .problemExpired]
        case .codeExhausted: text = s[activation: .problemExhausted]
        case .noActiveCode: text = s[activation: .problemNoCode]
        case .throttled(let seconds):
            text = s[activation: .problemThrottled] + " " + Format.minutes(max(1, (seconds + 59) / 60), model.language) + "."
        case .notStandard: text = s[activation: .problemNotStandard]
        case .letterLimit(let seconds):
            text = s[activation: .problemLetterLimit] + " " + Format.days(max(1, (seconds + 86_399) / 86_400), model.language) + "."
        }
        let item: HTML
        if ActivationModel.fieldCode(problem) != nil, model.liveCode != nil {
            let link: HTMLBuilder = "<a href=\"#\(Field.code.rawValue)\">\(text)</a>"
            item = link.html
        } else {
            item = .text(text)
        }
        let box: HTMLBuilder = """
            <div class="error-summary" role="alert" aria-labelledby="error-summary-title">
            <h2 id="error-summary-title">\(s[.errorSummaryTitle])</h2>
            <ul>
            <li>\(item)</li>
            </ul>
            </div>

            """
        return box.html
    }

    /// Why the previous code no longer works, when there is no live one and the letter box does not already say it.
    static func ended(_ model: ActivationModel, _ s: Strings) -> HTML {
        guard model.liveCode == nil, model.problem == nil, let reason = model.lastCodeEnded else { return .empty }
        let key: ActivationText
        switch reason {
        case "expired": key = .endedExpired
        case "exhausted": key = .endedExhausted
        // The letter box explains a returned letter; a replaced or cancelled code was the citizen's own doing.
        default: return .empty
        }
        let html: HTMLBuilder = "<p class=\"notice\" role=\"status\">\(s[activation: key])</p>\n"
        return html.html
    }

    /// The newest letter: when ordered, where it is, its tracking number and its code's expiry.
    static func letter(_ model: ActivationModel, _ s: Strings) -> HTML {
        guard let letter = model.letter else { return .empty }
        let state: ActivationText = switch letter.state {
        case .pending: .letterPending
        case .printed: .letterPrinted
        case .dispatched: .letterDispatched
        case .delivered: .letterDelivered
        case .returned: .letterReturned
        }
        var rows: [HTML] = []
        func row(_ label: String, _ value: String) {
            let html: HTMLBuilder = "<dt>\(label)</dt><dd>\(value)</dd>"
            rows.append(html.html)
        }
        row(s[activation: .letterRequested], Format.dateTime(letter.requestedAt, model.language))
        if let tracking = letter.trackingNumber { row(s[activation: .trackingNumber], tracking) }
        // Only a live code's expiry helps; a returned letter's or a used code's would mislead.
        if let expires = letter.codeExpiresAt, model.liveCode?.byLetter == true {
            row(s[activation: .codeExpires], Format.dateTime(expires, model.language))
        }
        let html: HTMLBuilder = """
            <h2>\(s[activation: .letterTitle])</h2>
            <p class="letter-state" data-state="\(letter.state.rawValue)"><strong>\(s[activation: state])</strong></p>
            <dl class="summary">
            \(HTML.join(rows))
            </dl>

            """
        return html.html
    }

    /// A live code handed over at a service centre: its expiry.
    static func centreCode(_ model: ActivationModel, _ s: Strings) -> HTML {
        guard let code = model.liveCode, !code.byLetter else { return .empty }
        let html: HTMLBuilder = """
            <p>\(s[activation: .centreCodeActive]) \(s[activation: .codeExpires]) \(Format.dateTime(code.expiresAt, model.language)).</p>

            """
        return html.html
    }

    /// The code form, whenever a live code exists; never filled in.
    static func codeForm(_ model: ActivationModel, _ s: Strings) -> HTML {
        guard let code = model.liveCode else { return .empty }
        let f = model.formView
        let fields: HTMLBuilder = """
            \(f.input(.code, autocomplete: "off", refill: false, maxlength: 20, hint: s[activation: .codeHint],
                      label: s[activation: .codeLabel]))
            <p class="attempts">\(s[activation: .attemptsLeft]): \(code.attemptsLeft)</p>
            <button type="submit">\(s[activation: .codeButton])</button>
            """
        let html: HTMLBuilder = """
            <h2>\(s[activation: .codeTitle])</h2>
            \(FormView.form(action: PagePath.activationCode, csrfToken: model.csrfToken, fields.html))

            """
        return html.html
    }

    /// The two ways to get a code: a letter (a form) and a service centre (a link).
    static func choices(_ model: ActivationModel, _ s: Strings) -> HTML {
        let letterPart: HTML
        if model.canOrderLetter {
            let note: HTMLBuilder = "<p>\(s[activation: .letterReplaceNote])</p>"
            let button: HTMLBuilder = "<button type=\"submit\" class=\"secondary\">\(s[activation: .letterButton])</button>"
            let part: HTMLBuilder = """
                <h3>\(s[activation: .letterChoice])</h3>
                <p>\(s[activation: .letterChoiceText])</p>
                \(model.liveCode != nil ? note.html : .empty)
                \(FormView.form(action: PagePath.activationLetter, csrfToken: model.csrfToken, button.html))
                """
            letterPart = part.html
        } else {
            letterPart = .empty
        }
        let html: HTMLBuilder = """
            <h2>\(s[activation: .chooseTitle])</h2>
            <p>\(s[activation: .chooseLead])</p>
            \(letterPart)
            <h3>\(s[activation: .centreChoice])</h3>
            <p>\(s[activation: .centreChoiceText])</p>
            <p><a href="\(PagePath.serviceCentres)">\(s[activation: .findCentreLink])</a></p>
            """
        return html.html
    }
}
