/// The series of a Russian internal passport: 4 digits, shown `XX XX`.
public struct PassportSeries: Sendable, Hashable, CustomStringConvertible {
    /// The 4 digits.
    public let digits: String

    /// Parses `4508` or `45 08` (one space between the pairs).
    public init(parsing text: String, field: String = FieldName.passportSeries) throws(FieldError) {
        let trimmed = TextRules.trimmed(text)
        if trimmed.isEmpty { throw FieldError(field: field, code: .required) }
        if !trimmed.allSatisfy({ TextRules.isASCIIDigit($0) || $0 == " " }) {
            throw FieldError(field: field, code: .invalidCharacters)
        }
        let characters = Array(trimmed)
        if characters.count == 4 && !characters.contains(" ") {
            digits = trimmed
        } else if characters.count == 5 && characters[2] == " " && !characters[0..<2].contains(" ")
                    && !characters[3..<5].contains(" ") {
            digits = String(characters[0..<2]) + String(characters[3..<5])
        } else {
            throw FieldError(field: field, code: .invalidFormat)
        }
    }

    /// `XX XX`, as printed in the passport.
    public var formatted: String { String(digits.prefix(2)) + " " + String(digits.suffix(2)) }

    /// The formatted series.
    public var description: String { formatted }
}

/// The number of a Russian internal passport: 6 digits.
public struct PassportNumber: Sendable, Hashable, CustomStringConvertible {
    /// The 6 digits.
    public let digits: String

    /// Parses exactly 6 digits, surrounding spaces ignored.
    public init(parsing text: String, field: String = FieldName.passportNumber) throws(FieldError) {
        let trimmed = TextRules.trimmed(text)
        if trimmed.isEmpty { throw FieldError(field: field, code: .required) }
        if !trimmed.allSatisfy(TextRules.isASCIIDigit) { throw FieldError(field: field, code: .invalidCharacters) }
        if trimmed.count != 6 { throw FieldError(field: field, code: .invalidFormat) }
        digits = trimmed
    }

    /// The digits.
    public var description: String { digits }
}

/// A Russian internal passport as entered on the registration form, every field checked.
public struct Passport: Sendable, Hashable {
    /// Series (4 digits).
    public let series: PassportSeries
    /// Number (6 digits).
    public let number: PassportNumber
    /// Issue date.
    public let issueDate: CalendarDate
    /// Issuing authority's name (кем выдан).
    public let issuer: PassportIssuer
    /// Issuing division's code (код подразделения).
    public let issuerCode: IssuerCode

    /// Makes a passport from values already checked.
    public init(series: PassportSeries, number: PassportNumber, issueDate: CalendarDate,
                issuer: PassportIssuer, issuerCode: IssuerCode) {
        self.series = series
        self.number = number
        self.issueDate = issueDate
        self.issuer = issuer
        self.issuerCode = issuerCode
    }

    /// Parses the passport fields of a form and checks the issue date against the holder's birth date.
    ///
    /// Throws every problem at once. Without a birth date (itself invalid) the 14th-birthday rule is skipped.
    public init(series: String, number: String, issueDate: String, issuer: String, issuerCode: String,
                birthDate: CalendarDate?, today: CalendarDate) throws(ValidationFailure) {
        var errors = FieldErrorCollector()
        let series = errors.parse { () throws(FieldError) in try PassportSeries(parsing: series) }
        let number = errors.parse { () throws(FieldError) in try PassportNumber(parsing: number) }
        let issueDate = errors.parse { () throws(FieldError) in
            let date = try CalendarDate(parsing: issueDate, field: FieldName.passportIssueDate)
            try DateRules.checkPassportIssueDate(date, birthDate: birthDate, today: today)
            return date
        }
        let issuer = errors.parse { () throws(FieldError) in try PassportIssuer(parsing: issuer) }
        let issuerCode = errors.parse { () throws(FieldError) in try IssuerCode(parsing: issuerCode) }
        try errors.throwIfAny()
        self.init(series: series!, number: number!, issueDate: issueDate!, issuer: issuer!, issuerCode: issuerCode!)
    }
}
