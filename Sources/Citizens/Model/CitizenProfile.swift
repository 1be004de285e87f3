import Foundation

/// A phone number or e-mail address of a citizen.
public enum ContactKind: String, Sendable, CaseIterable {
    case phone, email
}

/// One contact and whether the citizen proved they receive messages there.
public struct Contact: Sendable, Equatable {
    public var id: Int64
    public var kind: ContactKind
    /// `+7XXXXXXXXXX` or a normalised e-mail address.
    public var value: String
    public var confirmedAt: Date?

    /// Makes a value.
    public init(id: Int64, kind: ContactKind, value: String, confirmedAt: Date?) {
        self.id = id
        self.kind = kind
        self.value = value
        self.confirmedAt = confirmedAt
    }
}

/// The documents as the account page shows them: masked numbers and registry status, never the full numbers.
public struct DocumentsSummary: Sendable, Equatable {
    /// `***-***-445 95`
    public var snilsMasked: String
    /// `** ** ****56`; nil while only a certificate's SNILS is on file.
    public var passportMasked: String?
    public var snilsStatus: VerificationStatus
    public var passportStatus: VerificationStatus
    /// Machine codes from the registry when rejected (e.g. `nameMismatch`).
    public var snilsReason: String?
    public var passportReason: String?
    public var submittedAt: Date
    public var hasINN: Bool
    /// When a qualified signature vouched for the SNILS (and the INN); nil when none did.
    public var signatureCheckedAt: Date?
}

/// What an account does not hold yet, so the account page can ask for it. An account registered with a certificate
/// starts without all of these; data an account does not hold is simply absent from what portals receive.
public enum MissingData: String, Sendable, CaseIterable {
    /// No confirmed phone or e-mail.
    case contact
    /// No password: the account logs in only with a signature.
    case password
    /// No passport (and so no postal address) on file.
    case passport
    case birthDate
    case gender
}

/// What a citizen's own account page and portals (later) read about them.
public struct CitizenProfile: Sendable, Equatable {
    public var id: Int64
    /// The stable public identifier (the ESIA dialect's oid, the OIDC `sub`).
    public var publicID: String
    public var surname: String
    public var givenName: String
    public var patronymic: String?
    /// `YYYY-MM-DD`; nil when the account was registered with a certificate and the citizen has not added it.
    public var birthDate: String?
    /// `male` or `female`; nil as the birth date.
    public var gender: String?
    /// nil while no contact is confirmed.
    public var level: AccountLevel?
    public var evidence: LevelEvidence
    public var identityConfirmed: Bool
    public var contacts: [Contact]
    public var documents: DocumentsSummary?
    public var createdAt: Date
    /// Whether a password is set; false for a certificate-registered account until the citizen sets one.
    public var hasPassword: Bool
    /// What the account lacks, in the order the page should ask for it.
    public var missingData: [MissingData]
}
