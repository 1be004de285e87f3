import Foundation
@testable import OpenESIAServer
import Storage
import Support
import TestSupport
import Testing

/// The citizen's side of activation over HTTP: the activation page, a letter through export to code entry, wrong
/// entries, expiry, a returned letter, the JSON API, and the public service-centre page. The clock is fixed, so
/// throttling delays and code lifetimes are passed by moving it.
@Suite struct ActivationWebFlowTests {
    typealias Flow = CitizenWebFlowTests

    /// A running service with a fixed clock and Petrova signed in at the standard level.
    final class Standard {
        let clock = FixedClock(Date())
        let app: TestApplication
        let browser: BrowserClient

        init() throws {
            app = try TestApplication(clock: clock)
            browser = BrowserClient(port: app.port)
            try Flow.registerAndConfirm(browser, app)
            let csv = try String(contentsOf: Flow.repositoryRoot.appendingPathComponent("docs/examples/reference-registry.csv"), encoding: .utf8)
            _ = try app.application.citizens.referenceRegistry.importCSV(csv)
            let documents = try browser.get("/documents")
            #expect(try browser.post("/documents", try Flow.withCSRF(documents, Flow.petrovaDocuments)).status == 303)
            var account = try browser.get("/account")
            let deadline = Date().addingTimeInterval(10)
            while !account.text.contains("<strong>Стандартная.</strong>") && Date() < deadline {
                Thread.sleep(forTimeInterval: 0.1)
                account = try browser.get("/account")
            }
            try #require(account.text.contains("<strong>Стандартная.</strong>"), "the citizen never reached the standard level")
        }

        deinit { app.stop() }

        /// Petrova's id: the only citizen in this database.
        func citizenID() throws -> Int64 {
            try #require(try app.application.database.read { db in try db.queryOne("SELECT MIN(id) AS id FROM citizens")?.int64("id") })
        }

        /// Orders a letter from the activation page.
        func orderLetter() throws {
            let page = try browser.get("/account/activation")
            let ordered = try browser.post("/account/activation/letter", try Flow.withCSRF(page, []))
            #expect(ordered.status == 303 && ordered.header("Location") == "/account/activation")
        }

        /// Exports the pending letters and returns the code printed for the newest one (the last CSV row).
        func exportCode() throws -> String {
            let folder = app.folder.appendingPathComponent("letters-\(UUID().uuidString)")
            let batch = try #require(try app.application.activation.activation.exportBatch(outputDirectory: folder.path))
            let csv = try String(contentsOfFile: batch.csvFile, encoding: .utf8)
            let row = try #require(csv.split(separator: "\r\n").last)
            return String(try #require(row.split(separator: ",").last))
        }

        /// Posts `code` from the activation page's form.
        func enter(_ code: String) throws -> RawResponse {
            let page = try browser.get("/account/activation")
            return try browser.post("/account/activation/code", try Flow.withCSRF(page, [("code", code)]))
        }

        /// Moves past any throttling delay the last wrong entry started (at most a minute).
        func waitOutDelay() { clock.advance(by: 61) }
    }

    /// A well-formed code that is not `code`: the first symbol changed.
    static func wrong(_ code: String) -> String {
        (code.hasPrefix("2") ? "3" : "2") + code.dropFirst()
    }

    @Test func letterCodeConfirmsTheAccount() throws {
        let s = try Standard()
        let account = try s.browser.get("/account")
        #expect(account.text.contains("href=\"/account/activation\""))

        let start = try s.browser.get("/account/activation")
        #expect(start.status == 200)
        #expect(start.text.contains("action=\"/account/activation/letter\""))
        #expect(start.text.contains("href=\"/centres\""))
        #expect(!start.text.contains("action=\"/account/activation/code\""), "no code form before a code exists")

        try s.orderLetter()
        let pending = try s.browser.get("/account/activation")
        #expect(pending.text.contains("data-state=\"pending\""))
        #expect(!pending.text.contains("action=\"/account/activation/letter\""), "a pending order is not offered again")

        let code = try s.exportCode()
        let printed = try s.browser.get("/account/activation")
        #expect(printed.text.contains("data-state=\"printed\""))
        #expect(printed.text.contains("action=\"/account/activation/code\""))
        #expect(printed.text.contains("Код действует до"))
        #expect(printed.text.contains("Осталось попыток: 5"))
        #expect(!printed.text.contains(code))

        let wrong = Self.wrong(code)
        let refused = try s.enter(wrong)
        #expect(refused.status == 422)
        #expect(refused.text.contains("Код неверный. Осталось попыток: 4."))
        #expect(refused.text.contains("aria-invalid=\"true\""))
        #expect(!refused.text.contains(wrong) && !refused.text.contains(code), "a typed code is never echoed")

        let malformed = try s.enter("not a code")
        #expect(malformed.status == 422 && malformed.text.contains("Это не код подтверждения"))

        let confirmed = try s.enter(code.lowercased())
        #expect(confirmed.status == 303 && confirmed.header("Location") == "/account")
        let after = try s.browser.get("/account")
        #expect(after.text.contains("<strong>Подтверждённая.</strong>"))
        #expect(after.text.contains("кодом из заказного письма"))
        let done = try s.browser.get("/account/activation")
        #expect(done.text.contains("Личность подтверждена"))
        #expect(!done.text.contains("action=\"/account/activation/letter\""))

        // A used code is gone; asking for a letter now is refused with the page, not an error page.
        let again = try s.browser.post("/account/activation/letter", try Flow.withCSRF(after, []))
        #expect(again.status == 409)
        #expect(again.text.contains("учётная запись не стандартная"))
    }

    @Test func postsNeedTheSessionAndTheFormToken() throws {
        let s = try Standard()
        let forged = try s.browser.post("/account/activation/letter", [("csrf", "forged")])
        #expect(forged.status == 403)
        let status = try s.app.application.activation.activation.status(citizenID: s.citizenID())
        #expect(status.letter == nil, "a forged post changes nothing")

        let stranger = BrowserClient(port: s.app.port)
        #expect(try stranger.get("/account/activation").header("Location") == "/login")
        #expect(try stranger.post("/account/activation/code", [("code", "2222-3333-4444")]).header("Location") == "/login")
    }

    @Test func fiveWrongEntriesKillTheCode() throws {
        let s = try Standard()
        try s.orderLetter()
        let code = try s.exportCode()
        for left in (1...4).reversed() {
            let refused = try s.enter(Self.wrong(code))
            #expect(refused.status == 422, "\(left)")
            #expect(refused.text.contains("Осталось попыток: \(left)."))
            s.waitOutDelay()
        }
        let killed = try s.enter(Self.wrong(code))
        #expect(killed.status == 409)
        #expect(killed.text.contains("Слишком много неверных попыток"))
        #expect(!killed.text.contains("action=\"/account/activation/code\""), "no form for a dead code")
        #expect(killed.text.contains("action=\"/account/activation/letter\""), "the citizen may choose again")
        s.waitOutDelay()

        // Even the right code does nothing now.
        let late = try s.enter(code)
        #expect(late.status == 409)
        #expect(try s.browser.get("/account").text.contains("<strong>Стандартная.</strong>"))
    }

    @Test func letterCodeExpiresAfterSixtyDays() throws {
        let s = try Standard()
        try s.orderLetter()
        let code = try s.exportCode()
        s.clock.advance(by: 60 * 86_400 + 1)
        // The session has long ended: log in again.
        #expect(try s.browser.get("/account").header("Location") == "/login")
        let login = try s.browser.get("/login")
        let loggedIn = try s.browser.post("/login", try Flow.withCSRF(login, [("login", "112-233-445 95"), ("password", Flow.password)]))
        #expect(loggedIn.status == 303)

        let expired = try s.enter(code)
        #expect(expired.status == 422)
        #expect(expired.text.contains("Срок действия кода истёк"))
        let page = try s.browser.get("/account/activation")
        #expect(page.text.contains("Срок действия кода истёк"))
        #expect(page.text.contains("action=\"/account/activation/letter\""))
        #expect(try s.browser.get("/account").text.contains("<strong>Стандартная.</strong>"))
    }

    @Test func returnedLetterLetsTheCitizenChooseAgain() throws {
        let s = try Standard()
        try s.orderLetter()
        let code = try s.exportCode()
        let service = s.app.application.activation.activation
        let letter = try #require(try service.status(citizenID: s.citizenID()).letter)
        try service.markLetter(id: letter.id, state: .dispatched, trackingNumber: "12345678901234")
        let dispatched = try s.browser.get("/account/activation")
        #expect(dispatched.text.contains("data-state=\"dispatched\""))
        #expect(dispatched.text.contains("12345678901234"))

        try service.markLetter(id: letter.id, state: .returned, trackingNumber: nil)
        let returned = try s.browser.get("/account/activation")
        #expect(returned.text.contains("data-state=\"returned\""))
        #expect(returned.text.contains("Письмо вернулось к нам"))
        #expect(!returned.text.contains("action=\"/account/activation/code\""))
        #expect(returned.text.contains("action=\"/account/activation/letter\""))
        #expect(try s.enter(code).status == 409, "a returned letter's code does not work")

        try s.orderLetter()
        #expect(try s.browser.get("/account/activation").text.contains("data-state=\"pending\""))
    }

    @Test func apiShowsStatusOrdersALetterAndTakesTheCode() throws {
        let s = try Standard()
        let api = try CitizenAPITests.API(s.app)
        #expect(try api.call("GET", "/api/v1/account/activation").status == 401)
        let login = try api.call("POST", "/api/v1/sessions", json: #"{"login":"112-233-445 95","password":"\#(Flow.password)"}"#)
        let token = try #require(try CitizenAPITests.object(login)["token"] as? String)

        let fresh = try CitizenAPITests.object(try api.call("GET", "/api/v1/account/activation", token: token))
        #expect(fresh["level"] as? String == "standard" && fresh["canRequest"] as? Bool == true && fresh["letter"] == nil)

        let ordered = try api.call("POST", "/api/v1/account/activation/letter", token: token)
        #expect(ordered.status == 202)
        let order = try CitizenAPITests.object(ordered)
        #expect(order["letterId"] is Int)
        let code = try s.exportCode()

        let status = try api.call("GET", "/api/v1/account/activation", token: token)
        let body = try CitizenAPITests.object(status)
        #expect((body["letter"] as? [String: Any])?["state"] as? String == "printed")
        #expect((body["code"] as? [String: Any])?["attemptsLeft"] as? Int == 5)
        #expect(!status.text.contains(code) && !status.text.contains(code.replacingOccurrences(of: "-", with: "")))

        let wrong = try api.call("POST", "/api/v1/account/activation/code", json: #"{"code":"\#(Self.wrong(code))"}"#, token: token)
        #expect(wrong.status == 422 && wrong.header("Content-Type") == "application/problem+json")
        #expect(wrong.text.contains("4 attempts left") && !wrong.text.contains(Self.wrong(code)))
        #expect(try api.call("POST", "/api/v1/account/activation/code", json: #"{"code":"\#(code)"}"#, token: token).status == 204)
        let done = try CitizenAPITests.object(try api.call("GET", "/api/v1/account/activation", token: token))
        #expect(done["level"] as? String == "confirmed" && done["code"] == nil)
        #expect(try api.call("POST", "/api/v1/account/activation/letter", token: token).status == 409)
    }

    @Test func centresPageListsTheExampleCentresByCity() throws {
        let app = try TestApplication()
        defer { app.stop() }
        let csv = try String(contentsOf: Flow.repositoryRoot.appendingPathComponent("docs/examples/service-centres.csv"), encoding: .utf8)
        #expect(try app.application.activation.centres.importCSV(csv) == 11)
        let browser = BrowserClient(port: app.port)

        let all = try browser.get("/centres")
        #expect(all.status == 200)
        #expect(all.text.contains("Найдено центров: 11."))
        #expect(all.text.contains("<option value=\"Москва\">Москва</option>"))
        #expect(all.text.contains("МФЦ района Тверской") && all.text.contains("55.76520, 37.60450"))

        let query = "city=" + ("Санкт-Петербург".addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")
        let spb = try browser.get("/centres?" + query)
        #expect(spb.text.contains("Найдено центров: 2."))
        #expect(!spb.text.contains("МФЦ района Тверской"))
        #expect(spb.text.contains("value=\"Санкт-Петербург\""))

        let none = try browser.get("/centres?city=%3Cscript%3E")
        #expect(none.text.contains("центров не найдено") && none.text.contains("value=\"&lt;script&gt;\""))
        #expect(!none.text.contains("<script>"))

        let api = try CitizenAPITests.API(app)
        let json = try api.call("GET", "/api/v1/centres?region=" + ("Москва".addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""))
        let list = try #require(try JSONSerialization.jsonObject(with: Data(json.body)) as? [[String: Any]])
        #expect(list.count == 2 && list.allSatisfy { $0["region"] as? String == "Москва" })
        #expect(list.contains { $0["id"] as? String == "MSK-001" && $0["latitude"] as? Double == 55.7652 })
    }
}
