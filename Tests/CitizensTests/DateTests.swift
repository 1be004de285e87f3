@testable import Citizens
import Testing

@Test("Dates parse as YYYY-MM-DD and DD.MM.YYYY", arguments: [
    ("2024-02-29", date(2024, 2, 29)),
    ("29.02.2000", date(2000, 2, 29)),
    (" 1990-12-31 ", date(1990, 12, 31)),
    ("01.01.1900", date(1900, 1, 1)),
])
func datesParse(text: String, expected: CalendarDate) throws {
    #expect(try CalendarDate(parsing: text, field: "birthDate") == expected)
}

@Test("Impossible or misshapen dates are invalidFormat", arguments: [
    "2023-02-30", "2023-02-29", "1900-02-29", "31.04.2020", "2020-13-01", "2020-00-10", "0000-01-01",
    "2020-1-01", "1.01.2020", "20-01-01", "2020/01/01", "2020-01-01T00:00", "01.01.20", "2020-01-01-01",
    "2020.01.01", "２０２０-01-01", "garbage",
])
func impossibleDatesRejected(text: String) {
    #expect(fieldError { () throws(FieldError) in try CalendarDate(parsing: text, field: "birthDate") }
        == FieldError(field: "birthDate", code: .invalidFormat))
}

@Test("Empty date is required")
func emptyDateIsRequired() {
    #expect(fieldError { () throws(FieldError) in try CalendarDate(parsing: " ", field: "passportIssueDate") }
        == FieldError(field: "passportIssueDate", code: .required))
}

@Test("Dates format back to both forms and order by day")
func datesFormatAndCompare() {
    #expect(date(1990, 3, 7).iso8601 == "1990-03-07")
    #expect(date(1990, 3, 7).russian == "07.03.1990")
    #expect(date(1990, 3, 7) < date(1990, 3, 8))
    #expect(date(1990, 12, 31) < date(1991, 1, 1))
    #expect(date(1990, 2, 1) > date(1990, 1, 31))
    #expect(CalendarDate(year: 2023, month: 2, day: 29) == nil)
}

@Test("Adding years keeps the date, 29 February becomes 28 February in a common year", arguments: [
    (date(2008, 2, 29), 14, date(2022, 2, 28)),
    (date(2008, 2, 29), 16, date(2024, 2, 29)),
    (date(2000, 1, 31), 1, date(2001, 1, 31)),
    (date(2024, 2, 29), -1, date(2023, 2, 28)),
])
func addingYears(start: CalendarDate, years: Int, expected: CalendarDate) {
    #expect(start.adding(years: years) == expected)
}

@Test("Age agrees with adding years, including 29 February birthdays")
func ageAgreesWithAddingYears() {
    var generator = SeededGenerator(seed: 3)
    for _ in 0..<2000 {
        let birth = date(Int.random(in: 1990...2012, using: &generator), Int.random(in: 1...12, using: &generator),
                         Int.random(in: 1...28, using: &generator))
        let leapBirth = date(4 * Int.random(in: 498...503, using: &generator), 2, 29)
        let today = date(Int.random(in: 2000...2030, using: &generator), Int.random(in: 1...12, using: &generator),
                         Int.random(in: 1...28, using: &generator))
        for b in [birth, leapBirth] where b <= today {
            #expect((b.age(on: today) >= 14) == (today >= b.adding(years: 14)!), "\(b) \(today)")
        }
    }
}

@Test("Birth date rules (today 2024-06-15)", arguments: [
    (date(2024, 6, 16), FieldErrorCode.inFuture),
    (date(2030, 1, 1), .inFuture),
    (date(1899, 12, 31), .tooEarly),
    (date(1900, 1, 1), nil),
    (date(1985, 7, 20), nil),
    (date(2010, 6, 15), nil), // 14 today
    (date(2010, 6, 16), .tooYoung), // 14 tomorrow
    (date(2024, 6, 15), .tooYoung),
])
func birthDateRules(birth: CalendarDate, code: FieldErrorCode?) {
    #expect(fieldError { () throws(FieldError) in try DateRules.checkBirthDate(birth, today: date(2024, 6, 15)) }?.code == code)
}

@Test("Someone born on 29 February turns 14 on 28 February of a common year", arguments: [
    (date(2022, 2, 27), FieldErrorCode.tooYoung),
    (date(2022, 2, 28), nil),
    (date(2022, 3, 1), nil),
])
func leapDayBirthdayTurns14(today: CalendarDate, code: FieldErrorCode?) {
    #expect(fieldError { () throws(FieldError) in try DateRules.checkBirthDate(date(2008, 2, 29), today: today) }?.code == code)
}

@Test("Birth date parse and check in one call names the birthDate field")
func parseBirthDateNamesField() throws {
    #expect(try DateRules.parseBirthDate("07.03.1990", today: date(2024, 6, 15)) == date(1990, 3, 7))
    #expect(fieldError { () throws(FieldError) in try DateRules.parseBirthDate("2020-01-01", today: date(2024, 6, 15)) }
        == FieldError(field: "birthDate", code: .tooYoung))
}

@Test("Passport issue date rules (born 2000-05-10, today 2024-06-15)", arguments: [
    (date(2014, 5, 10), nil), // the 14th birthday
    (date(2014, 5, 9), FieldErrorCode.tooEarly),
    (date(2000, 5, 10), .tooEarly),
    (date(2024, 6, 15), nil),
    (date(2024, 6, 16), .inFuture),
])
func passportIssueDateRules(issue: CalendarDate, code: FieldErrorCode?) {
    #expect(fieldError { () throws(FieldError) in
        try DateRules.checkPassportIssueDate(issue, birthDate: date(2000, 5, 10), today: date(2024, 6, 15))
    } == code.map { FieldError(field: "passportIssueDate", code: $0) })
}

@Test("Passport issued on 28 February to someone born on 29 February is on the 14th birthday")
func passportIssueDateLeapBirthday() {
    let today = date(2024, 6, 15)
    #expect(fieldError { () throws(FieldError) in
        try DateRules.checkPassportIssueDate(date(2014, 2, 28), birthDate: date(2000, 2, 29), today: today)
    } == nil)
    #expect(fieldError { () throws(FieldError) in
        try DateRules.checkPassportIssueDate(date(2014, 2, 27), birthDate: date(2000, 2, 29), today: today)
    }?.code == .tooEarly)
}

@Test("Passport issue date without a birth date checks only the future")
func passportIssueDateWithoutBirthDate() {
    #expect(fieldError { () throws(FieldError) in
        try DateRules.checkPassportIssueDate(date(1950, 1, 1), birthDate: nil, today: date(2024, 6, 15))
    } == nil)
}
