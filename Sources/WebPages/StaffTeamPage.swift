/// A staff role as the console shows it.
public enum StaffRoleName: String, Sendable {
    case `operator` = "operator", centreAdmin = "centre-admin", serviceAdmin = "service-admin"
}

/// One row of the team list: no SNILS, no secrets.
public struct StaffTeamRow: Sendable {
    public var id: Int64
    public var login: String
    public var displayName: String
    public var role: StaffRoleName
    public var active: Bool
    /// Whether the viewer may disable or reset this account (their centre's operators).
    public var manageable: Bool

    /// A row.
    public init(id: Int64, login: String, displayName: String, role: StaffRoleName, active: Bool, manageable: Bool) {
        self.id = id
        self.login = login
        self.displayName = displayName
        self.role = role
        self.active = active
        self.manageable = manageable
    }
}

/// Why the team page is shown again after a post.
public enum StaffTeamProblem: String, Sendable {
    /// A field of the new operator was not valid.
    case invalid
    /// The login is taken.
    case loginTaken
}

/// The operators of a centre, the add form, and an enrolment URI right after an add or a reset.
public struct StaffTeamModel: Sendable {
    public var language: Language
    public var currentPath: String
    public var bar: StaffBar
    public var members: [StaffTeamRow]
    /// Whether the add form is shown (the viewer has a centre to add operators to).
    public var canAdd: Bool
    /// `otpauth://…` to show once, after an add or a TOTP reset.
    public var enrolmentURI: String?
    public var problem: StaffTeamProblem?
    /// The add form's login and name, refilled after a problem (never the password).
    public var values: [String: String]

    /// A team page.
    public init(language: Language = .ru, currentPath: String = PagePath.staffTeam, bar: StaffBar, members: [StaffTeamRow],
                canAdd: Bool, enrolmentURI: String? = nil, problem: StaffTeamProblem? = nil, values: [String: String] = [:]) {
        self.language = language
        self.currentPath = currentPath
        self.bar = bar
        self.members = members
        self.canAdd = canAdd
        self.enrolmentURI = enrolmentURI
        self.problem = problem
        self.values = values
    }
}

/// Centre-admins manage their centre's operators: list, add, disable, reset the authenticator.
public enum StaffTeamPage {
    /// The page for `model`.
    public static func render(_ model: StaffTeamModel) -> String {
        let s = StaffStrings(model.language)
        let messages: [String] = switch model.problem {
        case .invalid: [s[.teamInvalid]]
        case .loginTaken: [s[.teamLoginTaken]]
        case nil: []
        }
        var enrolment = HTML.empty
        if let uri = model.enrolmentURI {
            let box: HTMLBuilder = """
                <section class="notice" role="status">
                <h2>\(s[.enrolTitle])</h2>
                <p>\(s[.enrolText])</p>
                <p><code class="enrolment-uri">\(uri)</code></p>
                </section>
                """
            enrolment = box.html
        }
        let rows = model.members.map { member -> HTML in
            var actions = HTML.empty
            if member.manageable {
                let id = String(member.id)
                let disable: HTML = member.active ? FormView.form(
                    action: PagePath.staffTeamDisable, csrfToken: model.bar.csrfToken,
                    HTMLBuilder("\(StaffChrome.hidden("staffID", id))<button type=\"submit\">\(s[.disableButton])</button>").html) : .empty
                let reset = FormView.form(
                    action: PagePath.staffTeamResetTOTP, csrfToken: model.bar.csrfToken,
                    HTMLBuilder("\(StaffChrome.hidden("staffID", id))<button type=\"submit\">\(s[.resetButton])</button>").html)
                actions = HTML.join([disable, reset])
            }
            let row: HTMLBuilder = """
                <tr><td>\(member.displayName)</td><td>\(member.login)</td><td>\(roleName(member.role, s))</td>\
                <td>\(member.active ? s[.active] : s[.disabled])</td><td>\(actions)</td></tr>
                """
            return row.html
        }
        let table: HTML
        if rows.isEmpty {
            table = HTMLBuilder("<p>\(s[.teamEmpty])</p>").html
        } else {
            let built: HTMLBuilder = """
                <table class="team">
                <thead><tr><th scope="col">\(s[.displayNameField])</th><th scope="col">\(s[.loginField])</th>\
                <th scope="col">\(s[.roleLabel])</th><th scope="col">\(s[.statusLabel])</th><th scope="col"></th></tr></thead>
                <tbody>
                \(HTML.join(rows))
                </tbody>
                </table>
                """
            table = built.html
        }
        var add = HTML.empty
        if model.canAdd {
            let content: HTMLBuilder = """
                \(StaffChrome.input("login", label: s[.loginField], value: model.values["login"], autocomplete: "off", maxlength: 64))
                \(StaffChrome.input("displayName", label: s[.displayNameField], value: model.values["displayName"], autocomplete: "off",
                                    maxlength: 200))
                \(StaffChrome.input("password", label: s[.newPasswordField], type: "password", autocomplete: "new-password"))
                <button type="submit">\(s[.addButton])</button>
                """
            let section: HTMLBuilder = """
                <h2>\(s[.addTitle])</h2>
                \(StaffChrome.alert(messages))
                \(FormView.form(action: PagePath.staffTeamAdd, csrfToken: model.bar.csrfToken, content.html))
                """
            add = section.html
        }
        let main: HTMLBuilder = """
            <h1>\(s[.teamTitle])</h1>
            <p class="lead">\(s[.teamLead])</p>
            \(enrolment)
            \(table)
            \(add)
            """
        return StaffChrome.page(title: s[.teamTitle], language: model.language, currentPath: model.currentPath, bar: model.bar,
                                hasErrors: !messages.isEmpty, main: main.html)
    }

    static func roleName(_ role: StaffRoleName, _ s: StaffStrings) -> String {
        switch role {
        case .operator: s[.roleOperator]
        case .centreAdmin: s[.roleCentreAdmin]
        case .serviceAdmin: s[.roleServiceAdmin]
        }
    }
}
