/// The scopes a portal may be allowed to ask for: the one table of scope names.
///
/// The names are ESIA's own (ESIA-PROTOCOL §9.1), so the OIDC and the ESIA dialect share them: there is nothing
/// to translate. ESIA knows more (`birthplace`, `medical_doc`, `vehicles`, `usr_org`, ...); they join this table
/// when OpenESIA holds the data behind them.
public enum Scope: String, Sendable, CaseIterable {
    /// Authentication itself: an ID token with the subject and the account level.
    case openid
    /// Surname, given name and patronymic.
    case fullname
    /// Date of birth.
    case birthdate
    /// Gender.
    case gender
    /// SNILS.
    case snils
    /// INN of the person.
    case inn
    /// The identity document (the passport).
    case idDocument = "id_doc"
    /// The confirmed e-mail address.
    case email
    /// The confirmed mobile phone number.
    case mobile
    /// Every contact (phones and e-mail) with its verification status.
    case contacts
    /// Postal addresses.
    case addresses
    /// Service scope: calling the signature verification API (`POST /api/v1/signatures/verify`).
    case signatures
    /// Service scope: calling the portal admin API (`/staff/api/portals`) as a program.
    case admin

    /// Scopes for a portal's own calls to this service, granted only through client credentials: never in an
    /// authorization request, on a consent page, or in a citizen's tokens.
    public var isServiceScope: Bool { self == .signatures || self == .admin }

    /// One line for people choosing scopes.
    public var summary: String {
        switch self {
        case .openid: "authentication: an ID token with the subject and the account level"
        case .fullname: "surname, given name, patronymic"
        case .birthdate: "date of birth"
        case .gender: "gender"
        case .snils: "SNILS"
        case .inn: "INN"
        case .idDocument: "identity document (passport)"
        case .email: "confirmed e-mail address"
        case .mobile: "confirmed mobile phone"
        case .contacts: "all contacts with their verification status"
        case .addresses: "postal addresses"
        case .signatures: "service: verify signatures through the API (client credentials only)"
        case .admin: "service: manage portals through the admin API (client credentials only)"
        }
    }
}
