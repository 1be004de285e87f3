import Activation
import Audit
import Citizens
import Crypto
import Foundation
@testable import OpenESIAServer
import Storage
import TestSupport
import Testing

/// The staff console over HTTP: login with password + TOTP, the operator's passport check, team management, audit.
@Suite struct StaffConsoleTests {
    static let password = "Stoyka-2024-okno-7"
    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// A running service with the example centres imported.
    static func start() throws -> TestApplication {
        let app = try TestApplication()
        let csv = try String(contentsOf: repositoryRoot.appendingPathComponent("docs/examples/service-centres.csv"), encoding: .utf8)
        _ = try app.application.activation.centres.importCSV(csv)
        return app
    }

    /// Adds a staff account from the command line; returns its id and TOTP secret.
    static func addStaff(_ app: TestApplication, _ login: String, _ role: StaffRole, centre: String?) throws -> (id: Int64, secret: [UInt8]) {
        let enrolment = try app.application.activation.staff.add(login: login, displayName: "Test \(login)", role: role, centreID: centre,
                                                                 snils: nil, password: password)
        return (enrolment.staffID, try #require(secret(of: enrolment.totpURI)))
    }

    /// The secret in an otpauth URI.
    static func secret(of uri: String) -> [UInt8]? {
        guard let range = uri.range(of: "secret=") else { return nil }
        return Base32.decode(String(uri[range.upperBound...].prefix { $0 != "&" }))
    }

    /// Logs `login` in through the form; `stepOffset` picks a neighbouring TOTP step, since a step logs in only once.
    @discardableResult
    static func login(_ browser: BrowserClient, _ login: String, _ secret: [UInt8], stepOffset: Double = 0,
                      code: String? = nil) throws -> RawResponse {
        let form = try browser.get("/staff/login")
        let token = try #require(BrowserClient.csrfField(in: form.text))
        let totp = code ?? TOTP.code(secret: secret, time: Date().addingTimeInterval(stepOffset * 30))
        return try browser.post("/staff/login", [("csrf", token), ("login", login), ("password", password), ("totp", totp)])
    }

    /// The csrf field of a console page.
    static func csrf(_ browser: BrowserClient, _ path: String = "/staff") throws -> String {
        try #require(BrowserClient.csrfField(in: try browser.get(path).text))
    }

    /// Seeds standard-level citizen `n`; returns its SNILS (as typed at the counter) and id.
    static func seedCitizen(_ app: TestApplication, _ n: Int) throws -> (snils: String, id: Int64) {
        try app.application.citizens.service.seedSynthetic(count: 1, startingAt: n, password: password)
        let nine = String(2_000_000 + n)
        let padded = String(repeating: "0", count: 9 - nine.count) + nine
        let snils = padded + SNILS.checkDigits(forFirstNine: padded)
        let view = try #require(try app.application.citizens.service.staffView(snils: snils))
        return (snils, view.citizenID)
    }

    /// The passport of seeded citizen `n`.
    static func passport(_ n: Int) -> [(String, String)] {
        let number = String(n)
        return [("passportSeries", "4500"), ("passportNumber", String(repeating: "0", count: 6 - number.count) + number),
                ("passportIssueDate", "2000-01-01")]
    }

    static func level(_ app: TestApplication, _ id: Int64) throws -> Citizens.AccountLevel? {
        try app.application.citizens.service.profile(citizenID: id).level
    }

    static func auditKinds(_ app: TestApplication, subject: String?) throws -> [AuditEvent] {
        let audit = app.application.citizens.audit
        return try app.application.database.read { try audit.records(subject: subject, limit: 1000, using: $0) }.map(\.event)
    }

    /// An operator at MSK-001, logged in.
    static func operatorBrowser(_ app: TestApplication) throws -> BrowserClient {
        let op = try addStaff(app, "oper.a", .operator, centre: "MSK-001")
        let browser = BrowserClient(port: app.port)
        let response = try login(browser, "oper.a", op.secret)
        #expect(response.status == 303)
        return browser
    }

    // MARK: Login

    @Test func loginWithPasswordAndTOTPSetsAStrictStaffCookie() throws {
        let app = try Self.start()
        defer { app.stop() }
        let op = try Self.addStaff(app, "oper.a", .operator, centre: "MSK-001")
        let browser = BrowserClient(port: app.port)
        #expect(try browser.get("/staff").status == 303)
        let response = try Self.login(browser, "oper.a", op.secret)
        #expect(response.status == 303)
        #expect(response.header("Location") == "/staff")
        let cookie = try #require(response.headers.first { $0.0.lowercased() == "set-cookie" && $0.1.hasPrefix("staff_sid=") }?.1)
        #expect(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict") && cookie.contains("Path=/staff"))
        #expect(browser.cookies["sid"] == nil)
        let home = try browser.get("/staff")
        #expect(home.status == 200 && home.text.contains("name=\"snils\""))
        #expect(home.header("Cache-Control") == "no-store")

        // Logout ends the session: the same cookie no longer opens the console.
        let token = try #require(browser.cookies["staff_sid"])
        #expect(try browser.post("/staff/logout", [("csrf", try Self.csrf(browser))]).status == 303)
        browser.setCookie("staff_sid", token)
        #expect(try browser.get("/staff").status == 303)
        #expect(try Self.auditKinds(app, subject: "staff:\(op.id)").contains { $0.kind == "staff.logout" })
    }

    @Test func wrongTOTPGetsTheGenericAnswer() throws {
        let app = try Self.start()
        defer { app.stop() }
        let op = try Self.addStaff(app, "oper.a", .operator, centre: "MSK-001")
        let browser = BrowserClient(port: app.port)
        let wrong = String(format: "%06d", (Int(TOTP.code(secret: op.secret, time: Date()))! + 1) % 1_000_000)
        let wrongCode = try Self.login(browser, "oper.a", op.secret, code: wrong)
        #expect(wrongCode.status == 401)
        #expect(browser.cookies["staff_sid"] == nil)
        let unknown = try Self.login(browser, "nobody", op.secret)
        #expect(unknown.status == 401)
        // The same page for both: no hint whether the login exists.
        let message = "Неверный логин, пароль или код."
        #expect(wrongCode.text.contains(message) && unknown.text.contains(message))
        // The login form itself needs its double-submit token.
        browser.setCookie("csrf", nil)
        let forged = try browser.post("/staff/login", [("login", "oper.a"), ("password", Self.password), ("totp", "123456")])
        #expect(forged.status == 403)
    }

    @Test func aCitizenSessionCannotOpenTheConsole() throws {
        let app = try Self.start()
        defer { app.stop() }
        let citizen = try Self.seedCitizen(app, 1)
        let session = try app.application.citizens.service.login(identifier: "+79000000001", password: Self.password,
                                                                 source: RequestSource(address: "127.0.0.1"))
        let browser = BrowserClient(port: app.port)
        browser.setCookie("sid", session.sessionToken)
        #expect(try browser.get("/account").status == 200)
        for path in ["/staff", "/staff/team"] {
            let response = try browser.get(path)
            #expect(response.status == 303 && response.header("Location") == "/staff/login", "\(path)")
        }
        // Nor does a citizen's token put in the staff cookie.
        browser.setCookie("staff_sid", session.sessionToken)
        #expect(try browser.get("/staff").status == 303)
        let post = try browser.post("/staff/check", [("csrf", "x"), ("snils", citizen.snils)])
        #expect(post.status == 303 && post.header("Location") == "/staff/login")
    }

    // MARK: Operator

    @Test func passportMismatchChangesNothingAndIsAudited() throws {
        let app = try Self.start()
        defer { app.stop() }
        let citizen = try Self.seedCitizen(app, 7)
        let browser = try Self.operatorBrowser(app)
        let found = try browser.post("/staff/check", [("csrf", try Self.csrf(browser)), ("snils", citizen.snils)])
        #expect(found.status == 200)
        #expect(found.text.contains("name=\"passportSeries\""))
        // Name and birth date only: no passport, no contact, no address.
        #expect(!found.text.contains("4500") && !found.text.contains("+79000000007") && !found.text.contains("Тверская"))
        let token = try #require(BrowserClient.csrfField(in: found.text))
        let wrong = [("passportSeries", "4500"), ("passportNumber", "999999"), ("passportIssueDate", "2000-01-01")]
        // Even asking for the action directly does nothing without a match in the same request.
        for action in ["compare", "confirm", "slip"] {
            let response = try browser.post("/staff/check/passport", [("csrf", token), ("snils", citizen.snils)] + wrong + [("action", action)])
            #expect(response.status == 422, "\(action)")
            #expect(!response.text.contains("slip-code"))
        }
        #expect(try Self.level(app, citizen.id) == .standard)
        let events = try Self.auditKinds(app, subject: "citizen:\(citizen.id)")
        let mismatches = events.filter { $0.kind == "staff.passport-mismatch" }
        #expect(mismatches.count == 3)
        #expect(mismatches.allSatisfy { $0.actor.hasPrefix("staff:") && $0.details["centre"] == "MSK-001" && $0.sourceAddress != nil })
        #expect(!events.contains { $0.kind == "identity.confirmed" || $0.kind == "activation.code.issued" })
    }

    @Test func matchThenConfirmMakesTheAccountConfirmed() throws {
        let app = try Self.start()
        defer { app.stop() }
        let citizen = try Self.seedCitizen(app, 8)
        let browser = try Self.operatorBrowser(app)
        let token = try Self.csrf(browser)
        let matched = try browser.post("/staff/check/passport", [("csrf", token), ("snils", citizen.snils)] + Self.passport(8))
        #expect(matched.status == 200)
        #expect(matched.text.contains("value=\"confirm\"") && matched.text.contains("value=\"slip\""))
        #expect(try Self.level(app, citizen.id) == .standard)
        let confirmed = try browser.post("/staff/check/passport",
                                         [("csrf", token), ("snils", citizen.snils)] + Self.passport(8) + [("action", "confirm")])
        #expect(confirmed.status == 200)
        #expect(try Self.level(app, citizen.id) == .confirmed)
        let event = try #require(try Self.auditKinds(app, subject: "citizen:\(citizen.id)").first { $0.kind == "identity.confirmed" })
        #expect(event.details["method"] == "staff-check" && event.details["centre"] == "MSK-001" && event.actor.hasPrefix("staff:"))
        // Nothing more to do for a confirmed account.
        let again = try browser.post("/staff/check/passport",
                                     [("csrf", token), ("snils", citizen.snils)] + Self.passport(8) + [("action", "slip")])
        #expect(!again.text.contains("slip-code"))
    }

    @Test func matchThenSlipGivesACodeTheCitizenCanEnter() throws {
        let app = try Self.start()
        defer { app.stop() }
        let citizen = try Self.seedCitizen(app, 9)
        let browser = try Self.operatorBrowser(app)
        let token = try Self.csrf(browser)
        let slip = try browser.post("/staff/check/passport",
                                    [("csrf", token), ("snils", citizen.snils)] + Self.passport(9) + [("action", "slip")])
        #expect(slip.status == 200)
        #expect(slip.header("Cache-Control") == "no-store")
        let marker = try #require(slip.text.range(of: "<dd class=\"slip-code\">"))
        let code = String(slip.text[marker.upperBound...].prefix { $0 != "<" })
        #expect(code.count == 14)
        #expect(try Self.level(app, citizen.id) == .standard)
        try app.application.activation.activation.enterCode(citizenID: citizen.id, code: code, source: RequestSource(address: "127.0.0.1"))
        #expect(try Self.level(app, citizen.id) == .confirmed)
        let issued = try #require(try Self.auditKinds(app, subject: "citizen:\(citizen.id)").first { $0.kind == "activation.code.issued" })
        #expect(issued.details["centre"] == "MSK-001")
        #expect(!issued.details.values.contains(code))
    }

    @Test func searchIsExactAndServiceAdminsMayNotCheck() throws {
        let app = try Self.start()
        defer { app.stop() }
        let citizen = try Self.seedCitizen(app, 3)
        let browser = try Self.operatorBrowser(app)
        let token = try Self.csrf(browser)
        #expect(try browser.post("/staff/check", [("csrf", token), ("snils", String(citizen.snils.prefix(9)))]).status == 422)
        #expect(try browser.post("/staff/check", [("csrf", "wrong"), ("snils", citizen.snils)]).status == 403)
        let admin = try Self.addStaff(app, "root", .serviceAdmin, centre: nil)
        let adminBrowser = BrowserClient(port: app.port)
        try Self.login(adminBrowser, "root", admin.secret)
        let denied = try adminBrowser.post("/staff/check", [("csrf", try Self.csrf(adminBrowser)), ("snils", citizen.snils)])
        #expect(denied.status == 403)
    }

    // MARK: Team

    @Test func centreAdminManagesOnlyTheirOwnCentre() throws {
        let app = try Self.start()
        defer { app.stop() }
        let adminA = try Self.addStaff(app, "admin.a", .centreAdmin, centre: "MSK-001")
        let operatorA = try Self.addStaff(app, "oper.a", .operator, centre: "MSK-001")
        let operatorB = try Self.addStaff(app, "oper.b", .operator, centre: "MSK-002")
        let staff = app.application.activation.staff

        let admin = BrowserClient(port: app.port)
        #expect(try Self.login(admin, "admin.a", adminA.secret).status == 303)
        let team = try admin.get("/staff/team")
        #expect(team.status == 200 && team.text.contains("oper.a") && !team.text.contains("oper.b"))
        let token = try #require(BrowserClient.csrfField(in: team.text))

        // Add an operator: the page shows the enrolment URI once, and the new account can log in with it.
        let added = try admin.post("/staff/team/add", [("csrf", token), ("login", "oper.new"), ("displayName", "Новый Оператор"),
                                                       ("password", Self.password)])
        #expect(added.status == 200)
        let uriStart = try #require(added.text.range(of: "otpauth://totp/"))
        let uri = String(added.text[uriStart.lowerBound...].prefix { $0 != "<" }).replacingOccurrences(of: "&amp;", with: "&")
        let newSecret = try #require(Self.secret(of: uri))
        #expect(try Self.login(BrowserClient(port: app.port), "oper.new", newSecret).status == 303)
        #expect(try staff.member(login: "oper.new")?.centreID == "MSK-001")
        #expect(!(try admin.get("/staff/team").text.contains("otpauth://")))

        // Another centre's operator: refused and audited, nothing changes.
        #expect(try admin.post("/staff/team/disable", [("csrf", token), ("staffID", String(operatorB.id))]).status == 403)
        #expect(try admin.post("/staff/team/reset-totp", [("csrf", token), ("staffID", String(operatorB.id))]).status == 403)
        #expect(try staff.member(id: operatorB.id)?.isActive == true)
        #expect(try Self.auditKinds(app, subject: "staff:\(operatorB.id)").contains { $0.kind == "staff.denied" })

        // Own operator: reset shows a new URI; disable ends their access.
        let reset = try admin.post("/staff/team/reset-totp", [("csrf", token), ("staffID", String(operatorA.id))])
        #expect(reset.status == 200 && reset.text.contains("otpauth://totp/"))
        #expect(try admin.post("/staff/team/disable", [("csrf", token), ("staffID", String(operatorA.id))]).status == 303)
        #expect(try staff.member(id: operatorA.id)?.isActive == false)
        let disabled = try #require(try Self.auditKinds(app, subject: "staff:\(operatorA.id)").first { $0.kind == "staff.disable" })
        #expect(disabled.actor == "staff:\(adminA.id)" && disabled.details["centre"] == "MSK-001" && disabled.sourceAddress != nil)
    }

    @Test func anOperatorCannotActAsAnAdmin() throws {
        let app = try Self.start()
        defer { app.stop() }
        let operatorA = try Self.addStaff(app, "oper.a", .operator, centre: "MSK-001")
        let operatorA2 = try Self.addStaff(app, "oper.a2", .operator, centre: "MSK-001")
        let operatorB = try Self.addStaff(app, "oper.b", .operator, centre: "MSK-002")
        let browser = BrowserClient(port: app.port)
        #expect(try Self.login(browser, "oper.a", operatorA.secret).status == 303)
        #expect(try browser.get("/staff/team").status == 403)
        let token = try Self.csrf(browser)
        for target in [operatorA2.id, operatorB.id] {
            #expect(try browser.post("/staff/team/disable", [("csrf", token), ("staffID", String(target))]).status == 403)
            #expect(try app.application.activation.staff.member(id: target)?.isActive == true)
        }
        let add = try browser.post("/staff/team/add", [("csrf", token), ("login", "sneaky"), ("displayName", "X"), ("password", Self.password)])
        #expect(add.status == 403)
        #expect(try app.application.activation.staff.member(login: "sneaky") == nil)
    }

    // MARK: Audit

    @Test func theAuditChainStaysIntactAndTamperingIsDetected() throws {
        let app = try Self.start()
        defer { app.stop() }
        let citizen = try Self.seedCitizen(app, 5)
        let browser = try Self.operatorBrowser(app)
        let token = try Self.csrf(browser)
        _ = try browser.post("/staff/check/passport", [("csrf", token), ("snils", citizen.snils), ("passportSeries", "4500"),
                                                       ("passportNumber", "111111"), ("passportIssueDate", "2000-01-01")])
        _ = try browser.post("/staff/check/passport", [("csrf", token), ("snils", citizen.snils)] + Self.passport(5) + [("action", "confirm")])
        let audit = app.application.citizens.audit
        guard case .intact = try audit.verify(database: app.application.database) else {
            Issue.record("the chain should be intact")
            return
        }
        let mismatch = try #require(try app.application.database.read { try audit.records(subject: "citizen:\(citizen.id)", limit: 100, using: $0) }
            .first { $0.event.kind == "staff.passport-mismatch" })

        // An attacker with the database file: a second connection drops the append-only triggers and rewrites the record.
        let raw = try Database(path: app.folder.appendingPathComponent("openesia.sqlite3").path)
        try raw.write { db in
            for name in ["audit_log_no_update", "audit_log_no_delete", "audit_log_append_at_end"] { try db.execute("DROP TRIGGER \(name)", []) }
            try db.execute("UPDATE audit_log SET kind = 'staff.passport-matched' WHERE sequence = ?", [.integer(mismatch.sequence)])
        }
        raw.close()
        guard case .broken(let sequence, _) = try audit.verify(database: app.application.database) else {
            Issue.record("tampering went unnoticed")
            return
        }
        #expect(sequence == mismatch.sequence)
    }
}
