/// What staff see of a citizen found by SNILS: enough to recognise the person, no more.
public struct StaffCitizenSummary: Sendable {
    public var surname: String
    public var givenName: String
    public var patronymic: String?
    /// `YYYY-MM-DD`; nil when the account has none (registered with a certificate); the row is left out then.
    public var birthDate: String?
    /// Nil while no contact is confirmed.
    public var level: AccountLevel?

    /// A summary.
    public init(surname: String, givenName: String, patronymic: String?, birthDate: String?, level: AccountLevel?) {
        self.surname = surname
        self.givenName = givenName
        self.patronymic = patronymic
        self.birthDate = birthDate
        self.level = level
    }
}

/// Where the passport check stands.
public enum StaffCheckStage: String, Sendable {
    /// Citizen found; type the passport.
    case enterPassport
    /// The passport typed did not match; nothing changed.
    case mismatch
    /// The passport matched: confirm now or print a slip.
    case matched
    /// The account was confirmed just now.
    case confirmed
    /// The account is already confirmed: nothing to do.
    case alreadyConfirmed
    /// The account is not at the standard level: nothing to do.
    case notEligible
}

/// The passport data the operator typed, carried to the next step so the action re-checks it in the same request.
public struct TypedPassport: Sendable {
    public var series: String
    public var number: String
    public var issueDate: String

    /// Passport data as typed.
    public init(series: String, number: String, issueDate: String) {
        self.series = series
        self.number = number
        self.issueDate = issueDate
    }
}

/// The citizen found and the passport step.
public struct StaffCheckModel: Sendable {
    public var language: Language
    public var currentPath: String
    public var bar: StaffBar
    public var citizen: StaffCitizenSummary
    /// The SNILS as the operator typed it, sent again with each step (it is re-looked-up every time).
    public var snils: String
    public var stage: StaffCheckStage
    /// Set at the `matched` stage: goes into the hidden fields of the two action forms.
    public var passport: TypedPassport?

    /// A check page.
    public init(language: Language = .ru, currentPath: String = PagePath.staffHome, bar: StaffBar, citizen: StaffCitizenSummary,
                snils: String, stage: StaffCheckStage, passport: TypedPassport? = nil) {
        self.language = language
        self.currentPath = currentPath
        self.bar = bar
        self.citizen = citizen
        self.snils = snils
        self.stage = stage
        self.passport = passport
    }
}

/// Shows the citizen's name, birth date and level, then the passport form or the choice of action.
public enum StaffCheckPage {
    /// The page for `model`.
    public static func render(_ model: StaffCheckModel) -> String {
        let s = StaffStrings(model.language)
        let common = Strings(model.language)
        let c = model.citizen
        let level: String = switch c.level {
        case .simplified: common[.levelSimplified]
        case .standard: common[.levelStandard]
        case .confirmed: common[.levelConfirmed]
        case nil: "—"
        }
        let patronymic: HTML = c.patronymic.map { HTMLBuilder("<dt>\(s[.patronymicLabel])</dt><dd>\($0)</dd>").html } ?? .empty
        let birthDate: HTML = c.birthDate.map {
            HTMLBuilder("<dt>\(s[.birthDateLabel])</dt><dd>\(Format.date(iso: $0, model.language))</dd>").html
        } ?? .empty
        let summary: HTMLBuilder = """
            <dl class="summary">
            <dt>\(s[.surnameLabel])</dt><dd>\(c.surname)</dd>
            <dt>\(s[.givenNameLabel])</dt><dd>\(c.givenName)</dd>
            \(patronymic)
            \(birthDate)
            <dt>\(s[.levelLabel])</dt><dd>\(level)</dd>
            </dl>
            """
        let step: HTML
        var messages: [String] = []
        var notes: [String] = []
        switch model.stage {
        case .enterPassport, .mismatch:
            if model.stage == .mismatch { messages.append(s[.mismatch]) }
            step = passportForm(model, s)
        case .matched:
            notes.append(s[.matched])
            step = actionForms(model, s)
        case .confirmed:
            notes.append(s[.confirmedDone])
            step = newSearch(s)
        case .alreadyConfirmed:
            notes.append(s[.alreadyConfirmed])
            step = newSearch(s)
        case .notEligible:
            notes.append(s[.notStandard])
            step = newSearch(s)
        }
        let main: HTMLBuilder = """
            <h1>\(s[.checkTitle])</h1>
            \(summary.html)
            \(StaffChrome.alert(messages))
            \(StaffChrome.alert(notes, kind: "notice"))
            \(step)
            """
        return StaffChrome.page(title: s[.checkTitle], language: model.language, currentPath: model.currentPath, bar: model.bar,
                                hasErrors: !messages.isEmpty, main: main.html)
    }

    private static func passportForm(_ model: StaffCheckModel, _ s: StaffStrings) -> HTML {
        // The fields start empty even after a mismatch: the operator types again from the document, not from the screen.
        let content: HTMLBuilder = """
            \(StaffChrome.hidden("snils", model.snils))
            <fieldset>
            <legend>\(s[.passportLegend])</legend>
            <p class="hint">\(s[.passportLead])</p>
            \(StaffChrome.input("passportSeries", label: s[.seriesField], autocomplete: "off", inputmode: "numeric", maxlength: 5))
            \(StaffChrome.input("passportNumber", label: s[.numberField], autocomplete: "off", inputmode: "numeric", maxlength: 6))
            \(StaffChrome.input("passportIssueDate", label: s[.issueDateField], autocomplete: "off", maxlength: 10))
            </fieldset>
            <button type="submit">\(s[.compareButton])</button>
            """
        return FormView.form(action: PagePath.staffPassport, csrfToken: model.bar.csrfToken, content.html)
    }

    private static func actionForms(_ model: StaffCheckModel, _ s: StaffStrings) -> HTML {
        guard let passport = model.passport else { return .empty }
        func form(_ action: String, _ label: String) -> HTML {
            let content: HTMLBuilder = """
                \(StaffChrome.hidden("snils", model.snils))
                \(StaffChrome.hidden("passportSeries", passport.series))
                \(StaffChrome.hidden("passportNumber", passport.number))
                \(StaffChrome.hidden("passportIssueDate", passport.issueDate))
                \(StaffChrome.hidden("action", action))
                <button type="submit">\(label)</button>
                """
            return FormView.form(action: PagePath.staffPassport, csrfToken: model.bar.csrfToken, content.html)
        }
        return HTML.join([form("confirm", s[.confirmButton]), form("slip", s[.slipButton]), newSearch(s)])
    }

    private static func newSearch(_ s: StaffStrings) -> HTML {
        HTMLBuilder("<p><a href=\"\(PagePath.staffHome)\">\(s[.newSearch])</a></p>").html
    }
}
