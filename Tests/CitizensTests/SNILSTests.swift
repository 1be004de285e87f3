@testable import Citizens
import Testing

@Test("SNILS protocol vectors are valid", arguments: ["112-233-445 95", "987-654-321 83", "715-398-174 20"])
func snilsProtocolVectorsAreValid(text: String) throws {
    let snils = try SNILS(parsing: text)
    #expect(snils.formatted == text)
    #expect(snils.digits == text.filter(\.isNumber))
}

@Test("SNILS with one digit changed fails the checksum",
      arguments: ["112-233-445 96", "112-233-446 95", "212-233-445 95", "987-654-321 38", "715-398-174 21"])
func snilsWithAChangedDigitFailsChecksum(text: String) {
    #expect(fieldError { () throws(FieldError) in try SNILS(parsing: text) } == FieldError(field: "snils", code: .badChecksum))
}

@Test("SNILS accepts spaces and hyphens anywhere",
      arguments: ["11223344595", "112 233 445 95", "112-233-445-95", " 1-1-2 2334 4595 ", "112\u{00A0}233\u{00A0}445\u{00A0}95"])
func snilsAcceptsSeparatorsAnywhere(text: String) throws {
    #expect(try SNILS(parsing: text).digits == "11223344595")
}

@Test("SNILS format errors", arguments: [
    ("", FieldErrorCode.required),
    ("   ", .required),
    ("112-233-445 9", .invalidFormat),
    ("112-233-445 955", .invalidFormat),
    ("112.233.445 95", .invalidCharacters),
    ("112-233-445/95", .invalidCharacters),
    ("112-233-445 9a", .invalidCharacters),
    ("١١٢٢٣٣٤٤٥٩٥", .invalidCharacters),
])
func snilsFormatErrors(text: String, code: FieldErrorCode) {
    #expect(fieldError { () throws(FieldError) in try SNILS(parsing: text) }?.code == code)
}

@Test("SNILS check number: 100 and 101 become 00, larger sums are taken mod 101", arguments: [
    ("001019899", "99"), // S = 99
    ("001019989", "00"), // S = 100
    ("001019998", "00"), // S = 101
    ("001019999", "01"), // S = 102
    ("002999989", "00"), // S = 201, 201 mod 101 = 100
    ("987654321", "83"), // S = 285
])
func snilsCheckDigitsEdgeSums(firstNine: String, check: String) throws {
    #expect(SNILS.checkDigits(forFirstNine: firstNine) == check)
    #expect(try SNILS(parsing: firstNine + check).digits == firstNine + check)
}

@Test("SNILS at or below 001-001-998 is accepted with any check number",
      arguments: ["001-001-998 00", "001-001-998 77", "000-000-001 99", "001-001-997 12"])
func snilsBelowBoundaryIsNotChecked(text: String) throws {
    _ = try SNILS(parsing: text)
}

@Test("SNILS just above 001-001-998 is checked")
func snilsAboveBoundaryIsChecked() throws {
    // S for 001001999 is 7 + 4 + 27 + 18 + 9 = 65.
    #expect(SNILS.checkDigits(forFirstNine: "001001999") == "65")
    _ = try SNILS(parsing: "001-001-999 65")
    #expect(fieldError { () throws(FieldError) in try SNILS(parsing: "001-001-999 00") }?.code == .badChecksum)
    #expect(SNILS.isChecked(firstNine: "001001999"))
    #expect(!SNILS.isChecked(firstNine: "001001998"))
}

@Test("Generated SNILS are valid and every single-digit change breaks them")
func generatedSnilsAreValidAndMutationsAreNot() throws {
    var generator = SeededGenerator(seed: 11)
    for _ in 0..<200 {
        let snils = SNILS.random(using: &generator)
        #expect(SNILS.isChecked(firstNine: String(snils.digits.prefix(9))))
        #expect(try SNILS(parsing: snils.formatted) == snils)
        var digits = Array(snils.digits)
        let position = Int.random(in: 0..<11, using: &generator)
        let old = digits[position].wholeNumberValue!
        digits[position] = Character(String((old + Int.random(in: 1...9, using: &generator)) % 10))
        let mutated = String(digits)
        // A change in the account number can drop it to or below the boundary, where no check applies.
        if SNILS.isChecked(firstNine: String(mutated.prefix(9))) {
            #expect(fieldError { () throws(FieldError) in try SNILS(parsing: mutated) }?.code == .badChecksum,
                    "\(mutated) from \(snils.digits)")
        }
    }
}

@Test("SNILS error names the field it was given")
func snilsErrorNamesGivenField() {
    #expect(fieldError { () throws(FieldError) in try SNILS(parsing: "1", field: "staff.snils") }
        == FieldError(field: "staff.snils", code: .invalidFormat))
}
