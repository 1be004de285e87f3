@testable import Citizens
import Testing

@Test("Names as written in the passport are accepted and normalised", arguments: [
    ("Иванов", "Иванов"),
    ("  Иванов  ", "Иванов"),
    ("Мамин-Сибиряк", "Мамин-Сибиряк"),
    ("Д'Артаньян", "Д'Артаньян"),
    ("Д’Артаньян", "Д'Артаньян"),
    ("Анна   Мария", "Анна Мария"),
    ("Анна\tМария", "Анна Мария"),
    ("Ёлкин", "Ёлкин"),
    ("ёлкин", "ёлкин"),
    ("ИВАНОВ", "ИВАНОВ"),
    ("Я", "Я"),
    ("Сергеи\u{0306}", "Сергей"), // й typed as и + combining breve
    ("Мамин\u{2011}Сибиряк", "Мамин-Сибиряк"),
])
func namesAccepted(text: String, value: String) throws {
    #expect(try PersonName(parsing: text, field: "surname").value == value)
}

@Test("Name errors", arguments: [
    ("", FieldErrorCode.required),
    ("   ", .required),
    ("Ivanov", .invalidCharacters),
    ("Иваnов", .invalidCharacters),
    ("Иванов1", .invalidCharacters),
    ("Иванов.", .invalidCharacters),
    ("Иван\nов", .invalidCharacters),
    ("Ukraïnka", .invalidCharacters),
    ("-Иванов", .invalidFormat),
    ("Иванов-", .invalidFormat),
    ("'Иван", .invalidFormat),
    ("Анна--Мария", .invalidFormat),
    ("Анна - Мария", .invalidFormat),
    ("Д' Артаньян", .invalidFormat),
    (String(repeating: "а", count: 61), .tooLong),
])
func nameErrors(text: String, code: FieldErrorCode) {
    #expect(fieldError { () throws(FieldError) in try PersonName(parsing: text, field: "givenName") }
        == FieldError(field: "givenName", code: code))
}

@Test("A name of exactly 60 characters is accepted")
func nameAtLengthLimit() throws {
    _ = try PersonName(parsing: String(repeating: "б", count: 60), field: "surname")
}

@Test("An empty patronymic is no patronymic", arguments: ["", "   "])
func emptyPatronymicIsNil(text: String) throws {
    #expect(try PersonName.parseOptional(text) == nil)
}

@Test("A given patronymic is checked like any name")
func givenPatronymicIsChecked() throws {
    #expect(try PersonName.parseOptional(" Петрович ")?.value == "Петрович")
    #expect(fieldError { () throws(FieldError) in try PersonName.parseOptional("Petrovich") }
        == FieldError(field: "patronymic", code: .invalidCharacters))
}
