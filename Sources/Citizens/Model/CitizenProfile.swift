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
    /// `** ** ****56`
    public var passportMasked: String
    public var snilsStatus: VerificationStatus
    public var passportStatus: VerificationStatus
    /// Machine codes from the registry when rejected (e.g. `nameMismatch`).
    public var snilsReason: String?
    public var passportReason: String?
    public var submittedAt: Date
    public var hasINN: Bool
}

/// What a citizen's own account page and portals (later) read about them.
public struct CitizenProfile: Sendable, Equatable {
    public var id: Int64
    /// The stable public identifier (the ESIA dialect's oid, the OIDC `sub`).
    public var publicID: String
    public var surname: String
    public var givenName: String
    public var patronymic: String?
    /// `YYYY-MM-DD`
    public var birthDate: String
    /// `male` or `female`
    public var gender: String
    /// nil while no contact is confirmed.
    public var level: AccountLevel?
    public var evidence: LevelEvidence
    public var identityConfirmed: Bool
    public var contacts: [Contact]
    public var documents: DocumentsSummary?
    public var createdAt: Date
}
