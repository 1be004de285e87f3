import HTTPServer
import Testing

private struct Consent: Decodable, Equatable {
    var clientID: String
    var scopes: [String]
    var remember: Bool?
}

private struct Validated: Decodable {
    struct TooShort: Error {}
    init(from decoder: any Decoder) throws { throw TooShort() }
}

private func request(_ body: String, contentType: String? = "application/json") -> HTTPRequest {
    var headers = HTTPHeaders()
    if let contentType { headers.add("Content-Type", contentType) }
    let head = HTTPRequestHead(method: .post, target: "/j", path: "/j", query: nil, version: .http1_1, headers: headers)
    return HTTPRequest(head: head, body: Array(body.utf8))
}

private func decodingError(_ body: String, contentType: String? = "application/json") -> RequestDecodingError? {
    do {
        _ = try request(body, contentType: contentType).decodeJSON(Consent.self)
        return nil
    } catch {
        return error as? RequestDecodingError
    }
}

@Test func jsonDecodesWithJSONMediaTypes() throws {
    let body = #"{"clientID":"p1","scopes":["openid","email"]}"#
    let expected = Consent(clientID: "p1", scopes: ["openid", "email"], remember: nil)
    for contentType in ["application/json", "Application/JSON; charset=utf-8", "application/merge-patch+json"] {
        #expect(try request(body, contentType: contentType).decodeJSON(Consent.self) == expected)
    }
}

@Test func otherMediaTypesAre415() {
    let body = #"{"clientID":"p1","scopes":[]}"#
    for contentType in [nil, "text/plain", "application/x-www-form-urlencoded", "application/jsonx", "text/json",
                        "application/json; charset=latin1"] {
        let error = decodingError(body, contentType: contentType)
        #expect(error == .unsupportedMediaType, "\(String(describing: contentType))")
        #expect(error?.status == .unsupportedMediaType)
    }
}

@Test func malformedJSONIsA400WithAShortDetail() {
    let secret = String(repeating: "s", count: 10_000)
    let cases: [(String, String)] = [
        ("", "empty body"),
        ("{\"clientID\": \"\(secret)", "not valid JSON"),
        ("[1, 2]", "wrong type at the top level"),
        (#"{"scopes":[]}"#, "missing clientID"),
        (#"{"clientID":"p","scopes":[1]}"#, "wrong type at scopes.[0]"),
        (#"{"clientID":null,"scopes":[]}"#, "missing value at clientID"),
    ]
    for (body, detail) in cases {
        let error = decodingError(body)
        #expect(error == .malformedJSON(), "\(body.prefix(40))")
        #expect(error?.status == .badRequest)
        #expect(error?.detail == detail)
        #expect((error?.detail.count ?? 0) < 200)
    }
}

@Test func errorsFromTheTypeItselfPassThrough() {
    #expect(throws: Validated.TooShort.self) { try request("{}").decodeJSON(Validated.self) }
}
