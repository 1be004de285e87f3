/// The code of the passport-issuing division (код подразделения), `NNN-NNN`.
public struct IssuerCode: Sendable, Hashable, CustomStringConvertible {
    /// The 6 digits, as ESIA returns them in `issueId`.
    public let digits: String

    /// Parses `770-001` or `770001`; surrounding spaces ignored.
    public init(parsing text: String, field: String = FieldName.passportIssuerCode) throws(FieldError) {
        let trimmed = TextRules.trimmed(text)
        if trimmed.isEmpty { throw FieldError(field: field, code: .required) }
        if !trimmed.allSatisfy({ TextRules.isASCIIDigit($0) || $0 == "-" }) {
            throw FieldError(field: field, code: .invalidCharacters)
        }
        let characters = Array(trimmed)
        if characters.count == 6 && !characters.contains("-") {
            digits = trimmed
        } else if characters.count == 7 && characters[3] == "-" && characters.filter({ $0 == "-" }).count == 1 {
            digits = String(characters[0..<3]) + String(characters[4..<7])
        } else {
            throw FieldError(field: field, code: .invalidFormat)
        }
    }

    /// `NNN-NNN`, as printed in the passport.
    public var formatted: String { String(digits.prefix(3)) + "-" + String(digits.suffix(3)) }

    /// The formatted code.
    public var description: String { formatted }
}
