/// What a person types to register at the simplified level; raw text, validated by `CitizenService.register`.
public struct RegistrationForm: Sendable, Equatable {
    public var surname = ""
    public var givenName = ""
    public var patronymic = ""
    /// `YYYY-MM-DD` or `DD.MM.YYYY`
    public var birthDate = ""
    /// `male` / `female`
    public var gender = ""
    public var phone = ""
    public var email = ""
    public var password = ""
    /// The password typed again; nil when the interface has no second field (the JSON API).
    public var passwordRepeat: String?
    /// Consent to the processing of personal data.
    public var consent = false

    public init() {}
}

/// Identity documents and the postal address, as typed, for the standard level.
public struct DocumentsForm: Sendable, Equatable {
    public var snils = ""
    public var passportSeries = ""
    public var passportNumber = ""
    public var passportIssueDate = ""
    public var passportIssuer = ""
    public var passportIssuerCode = ""
    public var inn = ""
    public var postalCode = ""
    public var region = ""
    public var city = ""
    public var street = ""
    public var house = ""
    public var building = ""
    public var flat = ""

    public init() {}
}

/// The result of a registration: the account, a session to continue in, and where codes were sent.
public struct Registration: Sendable {
    public var citizenID: Int64
    public var publicID: String
    public var sessionToken: String
    public var session: Session
    public var contactsToConfirm: [Contact]
}
