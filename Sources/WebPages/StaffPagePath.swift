extension PagePath {
    /// The staff console's home: the SNILS search form.
    public static let staffHome = "/staff"
    /// The staff login form (login, password, one-time code).
    public static let staffLogin = "/staff/login"
    /// Ends the staff session; POST only.
    public static let staffLogout = "/staff/logout"
    /// Finds a citizen by exact SNILS; POST only.
    public static let staffCheck = "/staff/check"
    /// Compares the passport seen in person and, on a match in the same request, confirms or issues a slip; POST only.
    public static let staffPassport = "/staff/check/passport"
    /// The operators of the centre-admin's centre.
    public static let staffTeam = "/staff/team"
    /// Adds an operator; POST only.
    public static let staffTeamAdd = "/staff/team/add"
    /// Disables a staff account; POST only.
    public static let staffTeamDisable = "/staff/team/disable"
    /// Gives a staff account a new TOTP secret; POST only.
    public static let staffTeamResetTOTP = "/staff/team/reset-totp"
}
