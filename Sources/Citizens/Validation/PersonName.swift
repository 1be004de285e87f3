/// A surname, given name or patronymic as written in the internal passport, in Russian letters.
public struct PersonName: Sendable, Hashable, CustomStringConvertible {
    /// The longest name accepted, in characters.
    public static let maximumLength = 60

    /// The normalised name, in the case it was typed.
    public let value: String

    /// Parses a name: Russian letters (with Ё/ё), hyphen, apostrophe and single inner spaces, 1–60 characters.
    ///
    /// Normalisation: NFC, trimmed, space runs collapsed, `’‘ʼ` → `'`, `‐‑` (Unicode hyphens) → `-`.
    /// The name must start and end with a letter, and two separators may not stand together
    /// (`Анна--Мария`, `Д' Артаньян`), so every hyphen, apostrophe or space sits between letters.
    /// Case is kept as typed: `Мамин-Сибиряк`, `Д'Артаньян`, `фон Визин`.
    public init(parsing text: String, field: String) throws(FieldError) {
        var name = ""
        for character in TextRules.collapsingSpaces(text) {
            switch character {
            case "’", "‘", "ʼ": name.append("'")
            case "\u{2010}", "\u{2011}": name.append("-")
            default: name.append(character)
            }
        }
        if name.isEmpty { throw FieldError(field: field, code: .required) }
        if !name.allSatisfy({ TextRules.isCyrillicLetter($0) || PersonName.separators.contains($0) }) {
            throw FieldError(field: field, code: .invalidCharacters)
        }
        if name.count > PersonName.maximumLength { throw FieldError(field: field, code: .tooLong) }
        let characters = Array(name)
        if !TextRules.isCyrillicLetter(characters[0]) || !TextRules.isCyrillicLetter(characters[characters.count - 1]) {
            throw FieldError(field: field, code: .invalidFormat)
        }
        for index in 1..<characters.count where PersonName.separators.contains(characters[index])
            && PersonName.separators.contains(characters[index - 1]) {
            throw FieldError(field: field, code: .invalidFormat)
        }
        value = name
    }

    /// Parses an optional name (the patronymic): empty or blank text gives nil.
    public static func parseOptional(_ text: String, field: String = FieldName.patronymic) throws(FieldError) -> PersonName? {
        if TextRules.collapsingSpaces(text).isEmpty { return nil }
        return try PersonName(parsing: text, field: field)
    }

    /// The number of letters, ignoring separators.
    public var letterCount: Int { value.filter(TextRules.isCyrillicLetter).count }

    /// The name.
    public var description: String { value }

    private static let separators: Set<Character> = ["-", "'", " "]
}
