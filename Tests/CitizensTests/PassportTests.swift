@testable import Citizens
import Testing

@Test("Passport series is 4 digits, optionally split by one space",
      arguments: [("4508", "4508"), ("45 08", "4508"), (" 4508 ", "4508"), ("0000", "0000")])
func passportSeriesAccepted(text: String, digits: String) throws {
    let series = try PassportSeries(parsing: text)
    #expect(series.digits == digits)
    #expect(series.formatted == String(digits.prefix(2)) + " " + String(digits.suffix(2)))
}

@Test("Passport series errors", arguments: [
    ("", FieldErrorCode.required),
    ("450", .invalidFormat),
    ("45080", .invalidFormat),
    ("45  08", .invalidFormat),
    ("4 508", .invalidFormat),
    ("4 5 08", .invalidFormat),
    ("45-08", .invalidCharacters),
    ("45а8", .invalidCharacters),
])
func passportSeriesErrors(text: String, code: FieldErrorCode) {
    #expect(fieldError { () throws(FieldError) in try PassportSeries(parsing: text) }
        == FieldError(field: "passportSeries", code: code))
}

@Test("Passport number is exactly 6 digits", arguments: [
    ("123456", nil),
    (" 000001 ", nil),
    ("", FieldErrorCode.required),
    ("12345", .invalidFormat),
    ("1234567", .invalidFormat),
    ("123 456", .invalidCharacters),
    ("12345б", .invalidCharacters),
])
func passportNumberRule(text: String, code: FieldErrorCode?) {
    #expect(fieldError { () throws(FieldError) in try PassportNumber(parsing: text) }?.code == code)
}

@Test("Issuer code is NNN-NNN, accepted also as 6 digits", arguments: ["770-001", "770001", " 770-001 "])
func issuerCodeAccepted(text: String) throws {
    let code = try IssuerCode(parsing: text)
    #expect(code.digits == "770001")
    #expect(code.formatted == "770-001")
}

@Test("Issuer code errors", arguments: [
    ("", FieldErrorCode.required),
    ("77-0001", .invalidFormat),
    ("770-0011", .invalidFormat),
    ("77000", .invalidFormat),
    ("770--01", .invalidFormat),
    ("-770001", .invalidFormat),
    ("770 001", .invalidCharacters),
    ("770_001", .invalidCharacters),
])
func issuerCodeErrors(text: String, code: FieldErrorCode) {
    #expect(fieldError { () throws(FieldError) in try IssuerCode(parsing: text) }
        == FieldError(field: "passportIssuerCode", code: code))
}

@Test("Issuer name: Russian letters, digits and . , - № ( ) \" ' are accepted", arguments: [
    ("ОУФМС России по гор. Москве", "ОУФМС России по гор. Москве"),
    ("Отделом УФМС России по Санкт-Петербургу и Ленинградской обл. в Приморском р-не",
     "Отделом УФМС России по Санкт-Петербургу и Ленинградской обл. в Приморском р-не"),
    ("  ОВД   «Хамовники»  г. Москвы ", "ОВД \"Хамовники\" г. Москвы"),
    ("ТП № 5 (г. Королёв)", "ТП № 5 (г. Королёв)"),
    ("Д’Артаньянский ОВД", "Д'Артаньянский ОВД"),
])
func passportIssuerAccepted(text: String, name: String) throws {
    #expect(try PassportIssuer(parsing: text).name == name)
}

@Test("Issuer name errors", arguments: [
    ("", FieldErrorCode.required),
    ("UFMS Moscow", .invalidCharacters),
    ("ОВД; Москва", .invalidCharacters),
    ("ОВД\nМосква", .invalidCharacters),
    (String(repeating: "А", count: 201), .tooLong),
    ("123", .invalidFormat),
    ("...", .invalidFormat),
])
func passportIssuerErrors(text: String, code: FieldErrorCode) {
    #expect(fieldError { () throws(FieldError) in try PassportIssuer(parsing: text) }
        == FieldError(field: "passportIssuer", code: code))
}

@Test("Issuer name of exactly 200 characters is accepted")
func passportIssuerAtLengthLimit() throws {
    _ = try PassportIssuer(parsing: String(repeating: "Б", count: 200))
}

@Test("Passport form: a good passport parses")
func passportFormAccepted() throws {
    let passport = try Passport(series: "45 08", number: "123456", issueDate: "15.05.2014",
                                issuer: "ОВД района Хамовники г. Москвы", issuerCode: "772001",
                                birthDate: date(2000, 5, 10), today: date(2024, 6, 15))
    #expect(passport.series.digits == "4508")
    #expect(passport.issueDate == date(2014, 5, 15))
    #expect(passport.issuerCode.formatted == "772-001")
}

@Test("Passport form reports every bad field at once")
func passportFormCollectsAllErrors() {
    let failure = validationFailure { () throws(ValidationFailure) in
        try Passport(series: "45", number: "", issueDate: "01.01.2010", issuer: "OVD", issuerCode: "772-001",
                     birthDate: date(2000, 5, 10), today: date(2024, 6, 15))
    }
    #expect(failure?.errors == [
        FieldError(field: "passportSeries", code: .invalidFormat),
        FieldError(field: "passportNumber", code: .required),
        FieldError(field: "passportIssueDate", code: .tooEarly),
        FieldError(field: "passportIssuer", code: .invalidCharacters),
    ])
}
