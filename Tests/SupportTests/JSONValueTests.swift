import Support
import Testing

@Test func jsonEncodingIsCompactWithSortedNames() {
    let value: JSONValue = ["b": [1, 2.5, true, nil], "a": "x\"y\n", "é": 1, "Z": ["k": -7]]
    #expect(value.jsonText == #"{"Z":{"k":-7},"a":"x\"y\n","b":[1,2.5,true,null],"é":1}"#)
    #expect(JSONValue.number(.infinity).jsonText == "null")
    #expect(JSONValue.number(3).jsonText == "3")
    #expect(JSONValue.number(0.1).jsonText == "0.1")
}

@Test func jsonParsesWhatItEncodes() throws {
    let value: JSONValue = ["iss": "http://esia.gosuslugi.ru/", "exp": 1_800_000_000, "amr": ["PWD"], "ratio": 0.25,
                            "urn:esia:sbj": ["urn:esia:sbj:is_tru": true, "name": "Петрова"], "none": nil]
    #expect(try JSONValue.parse(value.encoded()) == value)
    #expect(try JSONValue.parse(" {\"a\" : [ 1 , -0.5e2 , \"\\u0041\\ud83d\\ude00\\/\" ] } ") == ["a": [1, -50.0, "A😀/"]])
    #expect(try JSONValue.parse("9223372036854775807") == .integer(Int64.max))
    #expect(try JSONValue.parse("9223372036854775808") == .number(9_223_372_036_854_775_808))
}

@Test func jsonParserRefusesWhatRFC8259Refuses() {
    for bad in ["", "{", "[1,]", "{\"a\":1,}", "{'a':1}", "01", "1.", ".5", "-", "+1", "1e", "NaN", "Infinity", "tru", "nul",
                "\"a", "\"\\x\"", "\"\\u12\"", "\"\u{01}\"", "\"\\ud800\"", "\"\\udc00\"", "{} {}", "[1] x", "{\"a\" 1}", "1e400"] {
        #expect(throws: JSONParseError.self, "\(bad)") { try JSONValue.parse(bad) }
    }
    // Invalid UTF-8 inside a string.
    #expect(throws: JSONParseError.self) { try JSONValue.parse([0x22, 0xC3, 0x28, 0x22]) }
}

@Test func jsonParserRefusesDuplicateNamesAndDeepNesting() throws {
    #expect(throws: JSONParseError.self) { try JSONValue.parse(#"{"alg":"ES256","alg":"none"}"#) }
    // Names that are equal after escapes are duplicates too.
    #expect(throws: JSONParseError.self) { try JSONValue.parse(#"{"alg":"ES256","\u0061lg":"none"}"#) }
    let deep = String(repeating: "[", count: 33) + String(repeating: "]", count: 33)
    #expect(throws: JSONParseError.self) { try JSONValue.parse(deep) }
    let fine = String(repeating: "[", count: 32) + String(repeating: "]", count: 32)
    _ = try JSONValue.parse(fine)
}

@Test func jsonAccessorsReadTheirOwnCaseOnly() {
    let value: JSONValue = ["s": "x", "i": 5, "d": 1.5, "b": false, "a": [1], "o": ["k": "v"]]
    #expect(value["s"]?.stringValue == "x" && value["i"]?.stringValue == nil)
    #expect(value["i"]?.integerValue == 5 && value["d"]?.integerValue == nil)
    #expect(value["i"]?.doubleValue == 5 && value["d"]?.doubleValue == 1.5)
    #expect(value["b"]?.boolValue == false)
    #expect(value["a"]?.arrayValue == [1])
    #expect(value["o"]?["k"] == "v")
    #expect(value["missing"] == nil && JSONValue.string("x")["k"] == nil)
}

@Test func base64URLRefusesNonCanonicalTrailingBits() {
    #expect(Base64URL.decode("QQ") == [0x41])
    #expect(Base64URL.decode("QR") == nil)
    #expect(Base64URL.decode("QUI") == [0x41, 0x42])
    #expect(Base64URL.decode("QUJ") == nil)
    #expect(Base64URL.decode("QUJD") == [0x41, 0x42, 0x43])
    #expect(Base64URL.decode("") == [])
    #expect(Base64URL.decode("QU JD") == nil)
    #expect(Base64URL.encodeBytes([0xfb, 0xff]) == Array("-_8".utf8))
}
