@testable import Citizens
import Testing

/// Иванов Пётр Ли, SNILS 112-233-445 95, born 1990-03-07; the 2-letter «Ли» is below the 3-letter minimum.
let person = PasswordContext(surname: "Иванов", givenName: "Пётр", patronymic: "Ли",
                             snilsDigits: "11223344595", birthDate: date(1990, 3, 7))

@Test("Password length: at least 10 characters, at most 128", arguments: [
    ("", [FieldErrorCode.required]),
    ("Zq8#mwLp2", [.tooShort]),
    ("Zq8#mwLp2x", []),
    (String(repeating: "Zq8#", count: 32), []),
    (String(repeating: "Zq8#", count: 32) + "x", [.tooLong]),
])
func passwordLength(password: String, codes: [FieldErrorCode]) {
    #expect(PasswordPolicy.check(password, context: person) == codes)
}

@Test("Password may not contain a name, ignoring case, spaces and hyphens", arguments: [
    "мойИВАНОВ2024!", "ива-нов пароль 99", "ПЕТР-пароль-11", "пётр-секрет-77", "Ivanov_Secure42", "SuperPetr!2024",
    "my-i v a n o v-pass",
])
func passwordWithNameRejected(password: String) {
    #expect(PasswordPolicy.check(password, context: person) == [.containsPersonalData])
}

@Test("Names shorter than 3 letters are not looked for")
func shortNamesIgnored() {
    #expect(PasswordPolicy.check("Лиственница-42", context: person) == [])
}

@Test("Password may not contain any 9-digit run of the SNILS", arguments: [
    "x112233445yz", "x122334459yz", "x223344595yz", "x 223-344-595 yz",
])
func passwordWithSnilsRejected(password: String) {
    #expect(PasswordPolicy.check(password, context: person) == [.containsPersonalData])
}

@Test("Eight SNILS digits in a row are allowed")
func passwordWithShortSnilsRunAllowed() {
    #expect(PasswordPolicy.check("x11223344yz!", context: person) == [])
}

@Test("Password may not contain the birth date in its usual forms", arguments: [
    "pass19900307word", "pass07031990word", "07.03.1990-pass", "1990-03-07 pass",
])
func passwordWithBirthDateRejected(password: String) {
    #expect(PasswordPolicy.check(password, context: person) == [.containsPersonalData])
}

@Test("Part of the birth date is allowed")
func passwordWithPartOfBirthDateAllowed() {
    #expect(PasswordPolicy.check("pass0703word!", context: person) == [])
}

@Test("Common passwords are refused case-insensitively, also typed on the Russian layout", arguments: [
    "qwertyuiop", "QwErTyUiOp", "1234567890", "password123", "1q2w3e4r5t", "йцукенгшщз",
])
func commonPasswordsRejected(password: String) {
    #expect(PasswordPolicy.check(password, context: PasswordContext()) == [.commonPassword])
}

@Test("The common list holds the zxcvbn entries of 10 or more characters, lower-cased")
func commonListShape() {
    #expect(CommonPasswords.count == 1090)
    #expect(CommonPasswords.all.allSatisfy { $0.count >= 10 && $0 == $0.lowercased() })
    #expect(!CommonPasswords.contains("Zq8#mwLp2x"))
}

@Test("A password breaking several rules reports each of them")
func passwordReportsEveryRule() {
    #expect(PasswordPolicy.check("Ivanov", context: person) == [.tooShort, .containsPersonalData])
}

@Test("Password form: a different repetition is a mismatch on passwordRepeat")
func passwordRepeatMismatch() {
    let failure = validationFailure { () throws(ValidationFailure) in
        try PasswordPolicy.validate("qwertyuiop", repeated: "qwertyuiop1", context: person)
    }
    #expect(failure?.errors == [FieldError(field: "password", code: .commonPassword),
                                FieldError(field: "passwordRepeat", code: .mismatch)])
    #expect(validationFailure { () throws(ValidationFailure) in
        try PasswordPolicy.validate("Zq8#mwLp2x", repeated: "Zq8#mwLp2x", context: person)
    } == nil)
}

@Test("With nothing known about the person only length and the common list apply")
func emptyContext() {
    #expect(PasswordPolicy.check("Ivanov-1990-03-07", context: PasswordContext()) == [])
}
