import Foundation
import Support
import Testing

@Test func base64URLRoundTripsAllLengthsWithoutPadding() {
    for length in 0..<40 {
        let bytes = (0..<length).map { UInt8(($0 * 37 + 11) & 0xff) }
        let text = Base64URL.encode(bytes)
        #expect(!text.contains("=") && !text.contains("+") && !text.contains("/"))
        #expect(Base64URL.decode(text) == bytes)
    }
}

@Test func base64URLRejectsStandardAlphabetAndPadding() {
    #expect(Base64URL.decode("ab+c") == nil)
    #expect(Base64URL.decode("ab/c") == nil)
    #expect(Base64URL.decode("YQ==") == nil)
    #expect(Base64URL.decode("a") == nil)
    #expect(Base64URL.decode("-_8") == [0xfb, 0xff])
}

@Test func hexRoundTripsAndRejectsJunk() {
    #expect(Hex.encode([0x00, 0xab, 0xff]) == "00abff")
    #expect(Hex.decode("00ABff") == [0x00, 0xab, 0xff])
    #expect(Hex.decode("abc") == nil)
    #expect(Hex.decode("zz") == nil)
}

@Test func httpDateIsIMFFixdate() {
    #expect(Timestamp.httpDate(secondsSince1970: 784_111_777) == "Sun, 06 Nov 1994 08:49:37 GMT")
}

@Test func iso8601HasMillisecondsInUTC() {
    #expect(Timestamp.iso8601(Date(timeIntervalSince1970: 1_800_000_000.25)) == "2027-01-15T08:00:00.250Z")
}

@Test func iso8601RoundsToTheNearestMillisecondAndHandlesTimesBefore1970() {
    #expect(Timestamp.iso8601(Date(timeIntervalSince1970: 1_800_000_000.001)) == "2027-01-15T08:00:00.001Z")
    #expect(Timestamp.iso8601(Date(timeIntervalSince1970: -0.5)) == "1969-12-31T23:59:59.500Z")
}

@Test func jsonTextEscapesControlCharactersAndQuotes() {
    #expect(JSONText.quoted("a\"b\\c\n\u{01}") == #""a\"b\\c\n\u0001""#)
}

@Test func loggerWritesOneJSONObjectPerLine() throws {
    let sink = MemorySink()
    let logger = Logger(minimumLevel: .info, sink: sink, clock: FixedClock(Date(timeIntervalSince1970: 0)))
    logger.debug("hidden")
    logger.info("started", ["port": "8080"])
    #expect(sink.lines.count == 1)
    let object = try JSONSerialization.jsonObject(with: Data(sink.lines[0].utf8)) as? [String: String]
    #expect(object == ["time": "1970-01-01T00:00:00.000Z", "level": "info", "msg": "started", "port": "8080"])
}

@Test func uniformStaysInRange() {
    for _ in 0..<1000 { #expect(SecureRandom.uniform(7) < 7) }
}

@Test func base64URLDecodesAnyCollectionOfBytesAlike() {
    let bytes: [UInt8] = (0..<200).map { UInt8(($0 * 37) & 0xFF) }
    let text = Base64URL.encode(bytes)
    // Contiguous ([UInt8], a native String's UTF-8) and not (a lazy view) take different paths inside.
    #expect(Base64URL.decode(bytes: Array(text.utf8)) == bytes)
    #expect(Base64URL.decode(bytes: text.utf8.lazy.map { $0 }) == bytes)
    #expect(Base64URL.decode(bytes: Array("ab+c".utf8).lazy.map { $0 }) == nil)
    #expect(Base64URL.decode(bytes: [UInt8]()) == [])
}
