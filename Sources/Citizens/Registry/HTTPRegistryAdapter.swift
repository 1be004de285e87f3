import Foundation

/// Sends a JSON body by HTTP POST and returns the reply; the server layer implements it with its HTTP client.
///
/// Throws on any transport failure (connection refused, TLS, timeout).
public protocol JSONPoster: Sendable {
    /// POSTs `body` with `Content-Type: application/json` to `url`, giving up after `timeout` seconds.
    func postJSON(url: String, body: [UInt8], timeout: Double) throws -> (status: Int, body: [UInt8])
}

/// A registry adapter that asks an external verification service over HTTP (see docs/registry.md).
///
/// Only a 200 reply with both verdicts well formed is an answer; anything else (transport failure, timeout,
/// another status, malformed or unknown JSON) throws `RegistryUnavailable`, so the check is retried, never guessed.
public struct HTTPRegistryAdapter: RegistryAdapter {
    private let url: String
    private let poster: any JSONPoster
    private let timeout: Double

    /// Posts to `url` through `poster`, waiting at most `timeout` seconds for each reply.
    public init(url: String, poster: any JSONPoster, timeout: Double = 10) {
        self.url = url
        self.poster = poster
        self.timeout = timeout
    }

    /// POSTs the query as JSON and parses the service's verdicts.
    public func check(_ query: RegistryQuery) throws -> RegistryAnswer {
        let body = try Self.requestBody(query)
        let reply: (status: Int, body: [UInt8])
        do {
            reply = try poster.postJSON(url: url, body: body, timeout: timeout)
        } catch {
            throw RegistryUnavailable(reason: "verification service request failed: \(error)")
        }
        guard reply.status == 200 else {
            throw RegistryUnavailable(reason: "verification service answered HTTP \(reply.status)")
        }
        return try Self.answer(fromReply: reply.body)
    }

    // MARK: - Wire format

    /// The request: flat person fields plus a nested passport; `patronymic` is null when there is none.
    struct Request: Encodable {
        struct Passport: Encodable {
            var series: String
            var number: String
            var issueDate: String
        }
        var snils: String
        var surname: String
        var givenName: String
        var patronymic: String?
        var birthDate: String
        var passport: Passport

        enum CodingKeys: String, CodingKey { case snils, surname, givenName, patronymic, birthDate, passport }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(snils, forKey: .snils)
            try container.encode(surname, forKey: .surname)
            try container.encode(givenName, forKey: .givenName)
            // Written out as null rather than left out, so "no patronymic" is explicit on the wire.
            try container.encode(patronymic, forKey: .patronymic)
            try container.encode(birthDate, forKey: .birthDate)
            try container.encode(passport, forKey: .passport)
        }
    }

    /// The reply: one verdict per document; other fields are ignored.
    struct Reply: Decodable {
        struct Verdict: Decodable {
            var status: String
            var reason: String?
        }
        var snils: Verdict
        var passport: Verdict
    }

    static func requestBody(_ query: RegistryQuery) throws -> [UInt8] {
        let request = Request(snils: query.snils, surname: query.surname, givenName: query.givenName,
                              patronymic: query.patronymic, birthDate: query.birthDate,
                              passport: .init(series: query.passportSeries, number: query.passportNumber,
                                              issueDate: query.passportIssueDate))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return Array(try encoder.encode(request))
    }

    static func answer(fromReply body: [UInt8]) throws -> RegistryAnswer {
        let reply: Reply
        do {
            reply = try JSONDecoder().decode(Reply.self, from: Data(body))
        } catch {
            // The decoder's message may quote the reply, which may quote personal data: keep only the kind.
            throw RegistryUnavailable(reason: "verification service reply is not the expected JSON")
        }
        return RegistryAnswer(snils: try check(reply.snils, "snils"), passport: try check(reply.passport, "passport"))
    }

    private static func check(_ verdict: Reply.Verdict, _ document: String) throws -> DocumentCheck {
        switch verdict.status {
        case "verified":
            return .verified
        case "rejected":
            guard let reason = verdict.reason, isReasonCode(reason) else {
                throw RegistryUnavailable(reason: "verification service rejected the \(document) without a valid reason code")
            }
            return .rejected(reason: reason)
        default:
            throw RegistryUnavailable(reason: "verification service gave the \(document) an unknown status")
        }
    }

    /// A machine code: 1–64 ASCII letters and digits. Codes beyond `RegistryRejection.all` pass through.
    private static func isReasonCode(_ text: String) -> Bool {
        (1...64).contains(text.utf8.count) && text.unicodeScalars.allSatisfy {
            ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0)
        }
    }
}
