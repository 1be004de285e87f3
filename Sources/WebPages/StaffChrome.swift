/// Who is signed in to the staff console, for the bar at the top of every console page.
public struct StaffBar: Sendable {
    /// The staff member's display name.
    public var displayName: String
    /// Whether the "centre staff" link is shown (centre-admins and service-admins).
    public var showsTeam: Bool
    /// The session's anti-forgery token, for the logout form.
    public var csrfToken: String

    /// A bar for a signed-in staff member.
    public init(displayName: String, showsTeam: Bool, csrfToken: String) {
        self.displayName = displayName
        self.showsTeam = showsTeam
        self.csrfToken = csrfToken
    }
}

/// Pieces every staff console page shares: the bar, labelled inputs, the page frame.
enum StaffChrome {
    /// A console page: the staff bar (when signed in) above `main`, inside the site layout.
    static func page(title: String, language: Language, currentPath: String, bar: StaffBar?, hasErrors: Bool = false,
                     main: HTML) -> String {
        let s = StaffStrings(language)
        var nav = HTML.empty
        if let bar {
            let team: HTML = bar.showsTeam
                ? HTMLBuilder("<li><a href=\"\(PagePath.staffTeam)\">\(s[.teamNav])</a></li>").html : .empty
            let logout: HTMLBuilder = "<button type=\"submit\">\(s[.logoutButton])</button>"
            let built: HTMLBuilder = """
                <nav class="staff-bar no-print" aria-label="\(s[.consoleName])">
                <p>\(s[.signedInAs]) \(bar.displayName)</p>
                <ul class="actions">
                <li><a href="\(PagePath.staffHome)">\(s[.searchNav])</a></li>
                \(team)
                </ul>
                \(FormView.form(action: PagePath.staffLogout, csrfToken: bar.csrfToken, logout.html))
                </nav>
                """
            nav = built.html
        }
        let body: HTMLBuilder = """
            \(nav)
            \(main)
            """
        return Layout.page(title: title + " — " + s[.consoleName], language: language, currentPath: currentPath,
                           hasErrors: hasErrors, main: body.html)
    }

    /// A labelled input; `value` is refilled only when given (never for passwords and codes).
    static func input(_ name: String, label: String, type: String = "text", value: String? = nil, autocomplete: String? = nil,
                      inputmode: String? = nil, maxlength: Int? = nil, required: Bool = true) -> HTML {
        var attributes: [(String, String?)] = [("id", name), ("name", name), ("type", type)]
        if let autocomplete { attributes.append(("autocomplete", autocomplete)) }
        if let inputmode { attributes.append(("inputmode", inputmode)) }
        if let maxlength { attributes.append(("maxlength", String(maxlength))) }
        if required { attributes += [("required", nil), ("aria-required", "true")] }
        if let value, !value.isEmpty { attributes.append(("value", value)) }
        let block: HTMLBuilder = """
            <div class="field">
            <label for="\(name)">\(label)</label>
            \(HTML.tag("input", attributes))
            </div>
            """
        return block.html
    }

    /// A hidden input carrying a value to the next step.
    static func hidden(_ name: String, _ value: String) -> HTML {
        HTML.tag("input", [("type", "hidden"), ("name", name), ("value", value)])
    }

    /// A box of messages announced to screen readers; empty when there are none.
    static func alert(_ messages: [String], kind: String = "error-summary") -> HTML {
        guard !messages.isEmpty else { return .empty }
        let items = HTML.join(messages.map { HTMLBuilder("<p>\($0)</p>").html })
        let box: HTMLBuilder = "<div class=\"\(kind)\" role=\"alert\">\n\(items)\n</div>"
        return box.html
    }
}
