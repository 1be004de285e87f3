/// An e-mail address in plain ASCII; the domain lower-cased.
///
/// Internationalised addresses are not supported: a domain in Cyrillic (`почта.рф`) must be typed in its
/// punycode form (`xn--80a1acny.xn--p1ai`), and a non-ASCII local part is rejected.
public struct EmailAddress: Sendable, Hashable, CustomStringConvertible {
    /// The longest address accepted (RFC 5321 path limit less the angle brackets).
    public static let maximumLength = 254
    /// The longest local part accepted (RFC 5321).
    public static let maximumLocalLength = 64

    /// `local@domain`, the local part as typed, the domain lower-cased.
    public let value: String

    /// Parses an address: trimmed, at most 254 characters, exactly one `@`; the local part 1–64 printable ASCII
    /// characters without spaces; the domain at least two dot-separated labels of letters, digits and hyphens,
    /// each 1–63 long and not starting or ending with a hyphen.
    public init(parsing text: String, field: String = FieldName.email) throws(FieldError) {
        let trimmed = TextRules.trimmed(text)
        if trimmed.isEmpty { throw FieldError(field: field, code: .required) }
        // Printable ASCII only: 0x21 '!' to 0x7E '~'; this also keeps out spaces and control characters.
        if !trimmed.unicodeScalars.allSatisfy({ $0.value >= 0x21 && $0.value <= 0x7E }) {
            throw FieldError(field: field, code: .invalidCharacters)
        }
        if trimmed.count > EmailAddress.maximumLength { throw FieldError(field: field, code: .tooLong) }
        let parts = trimmed.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty else { throw FieldError(field: field, code: .invalidFormat) }
        let local = parts[0]
        if local.count > EmailAddress.maximumLocalLength { throw FieldError(field: field, code: .tooLong) }
        let domain = parts[1].lowercased()
        let labels = domain.split(separator: ".", omittingEmptySubsequences: false)
        guard labels.count >= 2, labels.allSatisfy(EmailAddress.isValidLabel) else {
            throw FieldError(field: field, code: .invalidFormat)
        }
        value = local + "@" + domain
    }

    /// The address.
    public var description: String { value }

    /// The part after `@`.
    public var domain: String { String(value[value.index(after: value.lastIndex(of: "@")!)...]) }

    private static func isValidLabel(_ label: Substring) -> Bool {
        guard (1...63).contains(label.count), label.first != "-", label.last != "-" else { return false }
        return label.allSatisfy { TextRules.isLatinLetter($0) || TextRules.isASCIIDigit($0) || $0 == "-" }
    }
}
