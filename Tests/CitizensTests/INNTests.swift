@testable import Citizens
import Testing

@Test("INN protocol vectors are valid", arguments: ["585204118212", "376864406601", " 585204118212 "])
func innProtocolVectorsAreValid(text: String) throws {
    #expect(try INN(parsing: text).digits == text.filter(\.isNumber))
}

@Test("INN with a wrong check digit fails the checksum", arguments: ["585204118213", "585204118202", "485204118212", "376864406610"])
func innWithWrongCheckDigitFails(text: String) {
    #expect(fieldError { () throws(FieldError) in try INN(parsing: text) }?.code == .badChecksum)
}

@Test("INN format errors", arguments: [
    ("", FieldErrorCode.required),
    ("7707083893", .invalidFormat), // a legal entity's 10-digit INN
    ("5852041182123", .invalidFormat),
    ("5852 0411 8212", .invalidCharacters),
    ("58520411821x", .invalidCharacters),
])
func innFormatErrors(text: String, code: FieldErrorCode) {
    #expect(fieldError { () throws(FieldError) in try INN(parsing: text) }?.code == code)
}

@Test("INN check digits computed for random prefixes give valid INNs")
func generatedInnsAreValid() throws {
    #expect(INN.checkDigits(forFirstTen: "5852041182") == "12")
    var generator = SeededGenerator(seed: 7)
    for _ in 0..<100 {
        let prefix = String(Int.random(in: 0...9_999_999_999, using: &generator)).leftPadded(to: 10)
        _ = try INN(parsing: prefix + INN.checkDigits(forFirstTen: prefix))
    }
}
