import Activation
import Citizens
import Crypto
import Foundation
@testable import OpenESIAServer
import PKI
import Support
import TestSupport
import Testing

/// The e-signature login over real HTTP with the keys-example hierarchies (ECDSA, RSA, GOST 2012-256): the JSON API and
/// the browser flow with an upload, refusals (replay, expiry, another browser, revoked, expired, unknown CA, malformed
/// uploads), registration with a certificate, the staff console, and the verification API.
@Suite struct SignatureLoginTests {
    typealias API = CitizenAPITests.API

    /// A service trusting the keys-example heads, with their CAs accredited, fresh CRLs, and seeded citizens 0, 1 and 2
    /// (the SNILS of citizen, citizen-revoked and citizen-expired) unless `seed` is false.
    static func start(clock: any WallClock = SystemClock(), seed: Bool = true) throws -> TestApplication {
        let app = try TestApplication(clock: clock) { SignatureTestPKI.configure(&$0) }
        try SignatureTestPKI.install(into: app, now: clock.now())
        if seed { try app.application.citizens.service.seedSynthetic(count: 3, password: "Seed-Password-2026") }
        return app
    }

    /// A challenge over the API: id, exact text, secret.
    static func challenge(_ api: API, staff: Bool = false) throws -> (id: String, text: [UInt8], secret: String) {
        let response = try api.call("POST", staff ? "/staff/api/sessions/signature-challenge" : "/api/v1/sessions/signature-challenge",
                                    json: "{}")
        #expect(response.status == 201, "\(response.text)")
        #expect(response.header("Cache-Control") == "no-store")
        let body = try CitizenAPITests.object(response)
        return (try #require(body["challengeId"] as? String), Array(try #require(body["challenge"] as? String).utf8),
                try #require(body["challengeSecret"] as? String))
    }

    /// Posts a signature for a challenge over the API.
    static func submit(_ api: API, _ challenge: (id: String, text: [UInt8], secret: String), signature: [UInt8],
                       register: Bool? = nil, staff: Bool = false) throws -> RawResponse {
        let extra = register.map { ",\"register\":\($0)" } ?? ""
        return try api.call("POST", staff ? "/staff/api/sessions/signature" : "/api/v1/sessions/signature", json: """
            {"challengeId":"\(challenge.id)","challengeSecret":"\(challenge.secret)",\
            "signature":"\(Data(signature).base64EncodedString())"\(extra)}
            """)
    }

    static func account(_ api: API, _ token: String) throws -> [String: Any] {
        let response = try api.call("GET", "/api/v1/account", token: token)
        #expect(response.status == 200, "\(response.text)")
        return try CitizenAPITests.object(response)
    }

    /// The problem document's error codes for the `signature` field.
    static func codes(_ response: RawResponse) throws -> [String] {
        let errors = try CitizenAPITests.object(response)["errors"] as? [[String: Any]] ?? []
        return errors.compactMap { $0["code"] as? String }
    }

    // MARK: JSON API

    @Test(arguments: SignatureTestPKI.algorithms)
    func apiLoginConfirmsAStandardAccount(algorithm: String) throws {
        let app = try Self.start()
        defer { app.stop() }
        let api = try API(app)
        let hierarchy = try SignatureTestPKI.Hierarchy(algorithm)
        let challenge = try Self.challenge(api)
        #expect(String(decoding: challenge.text, as: UTF8.self).contains("purpose: citizen-login"))
        let response = try Self.submit(api, challenge, signature: try hierarchy.sign(challenge.text, by: "citizen"))
        #expect(response.status == 201, "\(response.text)")
        let token = try #require(try CitizenAPITests.object(response)["token"] as? String)
        let profile = try Self.account(api, token)
        #expect(profile["level"] as? String == "confirmed")
        #expect(profile["levelMethod"] as? String == "signature")
    }

    @Test func anAttachedSignatureOfTheChallengeWorksToo() throws {
        let app = try Self.start()
        defer { app.stop() }
        let api = try API(app)
        let challenge = try Self.challenge(api)
        let signature = try SignatureTestPKI.Hierarchy("ecdsa").sign(challenge.text, by: "citizen", detached: false)
        #expect(try Self.submit(api, challenge, signature: signature).status == 201)
    }

    @Test func aChallengeServesOneSubmission() throws {
        let app = try Self.start()
        defer { app.stop() }
        let api = try API(app)
        let challenge = try Self.challenge(api)
        let signature = try SignatureTestPKI.Hierarchy("ecdsa").sign(challenge.text, by: "citizen")
        #expect(try Self.submit(api, challenge, signature: signature).status == 201)
        let replay = try Self.submit(api, challenge, signature: signature)
        #expect(replay.status == 410, "\(replay.text)")
        #expect(replay.header("Content-Type") == "application/problem+json")
        // A signature over other text spends its challenge too: the right one cannot follow.
        let other = try Self.challenge(api)
        let wrong = try Self.submit(api, other, signature: try SignatureTestPKI.Hierarchy("ecdsa").sign(Array("other".utf8), by: "citizen"))
        #expect(wrong.status == 400, "\(wrong.text)")
        #expect(try Self.codes(wrong) == ["signature_invalid"], "\(wrong.text)")
        let late = try Self.submit(api, other, signature: try SignatureTestPKI.Hierarchy("ecdsa").sign(other.text, by: "citizen"))
        #expect(late.status == 410)
    }

    @Test func anExpiredChallengeIsRefused() throws {
        let clock = FixedClock(Date())
        let app = try Self.start(clock: clock)
        defer { app.stop() }
        let api = try API(app)
        let challenge = try Self.challenge(api)
        let signature = try SignatureTestPKI.Hierarchy("ecdsa").sign(challenge.text, by: "citizen")
        clock.advance(by: 301)
        let response = try Self.submit(api, challenge, signature: signature)
        #expect(response.status == 410, "\(response.text)")
        #expect(response.text.contains("expired"))
    }

    @Test func theChallengeIsBoundToItsSecret() throws {
        let app = try Self.start()
        defer { app.stop() }
        let api = try API(app)
        var challenge = try Self.challenge(api)
        let signature = try SignatureTestPKI.Hierarchy("ecdsa").sign(challenge.text, by: "citizen")
        let owner = challenge.secret
        challenge.secret = "guessed-secret"
        #expect(try Self.submit(api, challenge, signature: signature).status == 403)
        challenge.secret = owner
        #expect(try Self.submit(api, challenge, signature: signature).status == 201)
    }

    @Test(arguments: [("citizen-revoked", "revoked", "certificate revoked"), ("citizen-expired", "expired", "certificate expired")])
    func untrustedCertificatesAreRefusedWithTheReason(leaf: String, code: String, words: String) throws {
        let app = try Self.start()
        defer { app.stop() }
        let api = try API(app)
        for algorithm in SignatureTestPKI.algorithms {
            let challenge = try Self.challenge(api)
            let response = try Self.submit(api, challenge, signature: try SignatureTestPKI.Hierarchy(algorithm).sign(challenge.text, by: leaf))
            #expect(response.status == 403, "\(algorithm): \(response.text)")
            #expect(try Self.codes(response).contains(code), "\(algorithm): \(response.text)")
            #expect(response.text.contains(words), "\(algorithm): \(response.text)")
        }
        // Each refusal is in the audit log, with the certificate's thumbprint and the reason, never the holder's data.
        let audit = app.application.citizens.audit
        let refusals = try app.application.database.read { try audit.records(subject: nil, limit: 100, using: $0) }
            .map(\.event).filter { $0.kind == "login.failed" && $0.details["reason"] == "untrusted" }
        #expect(refusals.count == SignatureTestPKI.algorithms.count)
        #expect(refusals.allSatisfy { $0.details["failures"] == code && $0.details["certificate"]?.count == 40 })
        #expect(refusals.allSatisfy { !$0.details.values.contains { $0.contains("00200000") } })
    }

    @Test func aCertificateOfAnUnknownCAIsRefused() throws {
        let app = try Self.start()
        defer { app.stop() }
        let api = try API(app)
        let unknown = try SignatureTestPKI.unknownHierarchy()
        let challenge = try Self.challenge(api)
        let signature = try CMSSignature.sign(content: challenge.text, certificate: unknown.certificate, key: unknown.key, chain: [unknown.ca])
        let response = try Self.submit(api, challenge, signature: signature)
        #expect(response.status == 403, "\(response.text)")
        #expect(try Self.codes(response).contains { $0 == "unknown_issuer" || $0 == "issuer_not_accredited" }, "\(response.text)")
    }

    @Test func malformedSignaturesAreCleanBadRequests() throws {
        let app = try Self.start()
        defer { app.stop() }
        let api = try API(app)
        let challenge = try Self.challenge(api)
        for garbage in ["", "!!!not base64!!!", Data((0..<300).map { UInt8($0 % 251) }).base64EncodedString(),
                        "-----BEGIN CMS-----\nAAAA\n-----END CMS-----\n"] {
            let response = try api.call("POST", "/api/v1/sessions/signature", json: """
                {"challengeId":"\(challenge.id)","challengeSecret":"\(challenge.secret)","signature":\(JSONText.quoted(garbage))}
                """)
            #expect(response.status == 400, "\(garbage): \(response.text)")
            #expect(response.header("Content-Type") == "application/problem+json")
        }
        // None of those spent the challenge.
        let signature = try SignatureTestPKI.Hierarchy("ecdsa").sign(challenge.text, by: "citizen")
        #expect(try Self.submit(api, challenge, signature: signature).status == 201)
    }

    @Test func issuingIsRateLimitedPerAddress() throws {
        let app = try TestApplication { SignatureTestPKI.configure(&$0); $0.headca.challengesPerMinute = 3 }
        defer { app.stop() }
        let api = try API(app)
        for _ in 0..<3 { _ = try Self.challenge(api) }
        let refused = try api.call("POST", "/api/v1/sessions/signature-challenge", json: "{}")
        #expect(refused.status == 429)
        #expect(refused.header("Retry-After") != nil)
    }

    @Test func apiRegistrationMakesAConfirmedAccountThatLacksTheRest() throws {
        let app = try Self.start(seed: false)
        defer { app.stop() }
        let api = try API(app)
        let hierarchy = try SignatureTestPKI.Hierarchy("gost")
        var challenge = try Self.challenge(api)
        let refused = try Self.submit(api, challenge, signature: try hierarchy.sign(challenge.text, by: "citizen"))
        #expect(refused.status == 404, "\(refused.text)")
        challenge = try Self.challenge(api)
        let response = try Self.submit(api, challenge, signature: try hierarchy.sign(challenge.text, by: "citizen"), register: true)
        #expect(response.status == 201, "\(response.text)")
        let body = try CitizenAPITests.object(response)
        #expect(body["registered"] as? Bool == true)
        let profile = try Self.account(api, try #require(body["token"] as? String))
        #expect(profile["level"] as? String == "confirmed")
        #expect(profile["surname"] as? String == "Иванов")
        #expect(profile["missingData"] as? [String] == ["contact", "password", "passport", "birthDate", "gender"])
        // The next time it is an ordinary login.
        challenge = try Self.challenge(api)
        let again = try Self.submit(api, challenge, signature: try hierarchy.sign(challenge.text, by: "citizen"), register: true)
        #expect(again.status == 201)
        #expect(try CitizenAPITests.object(again)["registered"] == nil)
    }

    // MARK: Browser

    /// Asks for a challenge from the login page; returns the challenge page's path.
    static func startBrowserLogin(_ browser: BrowserClient, login: String = "/login") throws -> String {
        let page = try browser.get(login)
        #expect(page.text.contains(login == "/login" ? "/login/signature" : "/staff/login/signature"))
        let csrf = try #require(BrowserClient.csrfField(in: page.text))
        let started = try browser.post(login + "/signature", [("csrf", csrf)])
        #expect(started.status == 303, "\(started.text)")
        return try #require(started.header("Location"))
    }

    /// Downloads the challenge, signs it and uploads the signature.
    static func upload(_ browser: BrowserClient, _ path: String, _ sign: ([UInt8]) throws -> [UInt8]) throws -> RawResponse {
        let page = try browser.get(path)
        #expect(page.status == 200, "\(page.text)")
        let csrf = try #require(BrowserClient.csrfField(in: page.text))
        let file = try browser.get(path + "/challenge.txt")
        #expect(file.status == 200)
        #expect(file.header("Content-Disposition") == "attachment; filename=\"challenge.txt\"")
        #expect(file.header("Content-Type") == "text/plain; charset=utf-8")
        // The page shows the very text of the download.
        #expect(page.text.contains(HTMLEscape.text(file.text)))
        return try browser.postMultipart(path, fields: [("csrf", csrf)], files: [("signature", "challenge.sig", try sign(file.body))])
    }

    @Test(arguments: SignatureTestPKI.algorithms)
    func browserLoginUploadsTheSignature(algorithm: String) throws {
        let app = try Self.start()
        defer { app.stop() }
        let browser = BrowserClient(port: app.port)
        browser.acceptLanguage = "en"
        let path = try Self.startBrowserLogin(browser)
        #expect(path.hasPrefix("/login/signature/"))
        let done = try Self.upload(browser, path) { try SignatureTestPKI.Hierarchy(algorithm).sign($0, by: "citizen") }
        #expect(done.status == 303, "\(done.text)")
        #expect(done.header("Location") == "/account")
        #expect(browser.cookies["sid"] != nil)
        let account = try browser.get("/account")
        #expect(account.status == 200)
        #expect(account.text.contains("Confirmed"))
        // The challenge is spent: its page now sends the browser back to the login page.
        let spent = try browser.get(path)
        #expect(spent.status == 410)
    }

    @Test func aChallengeBelongsToItsBrowser() throws {
        let app = try Self.start()
        defer { app.stop() }
        let owner = BrowserClient(port: app.port)
        let stranger = BrowserClient(port: app.port)
        stranger.acceptLanguage = "en"
        let path = try Self.startBrowserLogin(owner)
        let text = try owner.get(path + "/challenge.txt").body
        let signature = try SignatureTestPKI.Hierarchy("ecdsa").sign(text, by: "citizen")
        // The stranger neither sees it nor can use it (and gets a challenge of its own instead).
        #expect(try stranger.get(path).status == 403)
        #expect(try stranger.get(path + "/challenge.txt").status == 403)
        let strangerCSRF = try #require(BrowserClient.csrfField(in: try stranger.get("/login").text))
        let refused = try stranger.postMultipart(path, fields: [("csrf", strangerCSRF)], files: [("signature", "s.sig", signature)])
        #expect(refused.status == 403)
        #expect(refused.text.contains("issued to another browser"))
        #expect(stranger.cookies["sid"] == nil)
        // The owner still can.
        let ownerCSRF = try #require(BrowserClient.csrfField(in: try owner.get(path).text))
        let done = try owner.postMultipart(path, fields: [("csrf", ownerCSRF)], files: [("signature", "s.sig", signature)])
        #expect(done.status == 303)
    }

    @Test func malformedUploadsAreCleanPagesAndKeepTheChallenge() throws {
        let app = try Self.start()
        defer { app.stop() }
        let browser = BrowserClient(port: app.port)
        browser.acceptLanguage = "en"
        let path = try Self.startBrowserLogin(browser)
        let csrf = try #require(BrowserClient.csrfField(in: try browser.get(path).text))
        let uploads: [(String, [UInt8], String)] = [
            ("empty", [], "Choose the signature file"),
            ("random", (0..<2000).map { UInt8(truncatingIfNeeded: $0 &* 7919) }, "not a CMS"),
            ("pem", Array("-----BEGIN PKCS7-----\nbm90IGEgY21z\n-----END PKCS7-----\n".utf8), "not a CMS"),
        ]
        for (name, bytes, words) in uploads {
            let response = try browser.postMultipart(path, fields: [("csrf", csrf)], files: [("signature", "x.sig", bytes)])
            #expect(response.status == 400, "\(name): \(response.status)")
            #expect(response.text.contains(words), "\(name)")
            #expect(response.text.contains("aria-invalid=\"true\""), "\(name): the file field is marked")
            #expect(response.text.contains("action=\"\(path)\""), "\(name): the same challenge")
        }
        // A form without the file field, and one that is not multipart at all.
        #expect(try browser.postMultipart(path, fields: [("csrf", csrf)], files: []).status == 400)
        #expect(try browser.post(path, [("csrf", csrf)]).status == 415)
        // Too large: refused by its declared length before the body is read.
        let client = try RawClient(port: app.port)
        try client.send("POST \(path) HTTP/1.1\r\nHost: localhost\r\nContent-Type: multipart/form-data; boundary=x\r\n"
                        + "Content-Length: 5000000\r\n\r\n")
        #expect(try client.readResponse().status == 413)
        // Without the csrf cookie's twin nothing is looked at.
        #expect(try browser.postMultipart(path, fields: [("csrf", "forged")], files: [("signature", "x", [1])]).status == 403)
        // And the challenge is still good.
        let done = try Self.upload(browser, path) { try SignatureTestPKI.Hierarchy("ecdsa").sign($0, by: "citizen") }
        #expect(done.status == 303)
    }

    @Test func aRevokedCertificateIsRefusedOnThePageWithTheReasonAndANewChallenge() throws {
        let app = try Self.start()
        defer { app.stop() }
        let browser = BrowserClient(port: app.port)
        browser.acceptLanguage = "en"
        let path = try Self.startBrowserLogin(browser)
        let refused = try Self.upload(browser, path) { try SignatureTestPKI.Hierarchy("rsa").sign($0, by: "citizen-revoked") }
        #expect(refused.status == 403)
        #expect(refused.text.contains("certificate revoked"))
        #expect(!refused.text.contains("action=\"\(path)\""), "a fresh challenge replaces the spent one")
        #expect(refused.text.contains("action=\"/login/signature/"))
        #expect(browser.cookies["sid"] == nil)
    }

    @Test func aBrowserRegistersWithTheCertificateAndIsAskedForTheRest() throws {
        let app = try Self.start(seed: false)
        defer { app.stop() }
        let browser = BrowserClient(port: app.port)
        browser.acceptLanguage = "en"
        let path = try Self.startBrowserLogin(browser)
        let offer = try Self.upload(browser, path) { try SignatureTestPKI.Hierarchy("ecdsa").sign($0, by: "citizen") }
        #expect(offer.status == 200)
        #expect(offer.text.contains("Register with this certificate"))
        #expect(offer.text.contains("Иванов"))
        #expect(!offer.text.contains("00200000014") && !offer.text.contains("002-000-000 14"), "the SNILS is shown masked")
        let offerID = try #require(BrowserClient.hiddenValue("offer", in: offer.text))
        let csrf = try #require(BrowserClient.csrfField(in: offer.text))
        // Another browser cannot take the offer.
        let stranger = BrowserClient(port: app.port)
        let strangerCSRF = try #require(BrowserClient.csrfField(in: try stranger.get("/login").text))
        let stolen = try stranger.post("/login/signature/register", [("csrf", strangerCSRF), ("offer", offerID)])
        #expect(stolen.status == 403 && stranger.cookies["sid"] == nil)

        let registered = try browser.post("/login/signature/register", [("csrf", csrf), ("offer", offerID)])
        #expect(registered.status == 303, "\(registered.text)")
        #expect(registered.header("Location") == "/account")
        let account = try browser.get("/account")
        #expect(account.text.contains("Confirmed"))
        #expect(account.text.contains("Complete your account"))
        for link in ["/account/contact", "/account/password/set", "/account/details"] {
            #expect(account.text.contains("href=\"\(link)\""), "\(link)")
        }
        // An offer serves once.
        #expect(try browser.post("/login/signature/register", [("csrf", csrf), ("offer", offerID)]).status == 404)

        // The first password, in the fresh signature session; then the birth date and gender.
        let setPage = try browser.get("/account/password/set")
        let token = try #require(BrowserClient.csrfField(in: setPage.text))
        let set = try browser.post("/account/password/set", [("csrf", token), ("password", "Zvezda-Polyarnaya-77"),
                                                             ("passwordRepeat", "Zvezda-Polyarnaya-77")])
        #expect(set.status == 303 && set.header("Location") == "/account", "\(set.text)")
        let details = try browser.post("/account/details", [("csrf", token), ("birthDate", "1980-02-03"), ("gender", "male")])
        #expect(details.status == 303 && details.header("Location") == "/documents", "\(details.text)")
        let after = try browser.get("/account")
        #expect(!after.text.contains("href=\"/account/password/set\""))
        #expect(!after.text.contains("href=\"/account/details\""))
        #expect(after.text.contains("href=\"/account/contact\""))
        // The new password works for the SNILS.
        let api = try API(app)
        #expect(try api.call("POST", "/api/v1/sessions", json: #"{"login":"002-000-000 14","password":"Zvezda-Polyarnaya-77"}"#)
                    .status == 201)
    }

    // MARK: Staff

    @Test func staffLogInToTheConsoleWithTheirCertificate() throws {
        let app = try Self.start(seed: false)
        defer { app.stop() }
        _ = try app.application.activation.staff.add(login: "vasiliev", displayName: "Васильев Андрей", role: .serviceAdmin,
                                                     centreID: nil, snils: "002-000-100 17", password: "Stoyka-2024-okno-7")
        let browser = BrowserClient(port: app.port)
        let path = try Self.startBrowserLogin(browser, login: "/staff/login")
        #expect(path.hasPrefix("/staff/login/signature/"))
        let done = try Self.upload(browser, path) { try SignatureTestPKI.Hierarchy("gost").sign($0, by: "staff") }
        #expect(done.status == 303, "\(done.text)")
        #expect(done.header("Location") == "/staff")
        #expect(browser.cookies["staff_sid"] != nil && browser.cookies["sid"] == nil)
        #expect(try browser.get("/staff").status == 200)

        // A citizen challenge does not open the console, nor a citizen's certificate.
        let api = try API(app)
        let citizenChallenge = try Self.challenge(api)
        let signature = try SignatureTestPKI.Hierarchy("gost").sign(citizenChallenge.text, by: "staff")
        #expect(try Self.submit(api, citizenChallenge, signature: signature, staff: true).status == 403)
        let challenge = try Self.challenge(api, staff: true)
        let citizen = try Self.submit(api, challenge, signature: try SignatureTestPKI.Hierarchy("gost").sign(challenge.text, by: "citizen"),
                                      staff: true)
        #expect(citizen.status == 403)
        let staffChallenge = try Self.challenge(api, staff: true)
        let token = try Self.submit(api, staffChallenge, signature: try SignatureTestPKI.Hierarchy("ecdsa").sign(staffChallenge.text, by: "staff"),
                                    staff: true)
        #expect(token.status == 201, "\(token.text)")
    }

    // MARK: Verification API

    @Test func theVerificationAPIReportsSignaturesAndCertificates() throws {
        let app = try Self.start(seed: false)
        defer { app.stop() }
        _ = try app.application.activation.staff.add(login: "vasiliev", displayName: "Васильев Андрей", role: .serviceAdmin,
                                                     centreID: nil, snils: "002-000-100 17", password: "Stoyka-2024-okno-7")
        let api = try API(app)
        let challenge = try Self.challenge(api, staff: true)
        let login = try Self.submit(api, challenge, signature: try SignatureTestPKI.Hierarchy("ecdsa").sign(challenge.text, by: "staff"),
                                    staff: true)
        let token = try #require(try CitizenAPITests.object(login)["token"] as? String)
        let rsa = try SignatureTestPKI.Hierarchy("rsa")
        let content = Array("Договор № 17 от 1 марта".utf8)
        func verify(_ json: String, token: String? = token) throws -> RawResponse {
            try api.call("POST", "/api/v1/signatures/verify", json: json, token: token)
        }
        let base64 = { (bytes: [UInt8]) in Data(bytes).base64EncodedString() }

        let valid = try verify(#"{"signature":"\#(base64(try rsa.sign(content, by: "citizen")))","content":"\#(base64(content))"}"#)
        #expect(valid.status == 200, "\(valid.text)")
        var body = try CitizenAPITests.object(valid)
        #expect(body["valid"] as? Bool == true && body["signatureValid"] as? Bool == true && body["trusted"] as? Bool == true)
        let signer = try #require(body["signer"] as? [String: Any])
        #expect(signer["snils"] as? String == "00200000014")
        #expect(signer["inn"] as? String == "770000000082")
        #expect((body["chain"] as? [String])?.count == 3)
        #expect(body["verifiedAt"] is String)

        let attached = try verify(#"{"signature":"\#(base64(try rsa.sign(content, by: "citizen", detached: false)))"}"#)
        #expect(try CitizenAPITests.object(attached)["valid"] as? Bool == true)

        let tampered = try verify(#"{"signature":"\#(base64(try rsa.sign(content, by: "citizen")))","content":"\#(base64(content + [0x20]))"}"#)
        body = try CitizenAPITests.object(tampered)
        #expect(tampered.status == 200)
        #expect(body["valid"] as? Bool == false && body["signatureValid"] as? Bool == false)
        #expect((body["failures"] as? [[String: Any]])?.first?["code"] as? String == "signature_invalid")

        let revoked = try verify(#"{"certificate":\#(JSONText.quoted(try rsa.leaf("citizen-revoked").certificate.pem()))}"#)
        body = try CitizenAPITests.object(revoked)
        #expect(body["valid"] as? Bool == false && body["trusted"] as? Bool == false && body["signatureValid"] == nil)
        #expect((body["failures"] as? [[String: Any]])?.compactMap { $0["code"] as? String } == ["revoked"])
        let bare = try verify(#"{"certificate":"\#(base64(try rsa.leaf("citizen").certificate.derBytes))"}"#)
        #expect(try CitizenAPITests.object(bare)["valid"] as? Bool == true)

        for garbage in [#"{"signature":"AAAA"}"#, #"{"certificate":"bm9wZQ"}"#, #"{}"#,
                        #"{"signature":"\#(base64(try rsa.sign(content, by: "citizen")))"}"#, "not json"] {
            let response = try verify(garbage)
            #expect(response.status == 400, "\(garbage): \(response.text)")
            #expect(response.header("Content-Type") == "application/problem+json")
        }
        let anonymous = try verify(#"{"certificate":"\#(base64(try rsa.leaf("citizen").certificate.derBytes))"}"#, token: nil)
        #expect(anonymous.status == 401)
        let citizenToken = try verify(#"{"certificate":"AAAA"}"#, token: "not-a-staff-token")
        #expect(citizenToken.status == 401)
    }
}

/// HTML-escapes text as the pages do, to find a value inside a page.
enum HTMLEscape {
    static func text(_ value: String) -> String {
        value.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
            .replacingOccurrences(of: "'", with: "&#39;")
    }
}
