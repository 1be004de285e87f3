/// A Russian mobile phone number, kept as `+7XXXXXXXXXX`.
public struct PhoneNumber: Sendable, Hashable, CustomStringConvertible {
    /// `+7` and ten digits.
    public let value: String

    /// Parses `+7 (912) 345-67-89`, `89123456789`, `79123456789`, `+79123456789`.
    ///
    /// Spaces, hyphens, dots and parentheses are dropped first. A number that is well formed but not a Russian
    /// mobile (another country's `+` code, a Russian landline, +7 6xx/7xx of Kazakhstan) is `notAllowed`:
    /// Russian mobile numbers are the ones whose ten-digit national number starts with 9.
    /// Ten digits without a trunk or country prefix are `invalidFormat`, since `9…` alone is ambiguous on a form.
    public init(parsing text: String, field: String = FieldName.phone) throws(FieldError) {
        let trimmed = TextRules.trimmed(text)
        if trimmed.isEmpty { throw FieldError(field: field, code: .required) }
        var compact = ""
        for character in trimmed {
            if TextRules.isASCIIDigit(character) || character == "+" {
                compact.append(character)
            } else if !(character == "-" || character == "(" || character == ")" || character == "."
                        || TextRules.isInlineSpace(character)) {
                throw FieldError(field: field, code: .invalidCharacters)
            }
        }
        let national: Substring
        if compact.hasPrefix("+") {
            let digits = compact.dropFirst()
            if digits.contains("+") || digits.isEmpty { throw FieldError(field: field, code: .invalidFormat) }
            if !digits.hasPrefix("7") { throw FieldError(field: field, code: .notAllowed) }
            national = digits.dropFirst()
        } else if compact.contains("+") {
            throw FieldError(field: field, code: .invalidFormat)
        } else if compact.count == 11 && (compact.hasPrefix("7") || compact.hasPrefix("8")) {
            national = compact.dropFirst()
        } else {
            throw FieldError(field: field, code: .invalidFormat)
        }
        if national.count != 10 { throw FieldError(field: field, code: .invalidFormat) }
        if !national.hasPrefix("9") { throw FieldError(field: field, code: .notAllowed) }
        value = "+7" + national
    }

    /// `+7 (912) 345-67-89`, for display.
    public var formatted: String {
        let d = Array(value.dropFirst(2))
        return "+7 (" + String(d[0..<3]) + ") " + String(d[3..<6]) + "-" + String(d[6..<8]) + "-" + String(d[8..<10])
    }

    /// The normalised number.
    public var description: String { value }
}
