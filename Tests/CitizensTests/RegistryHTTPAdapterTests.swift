import Foundation
import Testing
@testable import Citizens

/// A JSONPoster that records what it was sent and gives a canned reply or error.
final class FakeJSONPoster: JSONPoster, @unchecked Sendable {
    private let lock = NSLock()
    private var sent: [(url: String, body: [UInt8], timeout: Double)] = []
    let reply: Result<(status: Int, body: [UInt8]), any Error>

    init(status: Int = 200, json: String) { reply = .success((status, Array(json.utf8))) }
    init(error: any Error) { reply = .failure(error) }

    var requests: [(url: String, body: [UInt8], timeout: Double)] { lock.withLock { sent } }

    func postJSON(url: String, body: [UInt8], timeout: Double) throws -> (status: Int, body: [UInt8]) {
        lock.withLock { sent.append((url, body, timeout)) }
        return try reply.get()
    }
}

/// The external verification service adapter, against a fake poster.
@Suite struct RegistryHTTPAdapterTests {
    static let url = "https://registry.example/v1/check"
    static let bothVerified = #"{"snils":{"status":"verified"},"passport":{"status":"verified"}}"#

    static func check(_ poster: FakeJSONPoster, _ query: RegistryQuery = RegistryReferenceTests.anna) throws -> RegistryAnswer {
        try HTTPRegistryAdapter(url: url, poster: poster, timeout: 3).check(query)
    }

    @Test func requestShape() throws {
        let poster = FakeJSONPoster(json: Self.bothVerified)
        _ = try Self.check(poster)
        let request = try #require(poster.requests.first)
        #expect(request.url == Self.url)
        #expect(request.timeout == 3)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(request.body)) as? [String: Any])
        #expect(Set(json.keys) == ["snils", "surname", "givenName", "patronymic", "birthDate", "passport"])
        #expect(json["snils"] as? String == "11223344595")
        #expect(json["surname"] as? String == "Петрова")
        #expect(json["givenName"] as? String == "Анна")
        #expect(json["patronymic"] as? String == "Сергеевна")
        #expect(json["birthDate"] as? String == "1990-05-17")
        let passport = try #require(json["passport"] as? [String: String])
        #expect(passport == ["series": "4508", "number": "123456", "issueDate": "2010-06-01"])
        // Sorted keys, unescaped Cyrillic: the exact bytes documented in docs/registry.md.
        #expect(String(decoding: request.body, as: UTF8.self) == """
            {"birthDate":"1990-05-17","givenName":"Анна","passport":{"issueDate":"2010-06-01","number":"123456","series":"4508"},\
            "patronymic":"Сергеевна","snils":"11223344595","surname":"Петрова"}
            """)
    }

    @Test func missingPatronymicIsSentAsNull() throws {
        let poster = FakeJSONPoster(json: Self.bothVerified)
        var query = RegistryReferenceTests.anna
        query.patronymic = nil
        _ = try Self.check(poster, query)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(poster.requests[0].body)) as? [String: Any])
        #expect(json["patronymic"] is NSNull)
    }

    @Test func verifiedAndRejectedVerdicts() throws {
        #expect(try Self.check(FakeJSONPoster(json: Self.bothVerified)) == RegistryAnswer(snils: .verified, passport: .verified))
        let mixed = #"{"snils":{"status":"verified"},"passport":{"status":"rejected","reason":"passportInvalid"},"traceId":"x1"}"#
        #expect(try Self.check(FakeJSONPoster(json: mixed))
                == RegistryAnswer(snils: .verified, passport: .rejected(reason: "passportInvalid")))
        // A reason code the service added later passes through for the pages to show generically.
        let newer = #"{"snils":{"status":"rejected","reason":"holderDeceased"},"passport":{"status":"verified","reason":"ignored"}}"#
        #expect(try Self.check(FakeJSONPoster(json: newer))
                == RegistryAnswer(snils: .rejected(reason: "holderDeceased"), passport: .verified))
    }

    @Test(arguments: [500, 502, 503, 504, 404, 400, 201])
    func nonOKStatusIsUnavailable(status: Int) {
        let error = #expect(throws: RegistryUnavailable.self) {
            try Self.check(FakeJSONPoster(status: status, json: Self.bothVerified))
        }
        #expect(error?.reason.contains("HTTP \(status)") == true)
    }

    @Test func transportFailureIsUnavailable() {
        struct TimedOut: Error {}
        #expect(throws: RegistryUnavailable.self) { try Self.check(FakeJSONPoster(error: TimedOut())) }
    }

    @Test(arguments: [
        "",
        "not json",
        "[]",
        #"{"snils":{"status":"verified"}}"#,
        #"{"snils":{"status":"verified"},"passport":{}}"#,
        #"{"snils":{"status":"VERIFIED"},"passport":{"status":"verified"}}"#,
        #"{"snils":{"status":"pending"},"passport":{"status":"verified"}}"#,
        #"{"snils":{"status":"verified"},"passport":{"status":"rejected"}}"#,
        #"{"snils":{"status":"verified"},"passport":{"status":"rejected","reason":""}}"#,
        #"{"snils":{"status":"verified"},"passport":{"status":"rejected","reason":"паспорт недействителен"}}"#,
        #"{"snils":{"status":true},"passport":{"status":"verified"}}"#,
    ])
    func malformedReplyIsUnavailable(json: String) {
        #expect(throws: RegistryUnavailable.self) { try Self.check(FakeJSONPoster(json: json)) }
    }

    @Test func unavailableReasonNeverQuotesTheReply() {
        let error = #expect(throws: RegistryUnavailable.self) {
            try Self.check(FakeJSONPoster(json: #"{"snils":{"status":"11223344595"},"passport":{"status":"verified"}}"#))
        }
        #expect(error?.reason.contains("11223344595") == false)
    }
}
