import Citizens

/// Why a staff-account operation was refused. Facts only; the server maps them to pages and statuses.
public enum StaffError: Error, Sendable, Equatable {
    /// Field problems (login, display name, role, centre, SNILS, password), each with a machine code.
    case invalid([FieldError])
    /// Another staff account already has this login.
    case loginTaken
    /// Another staff account already has this SNILS.
    case snilsTaken
    /// The service centre named does not exist.
    case unknownCentre
    /// Wrong login, password or one-time code, an unknown or disabled account: one answer for all.
    case wrongCredentials
    /// Too many failed logins; try again after this many seconds.
    case throttled(retryAfterSeconds: Int)
    /// No staff member with this id.
    case notFound
    /// The acting staff member may not do this (wrong role, another centre, themselves, or disabled).
    case forbidden
    /// No staff account has the SNILS of this (verified) certificate on record.
    case noStaffForCertificate
    /// The staff account of this certificate's SNILS is disabled. Said openly only to a signer, who proved who they are.
    case disabled
}

/// The field names staff forms and errors use.
public enum StaffField {
    /// The login name.
    public static let login = "login"
    /// The name shown in the console and the audit views.
    public static let displayName = "displayName"
    /// The role.
    public static let role = "role"
    /// The service centre's id.
    public static let centre = "centre"
    /// The staff member's own SNILS.
    public static let snils = FieldName.snils
    /// The password.
    public static let password = FieldName.password
}
