import Foundation
import Testing
import TestSupport

/// The citizens' JSON API under /api/v1 over real HTTP: registration, contact codes from the outbox file,
/// documents, account, login and logout, problem documents.
@Suite struct CitizenAPITests {
    static let password = "Krasnaya-Ploshchad-42"
    /// Full numbers that must never appear in any response.
    static let secrets = ["11223344595", "112-233-445 95", "112-233-44595", "4508731904", "4508 731904", "731904"]

    /// One keep-alive connection that remembers every response body it read.
    final class API {
        let app: TestApplication
        let client: RawClient
        private(set) var seen: [String] = []

        init(_ app: TestApplication) throws {
            self.app = app
            client = try RawClient(port: app.port)
        }

        @discardableResult
        func call(_ method: String, _ path: String, json: String? = nil, contentType: String = "application/json",
                  token: String? = nil) throws -> RawResponse {
            var head = "\(method) \(path) HTTP/1.1\r\nHost: localhost\r\nUser-Agent: api-tests\r\n"
            if let token { head += "Authorization: Bearer \(token)\r\n" }
            let body = Array((json ?? "").utf8)
            if json != nil { head += "Content-Type: \(contentType)\r\nContent-Length: \(body.count)\r\n" }
            try client.send(Array((head + "\r\n").utf8) + body)
            let response = try client.readResponse()
            seen.append(response.headers.map { "\($0.name): \($0.value)" }.joined(separator: "\n") + "\n" + response.text)
            return response
        }

        /// The code in the `number`th message to `recipient` (1 = the first), read from the outbox file; waits up to
        /// 5 s for the delivery worker.
        func code(for recipient: String, message number: Int = 1) throws -> String {
            let file = app.folder.appendingPathComponent("outbox.log").path
            let deadline = Date().addingTimeInterval(5)
            while Date() < deadline {
                let text = (try? String(contentsOfFile: file, encoding: .utf8)) ?? ""
                let blocks = text.components(separatedBy: "--- ").filter { $0.contains("To: \(recipient)\n") }
                if blocks.count >= number, let range = blocks[number - 1].range(of: #"\b[0-9]{6}\b"#, options: .regularExpression) {
                    return String(blocks[number - 1][range])
                }
                Thread.sleep(forTimeInterval: 0.05)
            }
            throw NoCode(description: "no message \(number) to \(recipient) in the outbox file within 5 s")
        }
    }

    struct NoCode: Error, CustomStringConvertible {
        var description: String
    }

    static func object(_ response: RawResponse) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any], "not a JSON object: \(response.text)")
    }

    static func registration(surname: String = "Петрова", givenName: String = "Анна", patronymic: String = "Сергеевна",
                             birthDate: String = "1990-05-17", gender: String = "female", phone: String) -> String {
        """
        {"surname":"\(surname)","givenName":"\(givenName)","patronymic":"\(patronymic)","birthDate":"\(birthDate)",
         "gender":"\(gender)","phone":"\(phone)","password":"\(password)","consent":true}
        """
    }

    static let documents = """
        {"snils":"112-233-445 95",
         "passport":{"series":"4508","number":"731904","issueDate":"2010-06-01",
                     "issuer":"ОВД района Хамовники города Москвы","issuerCode":"772-001"},
         "address":{"postalCode":"119021","region":"Москва","city":"Москва","street":"улица Льва Толстого","house":"16"}}
        """

    /// Registers, confirms the phone with the code from the outbox file; returns the public id and the session token.
    static func confirmedAccount(_ api: API, _ json: String, phone: String) throws -> (id: String, token: String) {
        let registered = try api.call("POST", "/api/v1/citizens", json: json)
        #expect(registered.status == 201, "\(registered.text)")
        let body = try object(registered)
        let token = try #require((body["session"] as? [String: Any])?["token"] as? String)
        let id = try #require(body["id"] as? String)
        let code = try api.code(for: phone)
        let confirmed = try api.call("POST", "/api/v1/account/contacts/confirm", json: "{\"kind\":\"phone\",\"code\":\"\(code)\"}", token: token)
        #expect(confirmed.status == 204, "\(confirmed.text)")
        return (id, token)
    }

    @Test func registerConfirmDocumentsAccountLoginLogout() throws {
        let app = try TestApplication()
        defer { app.stop() }
        let api = try API(app)

        // Register.
        let registered = try api.call("POST", "/api/v1/citizens", json: Self.registration(phone: "+7 916 123-45-67"))
        #expect(registered.status == 201, "\(registered.text)")
        #expect(registered.header("Cache-Control") == "no-store")
        #expect(registered.header("Content-Type")?.hasPrefix("application/json") == true)
        let body = try Self.object(registered)
        let annaID = try #require(body["id"] as? String)
        let session = try #require(body["session"] as? [String: Any])
        let token = try #require(session["token"] as? String)
        #expect(session["expiresAt"] is String)
        let contacts = try #require(body["contactsToConfirm"] as? [[String: Any]])
        #expect(contacts.count == 1 && contacts[0]["kind"] as? String == "phone" && contacts[0]["value"] as? String == "+79161234567")

        // Bad JSON, wrong content type, field errors.
        let badJSON = try api.call("POST", "/api/v1/citizens", json: "{\"surname\":")
        #expect(badJSON.status == 400)
        #expect(badJSON.header("Content-Type") == "application/problem+json")
        #expect(try Self.object(badJSON)["status"] as? Int == 400)
        let wrongType = try api.call("POST", "/api/v1/citizens", json: "surname=x", contentType: "application/x-www-form-urlencoded")
        #expect(wrongType.status == 415)
        #expect(wrongType.header("Content-Type") == "application/problem+json")
        let invalid = try api.call("POST", "/api/v1/citizens",
                                   json: "{\"surname\":\"Petrova1\",\"birthDate\":\"2099-01-01\",\"phone\":\"123\",\"password\":\"short\"}")
        #expect(invalid.status == 422)
        #expect(invalid.header("Content-Type") == "application/problem+json")
        let problem = try Self.object(invalid)
        #expect(problem["status"] as? Int == 422 && problem["title"] is String && problem["type"] as? String == "about:blank")
        let errors = try #require(problem["errors"] as? [[String: String]])
        let pairs = Set(errors.map { "\($0["field"] ?? "?"):\($0["code"] ?? "?")" })
        for expected in ["surname:invalidCharacters", "givenName:required", "birthDate:inFuture", "gender:required",
                         "phone:invalidFormat", "password:tooShort", "consent:required"] {
            #expect(pairs.contains(expected), "missing \(expected) in \(pairs)")
        }

        // Confirm the phone with the code from the outbox file; the account gets its level.
        let unauthenticated = try api.call("POST", "/api/v1/account/contacts/confirm", json: "{\"kind\":\"phone\",\"code\":\"000000\"}")
        #expect(unauthenticated.status == 401 && unauthenticated.header("WWW-Authenticate") == "Bearer")
        let code = try api.code(for: "+79161234567")
        let confirmed = try api.call("POST", "/api/v1/account/contacts/confirm", json: "{\"kind\":\"phone\",\"code\":\"\(code)\"}", token: token)
        #expect(confirmed.status == 204, "\(confirmed.text)")

        // Documents: field errors name the JSON paths; good documents are accepted and shown masked.
        let badDocuments = try api.call("PUT", "/api/v1/account/documents",
                                        json: "{\"snils\":\"112-233-445 96\",\"passport\":{\"series\":\"45\"},\"address\":{}}", token: token)
        #expect(badDocuments.status == 422)
        let documentErrors = Set(try #require(try Self.object(badDocuments)["errors"] as? [[String: String]]).map { $0["field"] ?? "" })
        for field in ["snils", "passport.series", "passport.number", "passport.issueDate", "passport.issuer", "passport.issuerCode",
                      "address.postalCode", "address.region", "address.city", "address.street", "address.house"] {
            #expect(documentErrors.contains(field), "missing \(field) in \(documentErrors)")
        }
        let submitted = try api.call("PUT", "/api/v1/account/documents", json: Self.documents, token: token)
        #expect(submitted.status == 202, "\(submitted.text)")
        let submittedDocs = try #require(try Self.object(submitted)["documents"] as? [String: Any])
        #expect(submittedDocs["snils"] as? String == "***-***-445 95")
        #expect(submittedDocs["passport"] as? String == "** ** ****04")

        let account = try api.call("GET", "/api/v1/account", token: token)
        #expect(account.status == 200)
        #expect(account.header("Cache-Control") == "no-store")
        let profile = try Self.object(account)
        #expect(profile["id"] as? String == annaID && profile["surname"] as? String == "Петрова")
        #expect(profile["level"] as? String == "simplified")
        let docs = try #require(profile["documents"] as? [String: Any])
        #expect(docs["snils"] as? String == "***-***-445 95" && docs["passport"] as? String == "** ** ****04")
        #expect(docs["inn"] as? Bool == false)

        // A second account with the same SNILS: 409 that says nothing about Anna's account.
        let ivan = try Self.confirmedAccount(api, Self.registration(surname: "Иванов", givenName: "Иван", patronymic: "Иванович",
                                                                     birthDate: "1985-03-14", gender: "male", phone: "+79035550101"),
                                             phone: "+79035550101")
        let duplicate = try api.call("PUT", "/api/v1/account/documents", json: Self.documents, token: ivan.token)
        #expect(duplicate.status == 409)
        #expect(duplicate.header("Content-Type") == "application/problem+json")
        for secret in [annaID, "Петрова", "Анна", "Сергеевна", "+79161234567"] {
            #expect(!duplicate.text.contains(secret), "409 reveals \(secret)")
        }

        // Login by SNILS, a wrong password, logout.
        let login = try api.call("POST", "/api/v1/sessions", json: "{\"login\":\"112-233-445 95\",\"password\":\"\(Self.password)\"}")
        #expect(login.status == 201, "\(login.text)")
        let loginToken = try #require(try Self.object(login)["token"] as? String)
        #expect(loginToken != token)
        let wrong = try api.call("POST", "/api/v1/sessions", json: "{\"login\":\"112-233-445 95\",\"password\":\"Wrong-password-1\"}")
        #expect(wrong.status == 401)
        #expect(wrong.header("Content-Type") == "application/problem+json")
        let unknown = try api.call("POST", "/api/v1/sessions", json: "{\"login\":\"987-654-321 83\",\"password\":\"Wrong-password-1\"}")
        #expect(unknown.status == 401)
        #expect(try Self.object(unknown)["detail"] as? String == (try Self.object(wrong)["detail"] as? String))

        #expect(try api.call("GET", "/api/v1/account", token: loginToken).status == 200)
        // The scheme name is case-insensitive.
        try api.client.send("GET /api/v1/account HTTP/1.1\r\nHost: localhost\r\nAuthorization: bearer \(loginToken)\r\n\r\n")
        #expect(try api.client.readResponse().status == 200)
        let logout = try api.call("DELETE", "/api/v1/sessions/current", token: loginToken)
        #expect(logout.status == 204)
        let after = try api.call("GET", "/api/v1/account", token: loginToken)
        #expect(after.status == 401)
        #expect(after.header("WWW-Authenticate") == "Bearer")
        #expect(after.header("Content-Type") == "application/problem+json")
        // The registration's session is a different one and still works.
        #expect(try api.call("GET", "/api/v1/account", token: token).status == 200)

        for text in api.seen {
            for secret in Self.secrets {
                #expect(!text.contains(secret), "a response holds \(secret): \(text)")
            }
        }
    }

    @Test func repeatedWrongPasswordsAreAnswered429WithRetryAfter() throws {
        let app = try TestApplication()
        defer { app.stop() }
        let api = try API(app)
        _ = try Self.confirmedAccount(api, Self.registration(phone: "+79161234567"), phone: "+79161234567")
        for _ in 0..<3 {
            #expect(try api.call("POST", "/api/v1/sessions", json: "{\"login\":\"+79161234567\",\"password\":\"Wrong-password-1\"}").status == 401)
        }
        let throttled = try api.call("POST", "/api/v1/sessions", json: "{\"login\":\"+79161234567\",\"password\":\"\(Self.password)\"}")
        #expect(throttled.status == 429)
        #expect(throttled.header("Content-Type") == "application/problem+json")
        let retryAfter = try #require(throttled.header("Retry-After").flatMap(Int.init))
        #expect(retryAfter >= 1 && retryAfter <= 60)
    }

    @Test func sessionsCanBeListedAndEndedByHandle() throws {
        let app = try TestApplication()
        defer { app.stop() }
        let api = try API(app)
        let anna = try Self.confirmedAccount(api, Self.registration(phone: "+79161234567"), phone: "+79161234567")
        let login = try api.call("POST", "/api/v1/sessions", json: "{\"login\":\"+79161234567\",\"password\":\"\(Self.password)\"}")
        let other = try #require(try Self.object(login)["token"] as? String)

        let listed = try api.call("GET", "/api/v1/account/sessions", token: anna.token)
        #expect(listed.status == 200)
        let sessions = try #require(try JSONSerialization.jsonObject(with: Data(listed.body)) as? [[String: Any]])
        #expect(sessions.count == 2)
        #expect(sessions.filter { $0["current"] as? Bool == true }.count == 1)
        let otherHandle = try #require(sessions.first { $0["current"] as? Bool == false }?["handle"] as? String)
        #expect(!listed.text.contains(other) && !listed.text.contains(anna.token))

        #expect(try api.call("DELETE", "/api/v1/account/sessions/\(otherHandle)", token: anna.token).status == 204)
        #expect(try api.call("GET", "/api/v1/account", token: other).status == 401)
        #expect(try api.call("DELETE", "/api/v1/account/sessions/\(otherHandle)", token: anna.token).status == 404)
    }

    @Test func passwordChangeKeepsThisSessionAndEndsTheOthers() throws {
        let app = try TestApplication()
        defer { app.stop() }
        let api = try API(app)
        let anna = try Self.confirmedAccount(api, Self.registration(phone: "+79161234567"), phone: "+79161234567")
        let login = try api.call("POST", "/api/v1/sessions", json: "{\"login\":\"+79161234567\",\"password\":\"\(Self.password)\"}")
        let other = try #require(try Self.object(login)["token"] as? String)

        let weak = try api.call("POST", "/api/v1/account/password",
                                json: "{\"currentPassword\":\"\(Self.password)\",\"newPassword\":\"short\"}", token: anna.token)
        #expect(weak.status == 422)
        #expect(try Self.object(weak)["errors"] as? [[String: String]] == [["field": "newPassword", "code": "tooShort"]])
        let wrongCurrent = try api.call("POST", "/api/v1/account/password",
                                        json: "{\"currentPassword\":\"Not-my-password\",\"newPassword\":\"Zelenyi-Ostrov-2024\"}", token: anna.token)
        #expect(wrongCurrent.status == 422)
        #expect(try Self.object(wrongCurrent)["errors"] as? [[String: String]] == [["field": "currentPassword", "code": "mismatch"]])

        let changed = try api.call("POST", "/api/v1/account/password",
                                   json: "{\"currentPassword\":\"\(Self.password)\",\"newPassword\":\"Zelenyi-Ostrov-2024\"}", token: anna.token)
        #expect(changed.status == 204, "\(changed.text)")
        #expect(try api.call("GET", "/api/v1/account", token: anna.token).status == 200)
        #expect(try api.call("GET", "/api/v1/account", token: other).status == 401)
        #expect(try api.call("POST", "/api/v1/sessions", json: "{\"login\":\"+79161234567\",\"password\":\"Zelenyi-Ostrov-2024\"}").status == 201)
    }

    @Test func aNewContactIsConfirmedWithItsOwnCode() throws {
        let app = try TestApplication()
        defer { app.stop() }
        let api = try API(app)
        let anna = try Self.confirmedAccount(api, Self.registration(phone: "+79161234567"), phone: "+79161234567")
        let badValue = try api.call("POST", "/api/v1/account/contacts", json: "{\"kind\":\"email\",\"value\":\"nope\"}", token: anna.token)
        #expect(badValue.status == 422)
        #expect(try Self.object(badValue)["errors"] as? [[String: String]] == [["field": "value", "code": "invalidFormat"]])
        let badKind = try api.call("POST", "/api/v1/account/contacts", json: "{\"kind\":\"fax\",\"value\":\"1\"}", token: anna.token)
        #expect(try Self.object(badKind)["errors"] as? [[String: String]] == [["field": "kind", "code": "invalidFormat"]])

        #expect(try api.call("POST", "/api/v1/account/contacts", json: "{\"kind\":\"email\",\"value\":\"anna@example.ru\"}",
                             token: anna.token).status == 202)
        let first = try api.code(for: "anna@example.ru")
        #expect(try api.call("POST", "/api/v1/account/contacts/resend", json: "{\"kind\":\"email\"}", token: anna.token).status == 202)
        let second = try api.code(for: "anna@example.ru", message: 2)
        if first != second {  // one chance in a million that the fresh code repeats the old one
            let stale = try api.call("POST", "/api/v1/account/contacts/confirm", json: "{\"kind\":\"email\",\"code\":\"\(first)\"}",
                                     token: anna.token)
            #expect(stale.status == 422)
            #expect(try Self.object(stale)["errors"] as? [[String: String]] == [["field": "code", "code": "mismatch"]])
        }
        #expect(try api.call("POST", "/api/v1/account/contacts/confirm", json: "{\"kind\":\"email\",\"code\":\"\(second)\"}",
                             token: anna.token).status == 204)
        let account = try Self.object(try api.call("GET", "/api/v1/account", token: anna.token))
        let contacts = try #require(account["contacts"] as? [[String: Any]])
        #expect(contacts.filter { $0["confirmed"] as? Bool == true }.count == 2)
        #expect(try api.call("POST", "/api/v1/sessions", json: "{\"login\":\"anna@example.ru\",\"password\":\"\(Self.password)\"}").status == 201)
    }
}
