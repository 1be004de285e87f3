/// The rules for birth and passport issue dates. Today's date is a parameter: these rules never read the clock.
public enum DateRules {
    /// The earliest birth date accepted.
    public static let earliestBirthDate = CalendarDate(year: 1900, month: 1, day: 1)!

    /// The age at which a Russian citizen gets an internal passport, and the least age for an account.
    public static let minimumAge = 14

    /// A birth date must not be in the future (`inFuture`), before 1900-01-01 (`tooEarly`),
    /// or less than 14 years ago (`tooYoung`).
    public static func checkBirthDate(_ birthDate: CalendarDate, today: CalendarDate,
                                      field: String = FieldName.birthDate) throws(FieldError) {
        if birthDate > today { throw FieldError(field: field, code: .inFuture) }
        if birthDate < earliestBirthDate { throw FieldError(field: field, code: .tooEarly) }
        if birthDate.age(on: today) < minimumAge { throw FieldError(field: field, code: .tooYoung) }
    }

    /// Parses a birth date and checks it with `checkBirthDate`.
    public static func parseBirthDate(_ text: String, today: CalendarDate,
                                      field: String = FieldName.birthDate) throws(FieldError) -> CalendarDate {
        let date = try CalendarDate(parsing: text, field: field)
        try checkBirthDate(date, today: today, field: field)
        return date
    }

    /// A passport issue date must not be in the future (`inFuture`) nor before the holder's 14th birthday
    /// (`tooEarly`), since the internal passport is first issued at 14. Without a birth date only the first rule applies.
    public static func checkPassportIssueDate(_ issueDate: CalendarDate, birthDate: CalendarDate?, today: CalendarDate,
                                              field: String = FieldName.passportIssueDate) throws(FieldError) {
        if issueDate > today { throw FieldError(field: field, code: .inFuture) }
        if let birthDate, birthDate.age(on: issueDate) < minimumAge {
            throw FieldError(field: field, code: .tooEarly)
        }
    }
}
