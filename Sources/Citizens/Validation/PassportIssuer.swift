/// The name of the authority that issued a passport (кем выдан), as printed in it.
public struct PassportIssuer: Sendable, Hashable, CustomStringConvertible {
    /// The longest name accepted.
    public static let maximumLength = 200

    /// The normalised name: spaces collapsed, typographic quotes made plain.
    public let name: String

    /// Parses a name of 1–200 characters: Russian letters, digits, space and `. , - № ( ) " '`, at least one letter.
    ///
    /// `«»“”„` become `"` and `’‘ʼ` become `'`, since people paste names with typographic quotes.
    public init(parsing text: String, field: String = FieldName.passportIssuer) throws(FieldError) {
        let name = TextRules.plainQuotes(TextRules.collapsingSpaces(text))
        if name.isEmpty { throw FieldError(field: field, code: .required) }
        let punctuation: Set<Character> = [" ", ".", ",", "-", "№", "(", ")", "\"", "'"]
        if !name.allSatisfy({ TextRules.isCyrillicLetter($0) || TextRules.isASCIIDigit($0) || punctuation.contains($0) }) {
            throw FieldError(field: field, code: .invalidCharacters)
        }
        if name.count > PassportIssuer.maximumLength { throw FieldError(field: field, code: .tooLong) }
        // A name of punctuation and digits only is a typing slip, not an authority.
        if !name.contains(where: TextRules.isCyrillicLetter) { throw FieldError(field: field, code: .invalidFormat) }
        self.name = name
    }

    /// The name.
    public var description: String { name }
}
