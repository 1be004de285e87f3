/// A SNILS (страховой номер индивидуального лицевого счёта): 11 digits, the last two a check number.
public struct SNILS: Sendable, Hashable, CustomStringConvertible {
    /// The 11 digits without separators: the form stored, indexed and compared.
    public let digits: String

    /// Parses typed text: digits with spaces and hyphens anywhere (`112-233-445 95`, `11223344595`).
    public init(parsing text: String, field: String = FieldName.snils) throws(FieldError) {
        let trimmed = TextRules.trimmed(text)
        if trimmed.isEmpty { throw FieldError(field: field, code: .required) }
        var digits = ""
        for character in trimmed {
            if TextRules.isASCIIDigit(character) {
                digits.append(character)
            } else if character != "-" && !TextRules.isInlineSpace(character) {
                throw FieldError(field: field, code: .invalidCharacters)
            }
        }
        if digits.count != 11 { throw FieldError(field: field, code: .invalidFormat) }
        let firstNine = String(digits.prefix(9))
        if SNILS.isChecked(firstNine: firstNine) && SNILS.checkDigits(forFirstNine: firstNine) != digits.suffix(2) {
            throw FieldError(field: field, code: .badChecksum)
        }
        self.digits = digits
    }

    /// `XXX-XXX-XXX YY`, the display form ESIA's REST API also uses.
    public var formatted: String {
        let d = Array(digits)
        return String(d[0..<3]) + "-" + String(d[3..<6]) + "-" + String(d[6..<9]) + " " + String(d[9..<11])
    }

    /// The formatted number.
    public var description: String { formatted }

    /// The largest account number issued before check numbers were enforced (ESIA-PROTOCOL §11.1).
    public static let lastUncheckedNumber = 1_001_998

    /// Whether the check number of an account number is verified: only above 001-001-998 (ESIA-PROTOCOL §11.1).
    public static func isChecked(firstNine: String) -> Bool {
        (Int(firstNine) ?? 0) > lastUncheckedNumber
    }

    /// The two check digits for a 9-digit account number, by the rule of ESIA-PROTOCOL §11.1.
    ///
    /// S = Σ digit × weight with weights 9…1 from the left; c = S mod 101, and 100 becomes 00.
    /// That compact form equals the PFR instruction's cases (S < 100 → S; S = 100, 101 → 00; else S mod 101).
    /// For numbers at or below 001-001-998 the result is what the formula gives, though any is accepted there.
    public static func checkDigits(forFirstNine firstNine: String) -> String {
        precondition(firstNine.count == 9 && TextRules.isASCIIDigits(firstNine), "SNILS account number must be 9 digits")
        var sum = 0
        for (index, character) in firstNine.enumerated() {
            sum += (character.wholeNumberValue ?? 0) * (9 - index)
        }
        var check = sum % 101
        if check == 100 { check = 0 }
        return check < 10 ? "0\(check)" : "\(check)"
    }

    /// A random valid SNILS above 001-001-998 (so its check number matters), for tests and seed data.
    public static func random(using generator: inout some RandomNumberGenerator) -> SNILS {
        let number = Int.random(in: (lastUncheckedNumber + 1)...999_999_999, using: &generator)
        let firstNine = String(number).leftPadded(to: 9)
        // The digits are valid by construction, so the parse cannot fail.
        return try! SNILS(parsing: firstNine + checkDigits(forFirstNine: firstNine))
    }
}
