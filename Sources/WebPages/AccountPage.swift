import Foundation

/// The account levels, lowest first.
public enum AccountLevel: String, Sendable, CaseIterable {
    case simplified, standard, confirmed
}

/// Where the check of SNILS and passport against the state registries stands.
public enum RegistryStatus: Sendable, Equatable {
    case notSubmitted
    case pending
    case verified
    /// `reason` is a code: `passportInvalid`, `snilsNotFound` or `dataMismatch`; others get a general sentence.
    case rejected(reason: String)
}

/// A phone or e-mail on the account.
public struct AccountContact: Sendable {
    /// The phone number or address as stored.
    public var value: String
    /// Whether the one-time code for it was entered.
    public var verified: Bool

    /// A contact and whether its code was entered.
    public init(value: String, verified: Bool) {
        self.value = value
        self.verified = verified
    }
}

/// One active login session on the account page.
public struct AccountSession: Sendable {
    /// The public id the "end this session" form sends; never the session's secret.
    public var handle: String
    /// When the session began (login or registration).
    public var startedAt: Date
    /// The last recorded use.
    public var lastSeenAt: Date
    /// The browser's User-Agent, as recorded at login.
    public var userAgent: String
    /// The client's address at login.
    public var sourceAddress: String
    /// The session this page is shown in: it gets no "end" button (logging out ends it).
    public var isCurrent: Bool

    /// A session as the account page lists it.
    public init(handle: String, startedAt: Date, lastSeenAt: Date, userAgent: String, sourceAddress: String, isCurrent: Bool) {
        self.handle = handle
        self.startedAt = startedAt
        self.lastSeenAt = lastSeenAt
        self.userAgent = userAgent
        self.sourceAddress = sourceAddress
        self.isCurrent = isCurrent
    }
}

/// A portal holding access to the citizen's data.
public struct AccountPortal: Sendable {
    /// The portal's client id, sent by the revoke form.
    public var clientID: String
    /// Its name.
    public var name: String
    /// The scope names consented to.
    public var scopes: [String]
    /// When access was first given.
    public var since: Date

    public init(clientID: String, name: String, scopes: [String], since: Date) {
        self.clientID = clientID
        self.name = name
        self.scopes = scopes
        self.since = since
    }
}

/// What the account page shows.
public struct AccountModel: Sendable {
    /// The interface language.
    public var language: Language
    /// For the logout form.
    public var csrfToken: String
    /// The path and query of this page, for the language switch.
    public var currentPath: String
    /// Names as in the passport.
    public var surname: String
    public var givenName: String
    public var patronymic: String?
    /// `YYYY-MM-DD`; nil for an account registered with a certificate that has not added it (the row is left out).
    public var birthDate: String?
    /// The current level, which decides what the page advises next.
    public var level: AccountLevel
    /// The contacts, if given.
    public var phone: AccountContact?
    public var email: AccountContact?
    /// The full SNILS; the page shows it masked.
    public var snils: String?
    /// The passport series and number; the page shows only the last two digits.
    public var passport: String?
    /// Where the registry check of the documents stands.
    public var registry: RegistryStatus
    /// How the level was reached: `registration`, `registry`, `document-change`, `letter-code`, `centre-code`,
    /// `staff-check` or `signature`; anything else reads "in another way".
    public var levelMethod: String?
    /// When the level was reached.
    public var levelReachedAt: Date?
    /// New contacts whose code has not been entered yet: the page links to the code form for each.
    public var awaitingCode: [ContactChannel]
    /// The citizen's active sessions, this one included; empty hides the list.
    public var sessions: [AccountSession]
    /// The portals with access to the citizen's data.
    public var portals: [AccountPortal] = []

    /// The account as the citizen sees it.
    public init(language: Language = .ru, csrfToken: String, currentPath: String = PagePath.account, surname: String,
                givenName: String, patronymic: String? = nil, birthDate: String?, level: AccountLevel,
                phone: AccountContact? = nil, email: AccountContact? = nil, snils: String? = nil, passport: String? = nil,
                registry: RegistryStatus = .notSubmitted, levelMethod: String? = nil, levelReachedAt: Date? = nil,
                awaitingCode: [ContactChannel] = [], sessions: [AccountSession] = []) {
        self.language = language
        self.csrfToken = csrfToken
        self.currentPath = currentPath
        self.surname = surname
        self.givenName = givenName
        self.patronymic = patronymic
        self.birthDate = birthDate
        self.level = level
        self.phone = phone
        self.email = email
        self.snils = snils
        self.passport = passport
        self.registry = registry
        self.levelMethod = levelMethod
        self.levelReachedAt = levelReachedAt
        self.awaitingCode = awaitingCode
        self.sessions = sessions
    }
}

/// The citizen's own account: who they are, what their level allows and what to do next.
public enum AccountPage {
    /// The page for `model`.
    public static func render(_ model: AccountModel) -> String {
        let s = Strings(model.language)
        let name = [model.surname, model.givenName, model.patronymic ?? ""].filter { !$0.isEmpty }.joined(separator: " ")
        let logout: HTMLBuilder = "<button type=\"submit\" class=\"secondary\">\(s[.logoutButton])</button>"
        let birthDate: HTML = model.birthDate.map {
            HTMLBuilder("<dt>\(s[.birthDateLabel])</dt><dd>\(Format.date(iso: $0, model.language))</dd>").html
        } ?? .empty
        let main: HTMLBuilder = """
            <h1>\(s[.accountTitle])</h1>
            <dl class="summary">
            <dt>\(s[.nameLabel])</dt><dd>\(name)</dd>
            \(birthDate)
            <dt>\(s[.contactsLabel])</dt><dd>\(contacts(model, s))</dd>
            </dl>
            <h2>\(s[.levelLabel])</h2>
            <p><strong>\(levelName(model.level, s)).</strong> \(allows(model.level, s))</p>
            \(reached(model, s))
            <h3>\(s[.nextStepLabel])</h3>
            <p>\(nextStep(model, s))</p>
            <h2>\(s[.documentsLabel])</h2>
            <dl class="summary">
            <dt>\(Strings.label(.snils, model.language))</dt><dd>\(model.snils.map(Mask.snils) ?? s[.notGiven])</dd>
            <dt>\(s[.passportLegend])</dt><dd>\(model.passport.map(Mask.passport) ?? s[.notGiven])</dd>
            <dt>\(s[.registryLabel])</dt><dd>\(registry(model.registry, s))</dd>
            </dl>
            <h2>\(s[.settingsLabel])</h2>
            <ul class="actions">
            <li><a href="\(PagePath.changePassword)">\(s[.changePasswordLink])</a></li>
            <li><a href="\(PagePath.changeContact)">\(s[.changeContactLink])</a></li>
            </ul>
            \(portals(model, s))
            \(sessions(model, s))
            \(FormView.form(action: PagePath.logout, csrfToken: model.csrfToken, class: "no-print", logout.html))
            """
        return Layout.page(title: s[.accountTitle], language: model.language, currentPath: model.currentPath, main: main.html)
    }

    static func levelName(_ level: AccountLevel, _ s: Strings) -> String {
        switch level {
        case .simplified: s[.levelSimplified]
        case .standard: s[.levelStandard]
        case .confirmed: s[.levelConfirmed]
        }
    }

    static func allows(_ level: AccountLevel, _ s: Strings) -> String {
        switch level {
        case .simplified: s[.levelSimplifiedAllows]
        case .standard: s[.levelStandardAllows]
        case .confirmed: s[.levelConfirmedAllows]
        }
    }

    /// The one thing to do next, with a link where the way is on this site.
    static func nextStep(_ model: AccountModel, _ s: Strings) -> HTML {
        func with(_ text: Strings.Key, link: Strings.Key, to path: String) -> HTML {
            let html: HTMLBuilder = "\(s[text]) <a href=\"\(path)\">\(s[link])</a>"
            return html.html
        }
        switch (model.level, model.registry) {
        case (.confirmed, _): return .text(s[.nextNothing])
        case (.standard, _):
            // The activation page offers both channels (letter and service centre) and shows a letter's progress.
            let html: HTMLBuilder = "\(s[.nextConfirm]) <a href=\"\(PagePath.activation)\">\(s[activation: .confirmIdentityLink])</a>"
            return html.html
        case (.simplified, .notSubmitted): return with(.nextAddDocuments, link: .addDocumentsLink, to: PagePath.documents)
        case (.simplified, .rejected): return with(.nextFixDocuments, link: .fixDocumentsLink, to: PagePath.documents)
        // Verified but not yet raised: the level change is on its way, so waiting is still the right advice.
        case (.simplified, .pending), (.simplified, .verified): return .text(s[.nextWaitForCheck])
        }
    }

    static func contacts(_ model: AccountModel, _ s: Strings) -> HTML {
        var lines = [model.phone, model.email].compactMap { $0 }.map { contact -> HTML in
            let line: HTMLBuilder = "\(contact.value) (\(contact.verified ? s[.verified] : s[.notVerified]))"
            return line.html
        }
        for channel in model.awaitingCode {
            let text = channel == .phone ? s[.enterCodeForPhone] : s[.enterCodeForEmail]
            let link: HTMLBuilder = "<a href=\"\(PagePath.confirmContact)?channel=\(channel.rawValue)\">\(text)</a>"
            lines.append(link.html)
        }
        return lines.isEmpty ? .text(s[.notGiven]) : HTML.join(lines, separator: "<br>")
    }

    /// "Level reached: after the check with the state registries, 17 May 2024, 14:05", when known.
    static func reached(_ model: AccountModel, _ s: Strings) -> HTML {
        guard let method = model.levelMethod else { return .empty }
        var text = s[.levelReachedLabel] + ": " + s[methodKey(method)]
        if let date = model.levelReachedAt { text += ", " + Format.dateTime(date, model.language) }
        let line: HTMLBuilder = "<p>\(text).</p>"
        return line.html
    }

    /// Evidence method codes to text; an unknown code is never shown raw.
    static func methodKey(_ method: String) -> Strings.Key {
        switch method {
        case "registration": .levelByRegistration
        case "registry": .levelByRegistry
        case "document-change": .levelByDocumentChange
        case "letter-code": .levelByLetterCode
        case "centre-code": .levelByCentreCode
        case "staff-check": .levelByStaffCheck
        case "signature": .levelBySignature
        default: .levelByOther
        }
    }

    /// The portals with access, each with what it may read and a form withdrawing it.
    static func portals(_ model: AccountModel, _ s: Strings) -> HTML {
        guard !model.portals.isEmpty else {
            let none: HTMLBuilder = "<h2>\(s[oauth: .portalsTitle])</h2>\n<p>\(s[oauth: .portalsNone])</p>"
            return none.html
        }
        let items = model.portals.map { portal -> HTML in
            let scopes = portal.scopes.compactMap(s.scopeDescription).joined(separator: "; ")
            let button: HTMLBuilder = """
                \(HTML.tag("input", [("type", "hidden"), ("name", "client_id"), ("value", portal.clientID)]))
                <button type="submit" class="secondary">\(s[oauth: .portalsRevoke])</button>
                """
            let item: HTMLBuilder = """
                <li>
                <p><strong>\(portal.name)</strong></p>
                <p>\(scopes)</p>
                <p><small>\(s[oauth: .portalsSince]) \(Format.dateTime(portal.since, model.language))</small></p>
                \(FormView.form(action: PagePath.revokePortal, csrfToken: model.csrfToken, class: "no-print", button.html))
                </li>
                """
            return item.html
        }
        let list: HTMLBuilder = """
            <h2>\(s[oauth: .portalsTitle])</h2>
            <ul class="portals">
            \(HTML.join(items))
            </ul>
            """
        return list.html
    }

    /// The active sessions; every one but the current has its own "end this session" form.
    static func sessions(_ model: AccountModel, _ s: Strings) -> HTML {
        guard !model.sessions.isEmpty else { return .empty }
        let items = model.sessions.map { session -> HTML in
            let browser = session.userAgent.isEmpty ? s[.unknownBrowser] : session.userAgent
            let action: HTML
            if session.isCurrent {
                let current: HTMLBuilder = "<p><strong>\(s[.thisSession])</strong></p>"
                action = current.html
            } else {
                let button: HTMLBuilder = """
                    \(HTML.tag("input", [("type", "hidden"), ("name", "handle"), ("value", session.handle)]))
                    <button type="submit" class="secondary">\(s[.endSessionButton])</button>
                    """
                action = FormView.form(action: PagePath.endSession, csrfToken: model.csrfToken, class: "no-print", button.html)
            }
            let item: HTMLBuilder = """
                <li>
                <dl class="summary">
                <dt>\(s[.sessionStarted])</dt><dd>\(Format.dateTime(session.startedAt, model.language))</dd>
                <dt>\(s[.sessionLastSeen])</dt><dd>\(Format.dateTime(session.lastSeenAt, model.language))</dd>
                <dt>\(s[.sessionBrowser])</dt><dd>\(browser)</dd>
                <dt>\(s[.sessionAddress])</dt><dd>\(session.sourceAddress)</dd>
                </dl>
                \(action)
                </li>
                """
            return item.html
        }
        let list: HTMLBuilder = """
            <h2>\(s[.sessionsLabel])</h2>
            <ul class="sessions">
            \(HTML.join(items))
            </ul>
            """
        return list.html
    }

    static func registry(_ status: RegistryStatus, _ s: Strings) -> String {
        switch status {
        case .notSubmitted: s[.registryNotSubmitted]
        case .pending: s[.registryPending]
        case .verified: s[.registryVerified]
        case .rejected(let reason):
            s[.registryRejected] + " " + s[rejectionKey(reason)]
        }
    }

    /// Registry reason codes to text; an unknown code is never shown raw.
    static func rejectionKey(_ reason: String) -> Strings.Key {
        switch reason {
        case "passportInvalid": .rejectedPassportInvalid
        case "snilsNotFound": .rejectedSnilsNotFound
        case "dataMismatch": .rejectedDataMismatch
        default: .rejectedOther
        }
    }
}
