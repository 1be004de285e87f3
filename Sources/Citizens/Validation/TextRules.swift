import Foundation

/// Character classes and whitespace normalisation shared by the field parsers.
enum TextRules {
    /// NFC, trimmed, every run of inner spaces, tabs and no-break spaces turned into one plain space.
    ///
    /// NFC first so that "й" or "ё" typed as letter + combining mark counts as one letter.
    /// Newlines inside are kept, so the field's own character rule rejects them.
    static func collapsingSpaces(_ text: String) -> String {
        let composed = text.precomposedStringWithCanonicalMapping
        var out = ""
        var pendingSpace = false
        for character in composed {
            if isInlineSpace(character) {
                pendingSpace = true
                continue
            }
            if pendingSpace && !out.isEmpty { out.append(" ") }
            pendingSpace = false
            out.append(character)
        }
        return out.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Trimmed of spaces and newlines at both ends, nothing else changed.
    static func trimmed(_ text: String) -> String {
        text.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// A space-like character that is not a line break.
    static func isInlineSpace(_ character: Character) -> Bool {
        !character.isNewline && character.unicodeScalars.allSatisfy { $0.properties.isWhitespace }
    }

    /// `0`–`9` only: other scripts' digits are not accepted in document numbers.
    static func isASCIIDigit(_ character: Character) -> Bool {
        guard let scalar = character.unicodeScalars.first, character.unicodeScalars.count == 1 else { return false }
        return scalar.value >= 0x30 && scalar.value <= 0x39
    }

    /// A string of `0`–`9` only (and not empty).
    static func isASCIIDigits(_ text: String) -> Bool {
        !text.isEmpty && text.allSatisfy(isASCIIDigit)
    }

    /// The letters of the Russian alphabet: А–Я, а–я, Ё, ё (one precomposed scalar each).
    static func isCyrillicLetter(_ character: Character) -> Bool {
        guard let scalar = character.unicodeScalars.first, character.unicodeScalars.count == 1 else { return false }
        return (0x0410...0x044F).contains(scalar.value) || scalar.value == 0x0401 || scalar.value == 0x0451
    }

    /// `A`–`Z`, `a`–`z`.
    static func isLatinLetter(_ character: Character) -> Bool {
        guard let scalar = character.unicodeScalars.first, character.unicodeScalars.count == 1 else { return false }
        return (0x41...0x5A).contains(scalar.value) || (0x61...0x7A).contains(scalar.value)
    }

    /// Typographic quotes and apostrophes replaced by the plain ASCII ones, so `«ОВД»` and `"ОВД"` are the same text.
    static func plainQuotes(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "«", "»", "“", "”", "„": out.append("\"")
            case "’", "‘", "ʼ": out.append("'")
            default: out.append(character)
            }
        }
        return out
    }
}

extension String {
    /// Left-pads with zeros to `length` characters.
    func leftPadded(to length: Int) -> String {
        count >= length ? self : String(repeating: "0", count: length - count) + self
    }
}
