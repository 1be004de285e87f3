import HTTPServer
import Support
import Testing

private func pairs(_ text: String) throws -> [String] {
    try FormFields(urlEncoded: text).map { "\($0.name)=\($0.value)" }
}

private func request(query: String? = nil, contentType: String? = nil, body: String = "") -> HTTPRequest {
    var headers = HTTPHeaders()
    if let contentType { headers.add("Content-Type", contentType) }
    let head = HTTPRequestHead(method: .post, target: "/t", path: "/t", query: query, version: .http1_1, headers: headers)
    return HTTPRequest(head: head, body: Array(body.utf8))
}

@Test func urlEncodedEdgeCasesFollowWHATWG() throws {
    #expect(try pairs("") == [])
    #expect(try pairs("a") == ["a="])
    #expect(try pairs("a=") == ["a="])
    #expect(try pairs("=b") == ["=b"])
    #expect(try pairs("+") == [" ="])
    #expect(try pairs("%2B") == ["+="])
    #expect(try pairs("a=b=c") == ["a=b=c"])
    #expect(try pairs("&&a=1&&b=2&") == ["a=1", "b=2"])
    #expect(try pairs("x=a+b%20c%26d") == ["x=a b c&d"])
    #expect(try pairs("name=%D0%98%D0%B2%D0%B0%D0%BD") == ["name=Иван"])
    #expect(try pairs("raw=Иван") == ["raw=Иван"])
}

@Test func invalidEscapesAndUTF8AreMalformed() {
    for text in ["%zz", "a=%4", "a=%", "a=%4g", "%FF=1", "a=%C3", "a=%C3%28", "a=%ED%A0%80"] {
        #expect(throws: RequestDecodingError.malformedForm, "\(text)") { try FormFields(urlEncoded: text) }
    }
    // Invalid UTF-8 sent raw in a body, not percent-encoded.
    #expect(throws: RequestDecodingError.malformedForm) { try FormFields(urlEncoded: [0x61, 0x3D, 0xC3, 0x28]) }
}

@Test func duplicatesAreKeptAndDetected() throws {
    let form = try FormFields(urlEncoded: "scope=openid&client_id=p1&scope=email&state=s")
    #expect(form.values("scope") == ["openid", "email"])
    #expect(form.first("scope") == "openid")
    #expect(form.duplicateNames == ["scope"])
    #expect(form.names == ["scope", "client_id", "state"])
    #expect(try form.single("client_id") == "p1")
    #expect(try form.single("absent") == nil)
    #expect(throws: RequestDecodingError.duplicateField("scope")) { try form.single("scope") }
    #expect(throws: RequestDecodingError.missingField("code")) { try form.required("code") }
    #expect(try form.required("state") == "s")
}

@Test func fieldCountIsBounded() throws {
    let text = (1...1001).map { "f\($0)=v" }.joined(separator: "&")
    #expect(throws: RequestDecodingError.tooManyFields) { try FormFields(urlEncoded: text) }
    #expect(try FormFields(urlEncoded: text, maxFields: 2000).count == 1001)
    #expect(throws: RequestDecodingError.tooManyFields) { try FormFields(urlEncoded: "a&b&c", maxFields: 2) }
    #expect(RequestDecodingError.tooManyFields.status == .contentTooLarge)
}

@Test func queryFieldsComeFromTheQueryString() throws {
    #expect(try request().queryFields().isEmpty)
    #expect(try request(query: "response_type=code&state=x%2By").queryFields().first("state") == "x+y")
    #expect(throws: RequestDecodingError.malformedForm) { try request(query: "a=%zz").queryFields() }
}

@Test func formFieldsRequireTheURLEncodedMediaType() throws {
    let body = "login=user&password=p%40ss+word"
    for contentType in ["application/x-www-form-urlencoded", "Application/X-WWW-Form-URLEncoded; charset=UTF-8",
                        "application/x-www-form-urlencoded;charset=\"utf-8\""] {
        #expect(try request(contentType: contentType, body: body).formFields().first("password") == "p@ss word")
    }
    for contentType in [nil, "text/plain", "multipart/form-data; boundary=x", "application/x-www-form-urlencoded; charset=koi8-r",
                        "application/json"] {
        let error = #expect(throws: RequestDecodingError.self) {
            try request(contentType: contentType, body: body).formFields()
        }
        #expect(error?.code == .unsupportedMediaType)
        #expect(error?.status == .unsupportedMediaType)
    }
}

@Test func percentDecodingIsStrict() {
    #expect(PercentDecoding.decode("a%20b+c") == "a b+c")
    #expect(PercentDecoding.decode("a%20b+c", plusAsSpace: true) == "a b c")
    #expect(PercentDecoding.decode("%e2%82%AC") == "€")
    #expect(PercentDecoding.decode("%") == nil)
    #expect(PercentDecoding.decode("%C0%80") == nil)  // overlong NUL
}
