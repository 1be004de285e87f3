/// One problem with one form field: which field, and a machine code the web layer turns into a message.
///
/// Messages (ru/en) live in the web layer; this module only names the field and the rule that failed.
public struct FieldError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The form/JSON name of the field, one of `FieldName`.
    public let field: String
    /// Which rule the value broke.
    public let code: FieldErrorCode

    /// Makes an error for `field` with `code`.
    public init(field: String, code: FieldErrorCode) {
        self.field = field
        self.code = code
    }

    /// `field: code`, for logs and test failures.
    public var description: String { "\(field): \(code.rawValue)" }
}

/// The rules a field value can break; stable strings, safe to send to clients.
public enum FieldErrorCode: String, Sendable, CaseIterable {
    /// Empty after trimming, but the field must be given.
    case required
    /// Longer than the field allows.
    case tooLong
    /// Shorter than the field allows.
    case tooShort
    /// Holds a character the field never allows.
    case invalidCharacters
    /// The characters are allowed but the shape is wrong (length of a number, date layout, punctuation).
    case invalidFormat
    /// A check digit does not match.
    case badChecksum
    /// A date after today.
    case inFuture
    /// A date before the earliest one the rule allows.
    case tooEarly
    /// The person is younger than the rule allows.
    case tooYoung
    /// The person is older than the rule allows.
    case tooOld
    /// Well formed but not accepted here (a foreign or landline phone, an unknown choice).
    case notAllowed
    /// A password from the list of common passwords.
    case commonPassword
    /// A password containing the person's name, SNILS or birth date.
    case containsPersonalData
    /// Two values that must agree do not (a repeated password, a code).
    case mismatch
}

/// Every problem of a form at once, so the page can mark all bad fields in one round trip.
public struct ValidationFailure: Error, Sendable, Equatable, CustomStringConvertible {
    /// The problems in the order the fields were checked; never empty when thrown.
    public let errors: [FieldError]

    /// Wraps a list of field errors.
    public init(_ errors: [FieldError]) {
        self.errors = errors
    }

    /// The codes reported for one field.
    public func codes(for field: String) -> [FieldErrorCode] {
        errors.filter { $0.field == field }.map(\.code)
    }

    /// The fields with problems, one per line, for logs and test failures.
    public var description: String { errors.map(\.description).joined(separator: "; ") }
}

/// Gathers the field errors of one form while its fields are parsed, then throws them together.
public struct FieldErrorCollector: Sendable {
    /// The errors so far, in the order they were found.
    public private(set) var errors: [FieldError] = []

    /// An empty collector.
    public init() {}

    /// Runs one field's parser; returns its value, or records its error and returns nil.
    public mutating func parse<T>(_ parser: () throws(FieldError) -> T) -> T? {
        do {
            return try parser()
        } catch {
            errors.append(error)
            return nil
        }
    }

    /// Records an error found by a rule that spans fields.
    public mutating func add(_ error: FieldError) {
        errors.append(error)
    }

    /// Records an error for `field` with `code`.
    public mutating func add(field: String, code: FieldErrorCode) {
        errors.append(FieldError(field: field, code: code))
    }

    /// Throws every recorded error as one `ValidationFailure`; does nothing when there are none.
    public func throwIfAny() throws(ValidationFailure) {
        if !errors.isEmpty { throw ValidationFailure(errors) }
    }
}
