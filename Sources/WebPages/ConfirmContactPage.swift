/// Where a one-time code was sent.
public enum ContactChannel: String, Sendable {
    case phone, email
}

/// The one-time code form for a phone or e-mail.
public struct ConfirmContactModel: FormModel {
    public var language: Language
    public var csrfToken: String
    public var currentPath: String
    public var values: [String: String]
    public var errors: [String: String]
    public var pageErrors: [String]
    /// Whether the code went by SMS or e-mail.
    public var channel: ContactChannel
    /// The full phone number or address; the page shows it masked.
    public var destination: String
    /// True right after a new code was sent, to say so.
    public var codeResent: Bool
    /// Seconds until another code may be requested, if the server is holding it back.
    public var resendWaitSeconds: Int?

    /// A code form for a code sent to `destination`.
    public init(language: Language = .ru, csrfToken: String, currentPath: String = PagePath.confirmContact,
                channel: ContactChannel, destination: String, codeResent: Bool = false, resendWaitSeconds: Int? = nil,
                values: [String: String] = [:], errors: [String: String] = [:], pageErrors: [String] = []) {
        self.language = language
        self.csrfToken = csrfToken
        self.currentPath = currentPath
        self.channel = channel
        self.destination = destination
        self.codeResent = codeResent
        self.resendWaitSeconds = resendWaitSeconds
        self.values = values
        self.errors = errors
        self.pageErrors = pageErrors
    }
}

/// Enter the code sent to a phone or e-mail; ask for another.
public enum ConfirmContactPage {
    /// The page for `model`.
    public static func render(_ model: ConfirmContactModel) -> String {
        let s = Strings(model.language)
        let f = model.formView
        let sentTo = switch model.channel {
        case .phone: s[.confirmSentToPhone] + " " + Mask.phone(model.destination)
        case .email: s[.confirmSentToEmail] + " " + Mask.email(model.destination)
        }
        let resent: HTMLBuilder = "<p class=\"notice\" role=\"status\">\(s[.codeResent])</p>"
        let wait: HTML
        if let seconds = model.resendWaitSeconds, seconds > 0 {
            let text: HTMLBuilder = "<p>\(s[.resendWait]) \(Format.seconds(seconds, model.language)).</p>"
            wait = text.html
        } else {
            wait = .empty
        }
        // Both forms name the channel: a citizen changing a contact may have codes out for phone and e-mail at once.
        let channel = HTML.tag("input", [("type", "hidden"), ("name", "channel"), ("value", model.channel.rawValue)])
        let confirm: HTMLBuilder = """
            \(channel)
            \(f.input(.code, type: "text", autocomplete: "one-time-code", refill: false, inputmode: "numeric", maxlength: 10))
            <button type="submit">\(s[.confirmButton])</button>
            """
        let resend: HTMLBuilder = """
            \(channel)
            \(wait)<button type="submit" class="secondary">\(s[.resendButton])</button>
            """
        let main: HTMLBuilder = """
            <h1>\(s[.confirmTitle])</h1>
            \(f.errorSummary(order: [.code], messages: model.pageErrorMessages))\
            \(model.codeResent ? resent.html : .empty)
            <p class="lead">\(sentTo)</p>
            <p>\(s[.codeHint])</p>
            \(FormView.form(action: PagePath.confirmContact, csrfToken: model.csrfToken, confirm.html))
            \(FormView.form(action: PagePath.resendCode, csrfToken: model.csrfToken, class: "no-print", resend.html))
            """
        return Layout.page(title: s[.confirmTitle], language: model.language, currentPath: model.currentPath,
                           hasErrors: model.hasErrors, main: main.html)
    }
}
