/// The paths the pages link and post to; the server's route table should use the same constants.
public enum PagePath {
    /// What the service is.
    public static let home = "/"
    /// Registration for a simplified account.
    public static let register = "/register"
    /// The one-time code for a phone or e-mail, at registration or when a contact is added.
    public static let confirmContact = "/contact/confirm"
    /// Sends a new one-time code.
    public static let resendCode = "/contact/resend"
    /// SNILS, passport and postal address.
    public static let documents = "/documents"
    /// The login form.
    public static let login = "/login"
    /// Logout; POST only.
    public static let logout = "/logout"
    /// The citizen's own account.
    public static let account = "/account"
    /// Change the password (needs the current one).
    public static let changePassword = "/account/password"
    /// Replace the phone or e-mail; the new one counts once its code is entered.
    public static let changeContact = "/account/contact"
    /// Ends one of the citizen's other sessions; POST only, with the session's `handle`.
    public static let endSession = "/account/sessions/end"
    /// Not built yet; the account-recovery issue adds it.
    public static let recover = "/recover"
    /// The public list of service centres, searched by region and city (GET form).
    public static let serviceCentres = "/centres"
    /// Confirming the identity: the activation status, the choice of channel and the code form.
    public static let activation = "/account/activation"
    /// Orders a registered letter with a code; POST only.
    public static let activationLetter = "/account/activation/letter"
    /// Checks a typed activation code; POST only.
    public static let activationCode = "/account/activation/code"
    /// Withdraws a portal's access (consent and tokens); POST only, with the portal's `client_id`.
    public static let revokePortal = "/account/portals/revoke"
    /// The OAuth authorization endpoint.
    public static let oauthAuthorize = "/oauth2/authorize"
    /// Continues a pending authorization after login: `?request=<id>`.
    public static let oauthResume = "/oauth2/resume"
    /// The consent form's answer; POST only.
    public static let oauthConsent = "/oauth2/consent"
    /// RP-initiated logout (the end_session_endpoint).
    public static let oauthLogout = "/oauth2/logout"

    /// `path` if it is a path on this site, else the home page: pages never link to another host.
    static func local(_ path: String) -> String {
        // "//host" and "/\host" are read by browsers as another host.
        guard path.hasPrefix("/"), !path.hasPrefix("//"), !path.hasPrefix("/\\"),
              !path.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) else { return home }
        return path
    }

    /// The current page in another language: the same path and query, with `lang` replaced.
    static func switching(_ currentPath: String, to language: Language) -> String {
        var path = local(currentPath)
        if let hash = path.firstIndex(of: "#") { path = String(path[..<hash]) }
        let parts = path.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        var query = parts.count > 1 ? parts[1].split(separator: "&").map(String.init) : []
        query.removeAll { $0 == "lang" || $0.hasPrefix("lang=") }
        query.append("lang=" + language.rawValue)
        return String(parts[0]) + "?" + query.joined(separator: "&")
    }
}
