/// What the service knows about a citizen and asks a state registry to confirm.
public struct RegistryQuery: Sendable, Equatable {
    /// SNILS as 11 digits, already validated by the caller.
    public var snils: String
    /// Surname as the citizen typed it.
    public var surname: String
    /// Given name as the citizen typed it.
    public var givenName: String
    /// Patronymic, nil when the citizen has none.
    public var patronymic: String?
    /// Birth date, YYYY-MM-DD.
    public var birthDate: String
    /// Passport series, 4 digits.
    public var passportSeries: String
    /// Passport number, 6 digits.
    public var passportNumber: String
    /// Passport issue date, YYYY-MM-DD.
    public var passportIssueDate: String

    /// Makes a query from already validated values.
    public init(snils: String, surname: String, givenName: String, patronymic: String?, birthDate: String,
                passportSeries: String, passportNumber: String, passportIssueDate: String) {
        self.snils = snils
        self.surname = surname
        self.givenName = givenName
        self.patronymic = patronymic
        self.birthDate = birthDate
        self.passportSeries = passportSeries
        self.passportNumber = passportNumber
        self.passportIssueDate = passportIssueDate
    }
}

/// A registry's verdict on one document.
public enum DocumentCheck: Sendable, Equatable {
    /// The registry confirms the document belongs to this person.
    case verified
    /// The registry does not confirm it; `reason` is a machine code (see `RegistryRejection`).
    case rejected(reason: String)
}

/// The machine codes a registry gives for a rejection; the pages turn them into text for the citizen.
public enum RegistryRejection {
    /// The registry has no such SNILS or passport.
    public static let notFound = "notFound"
    /// The SNILS exists under another name.
    public static let nameMismatch = "nameMismatch"
    /// The SNILS exists with another birth date.
    public static let birthDateMismatch = "birthDateMismatch"
    /// The passport exists for this person but is no longer valid (lost, replaced, expired).
    public static let passportInvalid = "passportInvalid"
    /// The passport exists but was issued to someone else (another name or birth date).
    public static let passportNotOfPerson = "passportNotOfPerson"
    /// The passport exists for this person with another issue date.
    public static let issueDateMismatch = "issueDateMismatch"

    /// Every code above; an external service may send others, which are passed on as they are.
    public static let all: [String] = [notFound, nameMismatch, birthDateMismatch, passportInvalid,
                                       passportNotOfPerson, issueDateMismatch]
}

/// A registry's verdicts on both documents of one query.
public struct RegistryAnswer: Sendable, Equatable {
    /// The verdict on the SNILS.
    public var snils: DocumentCheck
    /// The verdict on the passport.
    public var passport: DocumentCheck

    /// Makes an answer.
    public init(snils: DocumentCheck, passport: DocumentCheck) {
        self.snils = snils
        self.passport = passport
    }
}

/// The registry could not answer now (network, 5xx, timeout, malformed reply): try again later.
/// It says nothing about the documents, so it must never become a rejection.
public struct RegistryUnavailable: Error, Sendable, Equatable, CustomStringConvertible {
    /// Why, for the operator's log; holds no personal data.
    public var reason: String

    /// Makes the error.
    public init(reason: String) { self.reason = reason }

    public var description: String { "registry unavailable: \(reason)" }
}

/// Checks SNILS and passport against state registries.
///
/// `check` blocks (database or network) and is called from a background worker, never from an event loop.
/// It throws `RegistryUnavailable` when the answer should be retried later; a definite answer,
/// positive or negative, is returned.
public protocol RegistryAdapter: Sendable {
    /// Asks the registry about both documents of `query`.
    func check(_ query: RegistryQuery) throws -> RegistryAnswer
}
