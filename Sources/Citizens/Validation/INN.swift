/// A personal INN (ИНН физического лица): 12 digits, the last two check digits.
public struct INN: Sendable, Hashable, CustomStringConvertible {
    /// The 12 digits.
    public let digits: String

    /// Parses typed text: 12 digits, surrounding spaces ignored.
    ///
    /// A 10-digit (legal entity) INN is `invalidFormat`: a citizen's INN always has 12 digits.
    public init(parsing text: String, field: String = FieldName.inn) throws(FieldError) {
        let trimmed = TextRules.trimmed(text)
        if trimmed.isEmpty { throw FieldError(field: field, code: .required) }
        if !trimmed.allSatisfy(TextRules.isASCIIDigit) { throw FieldError(field: field, code: .invalidCharacters) }
        if trimmed.count != 12 { throw FieldError(field: field, code: .invalidFormat) }
        let values = trimmed.map { $0.wholeNumberValue ?? 0 }
        if INN.checkDigit(values[0..<10], weights: INN.weights11) != values[10]
            || INN.checkDigit(values[0..<11], weights: INN.weights12) != values[11] {
            throw FieldError(field: field, code: .badChecksum)
        }
        digits = trimmed
    }

    /// The digits.
    public var description: String { digits }

    /// The two check digits for the first 10 digits of a personal INN, for tests and seed data.
    public static func checkDigits(forFirstTen firstTen: String) -> String {
        precondition(firstTen.count == 10 && TextRules.isASCIIDigits(firstTen), "INN prefix must be 10 digits")
        var values = firstTen.map { $0.wholeNumberValue ?? 0 }
        let eleventh = checkDigit(values[0..<10], weights: weights11)
        values.append(eleventh)
        let twelfth = checkDigit(values[0..<11], weights: weights12)
        return "\(eleventh)\(twelfth)"
    }

    // ESIA-PROTOCOL §11.2: weights for the 11th and the 12th digit of a 12-digit INN.
    private static let weights11 = [7, 2, 4, 10, 3, 5, 9, 4, 6, 8]
    private static let weights12 = [3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8]

    /// ESIA-PROTOCOL §11.2: (Σ digit × weight) mod 11 mod 10.
    private static func checkDigit(_ values: ArraySlice<Int>, weights: [Int]) -> Int {
        zip(values, weights).reduce(0) { $0 + $1.0 * $1.1 } % 11 % 10
    }
}
