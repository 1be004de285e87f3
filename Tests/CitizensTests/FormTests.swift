@testable import Citizens
import Testing

@Test("Person form parses names, birth date and gender")
func personFormParses() throws {
    let details = try PersonDetails(surname: "Мамин-Сибиряк", givenName: " Дмитрий ", patronymic: "",
                                    birthDate: "29.02.2008", gender: "м", today: date(2022, 2, 28))
    #expect(details.surname.value == "Мамин-Сибиряк")
    #expect(details.givenName.value == "Дмитрий")
    #expect(details.patronymic == nil)
    #expect(details.birthDate == date(2008, 2, 29))
    #expect(details.gender == .male)
    #expect(details.passwordContext.surname == "Мамин-Сибиряк")
}

@Test("Person form reports every bad field at once, in form order")
func personFormCollectsAllErrors() {
    let failure = validationFailure { () throws(ValidationFailure) in
        try PersonDetails(surname: "", givenName: "Ivan", patronymic: "-", birthDate: "2030-01-01", gender: "x",
                          today: date(2024, 6, 15))
    }
    #expect(failure == ValidationFailure([
        FieldError(field: "surname", code: .required),
        FieldError(field: "givenName", code: .invalidCharacters),
        FieldError(field: "patronymic", code: .invalidFormat),
        FieldError(field: "birthDate", code: .inFuture),
        FieldError(field: "gender", code: .invalidFormat),
    ]))
}

@Test("Collector returns values of good fields and throws nothing when all are good")
func collectorWithoutErrors() throws {
    var errors = FieldErrorCollector()
    let snils = errors.parse { () throws(FieldError) in try SNILS(parsing: "112-233-445 95") }
    #expect(snils?.digits == "11223344595")
    try errors.throwIfAny()
    errors.add(field: "password", code: .mismatch)
    #expect(throws: ValidationFailure([FieldError(field: "password", code: .mismatch)])) { try errors.throwIfAny() }
}

@Test("Error codes are stable strings equal to their names")
func errorCodesAreStable() {
    #expect(FieldErrorCode.allCases.count == 14)
    #expect(FieldErrorCode.allCases.map(\.rawValue) == FieldErrorCode.allCases.map { "\($0)" })
    #expect(FieldErrorCode.badChecksum.rawValue == "badChecksum")
    #expect(FieldError(field: "snils", code: .badChecksum).description == "snils: badChecksum")
}
