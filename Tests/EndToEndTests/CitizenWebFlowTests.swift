import Foundation
@testable import OpenESIAServer
import Storage
import TestSupport
import Testing

/// No code reached the outbox file in time.
struct OutboxTimeout: Error { let recipient: String }

/// The citizen's HTML pages driven like a browser: cookies kept, forms posted with their csrf field, redirects
/// checked rather than followed.
@Suite struct CitizenWebFlowTests {
    static let password = "Vesna-2024-kolokol"
    static let phone = "+79123456789"

    static let petrova: [(String, String)] = [
        ("surname", "Петрова"), ("givenName", "Анна"), ("patronymic", "Сергеевна"), ("birthDate", "1990-05-17"),
        ("gender", "female"), ("phone", phone), ("email", ""), ("password", password), ("passwordRepeat", password),
        ("consent", "yes"),
    ]

    static let petrovaDocuments: [(String, String)] = [
        ("snils", "112-233-445 95"), ("passportSeries", "4508"), ("passportNumber", "123456"), ("passportIssueDate", "2010-06-01"),
        ("passportIssuer", "ОВД района Хамовники города Москвы"), ("passportIssuerCode", "770-001"), ("postalCode", "119021"),
        ("region", "Москва"), ("city", "Москва"), ("street", "улица Льва Толстого"), ("house", "16"), ("building", ""), ("flat", "5"),
    ]

    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    // MARK: Helpers

    /// The form's fields with the page's csrf field first.
    static func withCSRF(_ page: RawResponse, _ fields: [(String, String)]) throws -> [(String, String)] {
        let token = try #require(BrowserClient.csrfField(in: page.text), "no csrf field in the page")
        return [("csrf", token)] + fields
    }

    /// The newest confirmation code sent to `recipient`, waiting up to 5 s for the outbox worker.
    static func code(for recipient: String, in app: TestApplication, after previous: String? = nil) throws -> String {
        let file = app.folder.appendingPathComponent("outbox.log")
        let deadline = Date().addingTimeInterval(5)
        while Date() < deadline {
            let text = (try? String(contentsOf: file, encoding: .utf8)) ?? ""
            let blocks = text.components(separatedBy: "--- ").filter { $0.contains("To: \(recipient)\n") }
            if let last = blocks.last, let range = last.range(of: "confirmation code: ") {
                let code = String(last[range.upperBound...].prefix(6))
                if code != previous { return code }
            }
            Thread.sleep(forTimeInterval: 0.05)
        }
        throw OutboxTimeout(recipient: recipient)
    }

    /// Registers Petrova and enters the code; the browser ends up signed in with a simplified account.
    static func registerAndConfirm(_ browser: BrowserClient, _ app: TestApplication) throws {
        let form = try browser.get("/register")
        let registered = try browser.post("/register", try withCSRF(form, petrova))
        #expect(registered.status == 303)
        let confirm = try browser.get("/contact/confirm")
        let confirmed = try browser.post("/contact/confirm", try withCSRF(confirm, [("channel", "phone"), ("code", try code(for: phone, in: app))]))
        #expect(confirmed.status == 303 && confirmed.header("Location") == "/account")
    }

    static func setCookies(_ response: RawResponse) -> [String] {
        response.headers.filter { $0.name.lowercased() == "set-cookie" }.map(\.value)
    }

    static func citizenCount(_ app: TestApplication) throws -> Int {
        try app.application.database.read { db in try db.queryOne("SELECT COUNT(*) AS n FROM citizens")?.int("n") ?? 0 }
    }

    // MARK: The whole way

    @Test func registerConfirmSubmitDocumentsLogOutAndLogInAgain() throws {
        let app = try TestApplication()
        defer { app.stop() }
        let browser = BrowserClient(port: app.port)

        let form = try browser.get("/register")
        #expect(form.status == 200)
        #expect(form.header("Content-Type") == "text/html; charset=utf-8")
        #expect(form.header("Cache-Control") == "no-store")
        #expect(form.header("Content-Security-Policy")?.contains("default-src 'none'") == true)
        #expect(form.header("X-Content-Type-Options") == "nosniff")
        #expect(form.header("Referrer-Policy") == "same-origin")
        let csrfCookie = try #require(Self.setCookies(form).first { $0.hasPrefix("csrf=") })
        #expect(csrfCookie.contains("HttpOnly") && csrfCookie.contains("SameSite=Strict") && csrfCookie.contains("Path=/"))

        let registered = try browser.post("/register", try Self.withCSRF(form, Self.petrova))
        #expect(registered.status == 303)
        #expect(registered.header("Location") == "/contact/confirm")
        let sid = try #require(Self.setCookies(registered).first { $0.hasPrefix("sid=") })
        #expect(sid.contains("HttpOnly") && sid.contains("SameSite=Lax") && sid.contains("Path=/"))
        #expect(!sid.contains("Max-Age") && !sid.contains("Secure"))

        // Until the code is entered, the account page sends the citizen back to the code form.
        let early = try browser.get("/account")
        #expect(early.status == 303 && early.header("Location") == "/contact/confirm")
        let documentsEarly = try browser.get("/documents")
        #expect(documentsEarly.status == 303 && documentsEarly.header("Location") == "/contact/confirm")

        let confirm = try browser.get("/contact/confirm")
        #expect(confirm.status == 200)
        #expect(confirm.text.contains("+7 912 ***-**-89"))
        let code = try Self.code(for: Self.phone, in: app)
        let confirmed = try browser.post("/contact/confirm", try Self.withCSRF(confirm, [("channel", "phone"), ("code", code)]))
        #expect(confirmed.status == 303 && confirmed.header("Location") == "/account")

        let simplified = try browser.get("/account")
        #expect(simplified.status == 200)
        #expect(simplified.text.contains("Петрова Анна Сергеевна"))
        #expect(simplified.text.contains("<strong>Упрощённая.</strong>"))
        #expect(simplified.text.contains("Уровень получен: при регистрации"))
        #expect(simplified.text.contains("Этот сеанс"))

        let csv = try String(contentsOf: Self.repositoryRoot.appendingPathComponent("docs/examples/reference-registry.csv"), encoding: .utf8)
        #expect(try app.application.citizens.referenceRegistry.importCSV(csv) > 0)
        let documents = try browser.get("/documents")
        #expect(documents.status == 200)
        let submitted = try browser.post("/documents", try Self.withCSRF(documents, Self.petrovaDocuments))
        #expect(submitted.status == 303 && submitted.header("Location") == "/account")

        var account = try browser.get("/account")
        let deadline = Date().addingTimeInterval(10)
        while !account.text.contains("<strong>Стандартная.</strong>") && Date() < deadline {
            Thread.sleep(forTimeInterval: 0.2)
            account = try browser.get("/account")
        }
        #expect(account.text.contains("<strong>Стандартная.</strong>"))
        #expect(account.text.contains("Проверено: данные совпадают с государственными реестрами."))
        #expect(account.text.contains("***-***-445 95") && account.text.contains("** ** ****56"))
        #expect(!account.text.contains("112-233-445 95"))

        let loggedOut = try browser.post("/logout", try Self.withCSRF(account, []))
        #expect(loggedOut.status == 303 && loggedOut.header("Location") == "/logout")
        #expect(Self.setCookies(loggedOut).contains { $0.hasPrefix("sid=;") && $0.contains("Max-Age=0") })
        #expect(browser.cookies["sid"] == nil)
        let gone = try browser.get("/account")
        #expect(gone.status == 303 && gone.header("Location") == "/login")

        let login = try browser.get("/login")
        let loggedIn = try browser.post("/login", try Self.withCSRF(login, [("login", "112-233-445 95"), ("password", Self.password)]))
        #expect(loggedIn.status == 303 && loggedIn.header("Location") == "/account")
        let again = try browser.get("/account")
        #expect(again.status == 200 && again.text.contains("Петрова Анна Сергеевна"))
        #expect(try browser.post("/logout", try Self.withCSRF(again, [])).status == 303)
        #expect(try browser.get("/account").status == 303)
    }

    // MARK: Forms that fail

    @Test func invalidRegistrationIsShownAgainWithItsErrorsAndValuesButNoPassword() throws {
        let app = try TestApplication()
        defer { app.stop() }
        let browser = BrowserClient(port: app.port)
        let form = try browser.get("/register")
        var fields = Self.petrova.filter { $0.0 != "surname" && $0.0 != "password" && $0.0 != "passwordRepeat" }
        fields += [("surname", "<script>alert(1)</script>"), ("password", "short-pw"), ("passwordRepeat", "short-pw")]
        let page = try browser.post("/register", try Self.withCSRF(form, fields))
        #expect(page.status == 422)
        #expect(page.header("Cache-Control") == "no-store")
        #expect(page.text.contains("id=\"surname\" name=\"surname\""))
        #expect(page.text.contains("aria-invalid=\"true\""))
        #expect(page.text.contains("value=\"&lt;script&gt;alert(1)&lt;/script&gt;\""))
        #expect(!page.text.contains("<script>"))
        #expect(page.text.contains("value=\"Анна\""))
        #expect(!page.text.contains("short-pw"))
        #expect(page.text.contains("Используйте только буквы, пробел, дефис и апостроф"))
        #expect(try Self.citizenCount(app) == 0)
    }

    @Test func formsWithoutTheRightCSRFTokenAreRefused() throws {
        let app = try TestApplication()
        defer { app.stop() }
        let browser = BrowserClient(port: app.port)
        let form = try browser.get("/register")
        let missing = try browser.post("/register", Self.petrova)
        #expect(missing.status == 403)
        #expect(missing.text.contains("Форма устарела"))
        let wrong = try browser.post("/register", [("csrf", String(repeating: "A", count: 43))] + Self.petrova)
        #expect(wrong.status == 403)
        let token = try #require(browser.cookies["csrf"])
        browser.setCookie("csrf", nil)
        let noCookie = try browser.post("/register", [("csrf", token)] + Self.petrova)
        #expect(noCookie.status == 403)
        #expect(Self.setCookies(noCookie).allSatisfy { !$0.hasPrefix("sid=") })
        #expect(try Self.citizenCount(app) == 0)

        // The same form with the pair intact goes through, so it was only the token that was wrong.
        browser.setCookie("csrf", token)
        #expect(try browser.post("/register", try Self.withCSRF(form, Self.petrova)).status == 303)
        #expect(try Self.citizenCount(app) == 1)

        // Signed in, forms carry the session's token; another value is refused and nothing is changed.
        let confirm = try browser.get("/contact/confirm")
        #expect(confirm.status == 200)
        let forged = try browser.post("/contact/resend", [("csrf", token), ("channel", "phone")])
        #expect(forged.status == 403)
        let logout = try browser.post("/logout", [("csrf", token)])
        #expect(logout.status == 403)
        #expect(try browser.get("/contact/confirm").status == 200)
    }

    @Test func wrongPasswordGetsOneAnswerWhetherOrNotTheAccountExists() throws {
        let app = try TestApplication()
        defer { app.stop() }
        let browser = BrowserClient(port: app.port)
        try Self.registerAndConfirm(browser, app)
        let account = try browser.get("/account")
        _ = try browser.post("/logout", try Self.withCSRF(account, []))

        browser.acceptLanguage = "en"
        let form = try browser.get("/login")
        let known = try browser.post("/login", try Self.withCSRF(form, [("login", Self.phone), ("password", "Wrong-password-1")]))
        let unknown = try browser.post("/login", try Self.withCSRF(form, [("login", "+79000000000"), ("password", "Wrong-password-1")]))
        for response in [known, unknown] {
            #expect(response.status == 401)
            #expect(response.text.contains("Wrong login or password."))
            #expect(!response.text.contains("Wrong-password-1"))
            #expect(Self.setCookies(response).allSatisfy { !$0.hasPrefix("sid=") })
        }
        #expect(known.text.contains("value=\"\(Self.phone)\""))
    }

    @Test func repeatedFailedLoginsAreHeldBackWith429() throws {
        let app = try TestApplication()
        defer { app.stop() }
        let browser = BrowserClient(port: app.port)
        browser.acceptLanguage = "en"
        let form = try browser.get("/login")
        var statuses: [Int] = []
        var held: RawResponse?
        for _ in 0..<8 where held == nil {
            let response = try browser.post("/login", try Self.withCSRF(form, [("login", "112-233-445 95"), ("password", "Not-the-password")]))
            statuses.append(response.status)
            if response.status == 429 { held = response }
        }
        let response = try #require(held, "no 429 after \(statuses)")
        #expect(statuses.first == 401)
        #expect(Int(response.header("Retry-After") ?? "") ?? 0 >= 1)
        #expect(response.text.contains("Too many failed attempts to log in. Try again in 1 minute."))
    }

    @Test func wrongCodeIsShownOnTheCodeForm() throws {
        let app = try TestApplication()
        defer { app.stop() }
        let browser = BrowserClient(port: app.port)
        let form = try browser.get("/register")
        #expect(try browser.post("/register", try Self.withCSRF(form, Self.petrova)).status == 303)
        let confirm = try browser.get("/contact/confirm")
        let real = try Self.code(for: Self.phone, in: app)
        let wrongCode = real == "000000" ? "111111" : "000000"
        let wrong = try browser.post("/contact/confirm", try Self.withCSRF(confirm, [("channel", "phone"), ("code", wrongCode)]))
        #expect(wrong.status == 422)
        #expect(wrong.text.contains("Неверный код."))
        #expect(!wrong.text.contains(wrongCode))
        let empty = try browser.post("/contact/confirm", try Self.withCSRF(confirm, [("channel", "phone"), ("code", "")]))
        #expect(empty.status == 422 && empty.text.contains("aria-invalid=\"true\""))
        let resent = try browser.post("/contact/resend", try Self.withCSRF(confirm, [("channel", "phone")]))
        #expect(resent.status == 303 && resent.header("Location") == "/contact/confirm?channel=phone&resent=1")
        let fresh = try Self.code(for: Self.phone, in: app, after: real)
        let stale = try browser.post("/contact/confirm", try Self.withCSRF(confirm, [("channel", "phone"), ("code", real)]))
        #expect(stale.status == 422)
        #expect(try browser.post("/contact/confirm", try Self.withCSRF(confirm, [("channel", "phone"), ("code", fresh)])).status == 303)
    }

    @Test func documentsOfAnotherAccountAreRefusedWithARecoveryLink() throws {
        let app = try TestApplication()
        defer { app.stop() }
        let first = BrowserClient(port: app.port)
        try Self.registerAndConfirm(first, app)
        let documents = try first.get("/documents")
        #expect(try first.post("/documents", try Self.withCSRF(documents, Self.petrovaDocuments)).status == 303)

        let second = BrowserClient(port: app.port)
        let form = try second.get("/register")
        let other = Self.petrova.map { $0.0 == "phone" ? ("phone", "+79223334455") : $0 }
        #expect(try second.post("/register", try Self.withCSRF(form, other)).status == 303)
        let confirm = try second.get("/contact/confirm")
        let code = try Self.code(for: "+79223334455", in: app)
        #expect(try second.post("/contact/confirm", try Self.withCSRF(confirm, [("channel", "phone"), ("code", code)])).status == 303)
        let secondForm = try second.get("/documents")
        let refused = try second.post("/documents", try Self.withCSRF(secondForm, Self.petrovaDocuments))
        #expect(refused.status == 409)
        #expect(refused.text.contains("Учётная запись с такими данными уже существует"))
        #expect(refused.text.contains("href=\"/recover\""))
        #expect(refused.text.contains("value=\"4508\""))
    }

    // MARK: Account

    @Test func accountPagesNeedASession() throws {
        let app = try TestApplication()
        defer { app.stop() }
        let browser = BrowserClient(port: app.port)
        for path in ["/account", "/documents", "/account/password", "/account/contact", "/contact/confirm"] {
            let response = try browser.get(path)
            #expect(response.status == 303, "\(path)")
            #expect(response.header("Location") == "/login", "\(path)")
        }
        browser.setCookie("sid", String(repeating: "x", count: 43))
        #expect(try browser.get("/account").header("Location") == "/login")
    }

    @Test func anotherSessionCanBeEndedFromTheAccountPage() throws {
        let app = try TestApplication()
        defer { app.stop() }
        let first = BrowserClient(port: app.port)
        try Self.registerAndConfirm(first, app)
        let second = BrowserClient(port: app.port)
        second.userAgent = "SecondBrowser/2.0"
        let login = try second.get("/login")
        #expect(try second.post("/login", try Self.withCSRF(login, [("login", Self.phone), ("password", Self.password)])).status == 303)
        #expect(try second.get("/account").status == 200)

        let account = try first.get("/account")
        #expect(account.text.contains("SecondBrowser/2.0"))
        let handle = try #require(BrowserClient.hiddenValue("handle", in: account.text))
        let ended = try first.post("/account/sessions/end", try Self.withCSRF(account, [("handle", handle)]))
        #expect(ended.status == 303 && ended.header("Location") == "/account")
        #expect(try second.get("/account").header("Location") == "/login")
        #expect(try first.get("/account").status == 200)
    }

    @Test func passwordChangeChecksTheCurrentPasswordAndEndsOtherSessions() throws {
        let app = try TestApplication()
        defer { app.stop() }
        let browser = BrowserClient(port: app.port)
        try Self.registerAndConfirm(browser, app)
        let other = BrowserClient(port: app.port)
        let login = try other.get("/login")
        #expect(try other.post("/login", try Self.withCSRF(login, [("login", Self.phone), ("password", Self.password)])).status == 303)

        let form = try browser.get("/account/password")
        #expect(form.status == 200)
        let newPassword = "Osen-2025-listopad"
        let wrong = try browser.post("/account/password", try Self.withCSRF(form, [
            ("currentPassword", "Not-the-password"), ("password", newPassword), ("passwordRepeat", newPassword)]))
        #expect(wrong.status == 422)
        #expect(wrong.text.contains("Текущий пароль введён неверно"))
        #expect(!wrong.text.contains(newPassword))
        let changed = try browser.post("/account/password", try Self.withCSRF(form, [
            ("currentPassword", Self.password), ("password", newPassword), ("passwordRepeat", newPassword)]))
        #expect(changed.status == 303 && changed.header("Location") == "/account")
        #expect(try browser.get("/account").status == 200)
        #expect(try other.get("/account").header("Location") == "/login")
    }

    @Test func contactChangeSendsACodeToTheNewAddress() throws {
        let app = try TestApplication()
        defer { app.stop() }
        let browser = BrowserClient(port: app.port)
        try Self.registerAndConfirm(browser, app)
        let form = try browser.get("/account/contact")
        let bad = try browser.post("/account/contact", try Self.withCSRF(form, [("phone", "12"), ("email", "")]))
        #expect(bad.status == 422 && bad.text.contains("value=\"12\""))
        let asked = try browser.post("/account/contact", try Self.withCSRF(form, [("phone", ""), ("email", "anna@example.ru")]))
        #expect(asked.status == 303 && asked.header("Location") == "/contact/confirm?channel=email")
        let account = try browser.get("/account")
        #expect(account.text.contains("href=\"/contact/confirm?channel=email\""))
        let confirm = try browser.get("/contact/confirm?channel=email")
        #expect(confirm.text.contains("a***@example.ru"))
        let code = try Self.code(for: "anna@example.ru", in: app)
        #expect(try browser.post("/contact/confirm", try Self.withCSRF(confirm, [("channel", "email"), ("code", code)])).status == 303)
        #expect(try browser.get("/account").text.contains("anna@example.ru (подтверждён)"))
    }

    // MARK: Language, home and stylesheet

    @Test func languageComesFromTheQueryThenTheCookieThenTheBrowser() throws {
        let app = try TestApplication()
        defer { app.stop() }
        let browser = BrowserClient(port: app.port)
        #expect(try browser.get("/login").text.contains("<html lang=\"ru\">"))
        let english = try browser.get("/login?lang=en")
        #expect(english.text.contains("<html lang=\"en\">") && english.text.contains("Log in"))
        let cookie = try #require(Self.setCookies(english).first { $0.hasPrefix("lang=en") })
        #expect(cookie.contains("Max-Age=31536000") && cookie.contains("SameSite=Lax") && cookie.contains("Path=/"))
        #expect(try browser.get("/register").text.contains("<html lang=\"en\">"))
        #expect(try browser.get("/register?lang=ru").text.contains("<html lang=\"ru\">"))

        let other = BrowserClient(port: app.port)
        other.acceptLanguage = "en-GB,en;q=0.9"
        #expect(try other.get("/").text.contains("One account for public services"))
    }

    @Test func homePageAndStylesheetAreServed() throws {
        let app = try TestApplication()
        defer { app.stop() }
        let browser = BrowserClient(port: app.port)
        let home = try browser.get("/")
        #expect(home.status == 200 && home.text.contains("href=\"/register\""))
        #expect(home.header("Cache-Control") == "no-store")
        let css = try browser.get("/static/site.css")
        #expect(css.status == 200)
        #expect(css.header("Content-Type") == "text/css; charset=utf-8")
        #expect(css.header("Cache-Control")?.contains("max-age=31536000") == true)
        #expect(css.text.contains("box-sizing"))
        let missing = try browser.get("/nothing-here")
        #expect(missing.status == 404 && missing.header("Cache-Control") == "no-store")
        #expect(missing.header("Referrer-Policy") == "same-origin")
    }
}
