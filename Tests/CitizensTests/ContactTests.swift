@testable import Citizens
import Testing

@Test("Russian mobile numbers normalise to +7XXXXXXXXXX", arguments: [
    "+7 (912) 345-67-89", "89123456789", "79123456789", "+79123456789", "8 912 345 67 89", "+7-912-345-67-89",
    " 8(912)345.67.89 ",
])
func mobileNumbersNormalise(text: String) throws {
    let phone = try PhoneNumber(parsing: text)
    #expect(phone.value == "+79123456789")
    #expect(phone.formatted == "+7 (912) 345-67-89")
}

@Test("Phone errors", arguments: [
    ("", FieldErrorCode.required),
    ("+380501234567", .notAllowed), // Ukraine
    ("+1 212 555 0100", .notAllowed), // USA
    ("+77012345678", .notAllowed), // Kazakhstan shares +7
    ("84951234567", .notAllowed), // Moscow landline
    ("+7 (495) 123-45-67", .notAllowed),
    ("9123456789", .invalidFormat),
    ("+7912345678", .invalidFormat),
    ("+791234567890", .invalidFormat),
    ("891234567890", .invalidFormat),
    ("8912345678", .invalidFormat),
    ("69123456789", .invalidFormat),
    ("7+9123456789", .invalidFormat),
    ("++79123456789", .invalidFormat),
    ("+", .invalidFormat),
    ("+7 912 abc 67 89", .invalidCharacters),
    ("+7 912 345 67 89 доб. 1", .invalidCharacters),
])
func phoneErrors(text: String, code: FieldErrorCode) {
    #expect(fieldError { () throws(FieldError) in try PhoneNumber(parsing: text) } == FieldError(field: "phone", code: code))
}

@Test("E-mail addresses are trimmed and their domain lower-cased", arguments: [
    ("User.Name+tag@Example.COM", "User.Name+tag@example.com"),
    ("  ivan@mail.ru ", "ivan@mail.ru"),
    ("a@b.co", "a@b.co"),
    ("x@xn--80a1acny.xn--p1ai", "x@xn--80a1acny.xn--p1ai"),
    ("o'brien!#$%&*=?^_`{|}~@sub-domain.example.org", "o'brien!#$%&*=?^_`{|}~@sub-domain.example.org"),
])
func emailsAccepted(text: String, value: String) throws {
    #expect(try EmailAddress(parsing: text).value == value)
}

let labelOf64Characters = "ivan@" + String(repeating: "a", count: 64) + ".ru"
let localPartOf65Characters = String(repeating: "a", count: 65) + "@mail.ru"
let addressOf260Characters = "a@" + String(repeating: String(repeating: "b", count: 63) + ".", count: 4) + "ru"

@Test("E-mail errors", arguments: [
    ("", FieldErrorCode.required),
    ("ivan", .invalidFormat),
    ("ivan@mail", .invalidFormat),
    ("ivan.mail.ru", .invalidFormat),
    ("@mail.ru", .invalidFormat),
    ("ivan@", .invalidFormat),
    ("ivan@@mail.ru", .invalidFormat),
    ("iv@an@mail.ru", .invalidFormat),
    ("ivan@-mail.ru", .invalidFormat),
    ("ivan@mail-.ru", .invalidFormat),
    ("ivan@mail..ru", .invalidFormat),
    ("ivan@mail.ru.", .invalidFormat),
    ("ivan@mail_box.ru", .invalidFormat),
    (labelOf64Characters, .invalidFormat),
    ("iv an@mail.ru", .invalidCharacters),
    ("иван@почта.рф", .invalidCharacters),
    ("ivan@почта.рф", .invalidCharacters),
    (localPartOf65Characters, .tooLong),
    (addressOf260Characters, .tooLong),
])
func emailErrors(text: String, code: FieldErrorCode) {
    #expect(fieldError { () throws(FieldError) in try EmailAddress(parsing: text) } == FieldError(field: "email", code: code))
}

@Test("A local part of 64 characters is accepted")
func emailLocalPartAtLimit() throws {
    _ = try EmailAddress(parsing: String(repeating: "a", count: 64) + "@mail.ru")
}

@Test("Gender accepts English words, M/F and Russian м/ж in any case", arguments: [
    ("male", Gender.male), ("Male", .male), ("M", .male), ("m", .male), ("м", .male), ("М", .male),
    ("female", .female), ("F", .female), ("f", .female), ("ж", .female), (" Ж ", .female),
])
func genderAccepted(text: String, gender: Gender) throws {
    #expect(try Gender(parsing: text) == gender)
}

@Test("Gender errors", arguments: [("", FieldErrorCode.required), ("x", .invalidFormat), ("мужчина", .invalidFormat)])
func genderErrors(text: String, code: FieldErrorCode) {
    #expect(fieldError { () throws(FieldError) in try Gender(parsing: text) } == FieldError(field: "gender", code: code))
}

@Test("Gender has ESIA's M/F codes")
func genderEsiaCodes() {
    #expect(Gender.male.esiaCode == "M")
    #expect(Gender.female.esiaCode == "F")
}
