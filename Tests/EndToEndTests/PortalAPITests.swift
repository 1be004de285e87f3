import Activation
import Crypto
import Foundation
@testable import OpenESIAServer
import Storage
import Testing
import TestSupport

/// The portal admin API (`/staff/api/portals`): service-admin staff only, field-named validation errors, secrets once.
@Suite struct PortalAPITests {
    static let password = "Staff-Password-2026-long"

    /// A bearer token of a new staff account with this role (a centre is needed for all but service-admin).
    private func token(_ app: TestApplication, _ login: String, _ role: StaffRole) throws -> String {
        var centre: String?
        if role.needsCentre {
            let csv = try String(contentsOf: OpenESIABinary.packageRoot.appendingPathComponent("docs/examples/service-centres.csv"), encoding: .utf8)
            _ = try app.application.activation.centres.importCSV(csv)
            centre = try app.application.activation.centres.search(limit: 1).first?.id
        }
        let uri = try app.application.activation.staff.add(login: login, displayName: login, role: role, centreID: centre, snils: nil,
                                                          password: Self.password).totpURI
        let range = try #require(uri.range(of: "secret="))
        let secret = try #require(Base32.decode(String(uri[range.upperBound...].prefix { $0 != "&" })))
        let login = try call(app, "POST", "/staff/api/sessions", token: nil,
                             body: #"{"login":"\#(login)","password":"\#(Self.password)","code":"\#(TOTP.code(secret: secret, time: Date()))"}"#)
        #expect(login.status == 201)
        return try #require(try json(login)["token"] as? String)
    }

    private func call(_ app: TestApplication, _ method: String, _ path: String, token: String?, body: String? = nil) throws -> RawResponse {
        let client = try RawClient(port: app.port)
        var head = "\(method) \(path) HTTP/1.1\r\nHost: x\r\n"
        if let token { head += "Authorization: Bearer \(token)\r\n" }
        if let body { head += "Content-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n" } else { head += "Content-Length: 0\r\n" }
        try client.send(head + "\r\n" + (body ?? ""))
        return try client.readResponse()
    }

    private func json(_ response: RawResponse) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any])
    }

    /// The problem document's field errors as "field: code".
    private func fieldErrors(_ response: RawResponse) throws -> [String] {
        let errors = try json(response)["errors"] as? [[String: String]] ?? []
        return errors.map { "\($0["field"] ?? ""): \($0["code"] ?? "")" }
    }

    private func portalRows(_ app: TestApplication) throws -> Int {
        try app.application.database.read { try $0.queryOne("SELECT COUNT(*) FROM portals")!.int(0) }
    }

    static let portal = #"{"clientId":"city-portal","name":"Городской портал","redirectUris":["https://city.example/cb"],"scopes":["openid","fullname"],"minimumLevel":"standard"}"#

    /// A client credentials token of `clientID` for `scope`, through the token endpoint.
    private func serviceToken(_ app: TestApplication, _ clientID: String, _ secret: String, scope: String) throws -> String {
        let client = try RawClient(port: app.port)
        let form = "grant_type=client_credentials&scope=\(scope)"
        let basic = Data("\(clientID):\(secret)".utf8).base64EncodedString()
        try client.send("POST /oauth2/token HTTP/1.1\r\nHost: x\r\nAuthorization: Basic \(basic)\r\n"
            + "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: \(form.utf8.count)\r\n\r\n\(form)")
        let response = try client.readResponse()
        #expect(response.status == 200, "\(response.text)")
        return try #require(try json(response)["access_token"] as? String)
    }

    @Test func programsCallTheAdminAndVerificationAPIsWithServiceScopedTokens() throws {
        let app = try TestApplication()
        defer { app.stop() }
        let adminToken = try token(app, "root", .serviceAdmin)
        let robot = try call(app, "POST", "/staff/api/portals", token: adminToken, body: #"""
            {"clientId":"robot","name":"Robot","redirectUris":["https://robot.example/cb"],"scopes":["openid","admin","signatures"]}
            """#)
        #expect(robot.status == 201, "\(robot.text)")
        let secret = try #require(try json(robot)["clientSecret"] as? String)

        // A service scope is never asked of a citizen, even by a portal allowed it.
        let asked = try call(app, "GET", "/oauth2/authorize?response_type=code&client_id=robot&redirect_uri=https%3A%2F%2Frobot.example%2Fcb"
            + "&scope=openid%20admin&state=s1&nonce=n1", token: nil)
        #expect(asked.status == 303 && asked.header("Location")?.contains("error=invalid_scope") == true, "\(asked.status)")

        // `admin` opens the portal admin API; what the program does is audited as the portal.
        let admin = try serviceToken(app, "robot", secret, scope: "admin")
        #expect(try call(app, "GET", "/staff/api/portals", token: admin).status == 200)
        #expect(try call(app, "POST", "/staff/api/portals", token: admin, body: Self.portal).status == 201)
        let actors = try app.application.database.read { db in
            try db.query("SELECT actor FROM audit_log WHERE kind = 'portal.added' ORDER BY sequence").map { try $0.string("actor") }
        }
        #expect(actors.last == "portal:robot")
        // ...but not the verification API, and `signatures` not the admin API: 403 insufficient_scope.
        let certificate = #"{"certificate":"MIIB"}"#
        let wrongScope = try call(app, "POST", "/api/v1/signatures/verify", token: admin, body: certificate)
        #expect(wrongScope.status == 403)
        #expect(wrongScope.header("WWW-Authenticate")?.contains(#"error="insufficient_scope""#) == true)
        let verifier = try serviceToken(app, "robot", secret, scope: "signatures")
        #expect(try call(app, "GET", "/staff/api/portals", token: verifier).status == 403)
        let verified = try call(app, "POST", "/api/v1/signatures/verify", token: verifier, body: certificate)
        #expect(verified.status != 401 && verified.status != 403, "\(verified.status) \(verified.text)")

        // A token that is not a live client credentials token of an enabled portal is 401 invalid_token.
        let forged = String(admin.dropLast(2)) + (admin.hasSuffix("AA") ? "BB" : "AA")
        let refused = try call(app, "GET", "/staff/api/portals", token: forged)
        #expect(refused.status == 401 && refused.header("WWW-Authenticate")?.contains("invalid_token") == true)
        #expect(try call(app, "POST", "/staff/api/portals/robot/disable", token: adminToken).status == 200)
        #expect(try call(app, "GET", "/staff/api/portals", token: admin).status == 401)
        #expect(try call(app, "POST", "/api/v1/signatures/verify", token: verifier, body: certificate).status == 401)
    }

    @Test func onlyServiceAdminsManagePortals() throws {
        let app = try TestApplication()
        defer { app.stop() }
        let operatorToken = try token(app, "oper", .operator)
        #expect(try call(app, "GET", "/staff/api/portals", token: nil).status == 401)
        #expect(try call(app, "GET", "/staff/api/portals", token: "not-a-session").status == 401)
        let refused = try call(app, "POST", "/staff/api/portals", token: operatorToken, body: Self.portal)
        #expect(refused.status == 403)
        #expect(refused.header("Content-Type") == "application/problem+json")
        #expect(try call(app, "GET", "/staff/api/portals", token: operatorToken).status == 403)
        #expect(try portalRows(app) == 0)
        let denied = try app.application.database.read { db in
            try db.query("SELECT actor, details FROM audit_log WHERE kind = 'portal.denied' ORDER BY sequence").map { try $0.string("details") }
        }
        #expect(denied.count == 2 && denied[0].contains(#""action":"add""#))

        let adminToken = try token(app, "root", .serviceAdmin)
        let created = try call(app, "POST", "/staff/api/portals", token: adminToken, body: Self.portal)
        #expect(created.status == 201)
        #expect(created.header("Location") == "/staff/api/portals/city-portal")
        #expect(created.header("Cache-Control") == "no-store")
        let body = try json(created)
        let secret = try #require(body["clientSecret"] as? String)
        #expect(secret.count == 43)
        #expect(body["minimumLevel"] as? String == "standard" && body["hasSecret"] as? Bool == true)
        #expect(app.application.portals.verifySecret(clientID: "city-portal", presented: secret))

        // Reading it back never shows the secret, or anything of its hash.
        let shown = try call(app, "GET", "/staff/api/portals/city-portal", token: adminToken)
        #expect(shown.status == 200)
        #expect(try json(shown)["clientSecret"] == nil && !shown.text.contains(secret) && !shown.text.lowercased().contains("hash"))
        let listed = try json(try call(app, "GET", "/staff/api/portals", token: adminToken))["portals"] as? [[String: Any]]
        #expect(listed?.map { $0["clientId"] as? String } == ["city-portal"])
        let audited = try app.application.database.read { db in
            try db.query("SELECT actor FROM audit_log WHERE kind = 'portal.added'").map { try $0.string(0) }
        }
        #expect(audited == ["staff:2"])
    }

    @Test func validationErrorsNameTheFieldsAndWriteNothing() throws {
        let app = try TestApplication()
        defer { app.stop() }
        let adminToken = try token(app, "root", .serviceAdmin)
        let bad = try call(app, "POST", "/staff/api/portals", token: adminToken, body: """
            {"clientId":"p","name":"P","redirectUris":["https://p.example/cb","http://p.example/cb#x"],"signingAlgorithm":"GOST3410_2012_256",
             "authMethods":["none","client_secret_basic"]}
            """)
        #expect(bad.status == 422)
        #expect(try fieldErrors(bad) == ["redirectUris[1]: fragmentNotAllowed", "signingAlgorithm: notForDialect", "authMethods: noneNotAlone"])
        let http = try call(app, "POST", "/staff/api/portals", token: adminToken,
                            body: #"{"clientId":"p","name":"P","redirectUris":["http://p.example/cb"]}"#)
        #expect(try fieldErrors(http) == ["redirectUris[0]: httpsRequired"])
        let typo = try call(app, "POST", "/staff/api/portals", token: adminToken,
                            body: #"{"clientId":"p","name":"P","redirectUris":["https://p.example/cb"],"minimumlevel":"confirmed"}"#)
        #expect(try typo.status == 422 && fieldErrors(typo) == ["minimumlevel: unknownField"])
        let esia = try call(app, "POST", "/staff/api/portals", token: adminToken,
                            body: #"{"clientId":"INSP03211","name":"P","redirectUris":["https://p.example/cb"],"dialect":"esia"}"#)
        #expect(try fieldErrors(esia) == ["certificate: certificateRequired"])
        #expect(try call(app, "POST", "/staff/api/portals", token: adminToken, body: "{").status == 400)
        #expect(try portalRows(app) == 0)
        let kinds = try app.application.database.read { try $0.query("SELECT kind FROM audit_log WHERE kind LIKE 'portal.%'") }
        #expect(kinds.isEmpty)

        #expect(try call(app, "POST", "/staff/api/portals", token: adminToken, body: Self.portal).status == 201)
        let twin = try call(app, "POST", "/staff/api/portals", token: adminToken, body: Self.portal.replacingOccurrences(of: "city-portal", with: "CITY-PORTAL"))
        #expect(try twin.status == 409 && fieldErrors(twin) == ["clientId: duplicate"])
        #expect(try portalRows(app) == 1)
    }

    @Test func aPortalIsReplacedDisabledEnabledAndGivenANewSecret() throws {
        let app = try TestApplication()
        defer { app.stop() }
        let adminToken = try token(app, "root", .serviceAdmin)
        let first = try #require(try json(try call(app, "POST", "/staff/api/portals", token: adminToken, body: Self.portal))["clientSecret"] as? String)

        let replaced = try call(app, "PUT", "/staff/api/portals/city-portal", token: adminToken, body: """
            {"name":"Портал города","redirectUris":["https://city.example/cb","http://localhost:3000/cb"],"authMethods":["none"]}
            """)
        #expect(replaced.status == 200)
        let body = try json(replaced)
        #expect(body["name"] as? String == "Портал города" && body["publicClient"] as? Bool == true && body["hasSecret"] as? Bool == false)
        #expect(body["minimumLevel"] as? String == "simplified", "a PUT replaces every setting")
        #expect(!app.application.portals.verifySecret(clientID: "city-portal", presented: first))
        #expect(try call(app, "POST", "/staff/api/portals/city-portal/rotate-secret", token: adminToken).status == 409)
        let renamed = try call(app, "PUT", "/staff/api/portals/city-portal", token: adminToken,
                               body: #"{"clientId":"other","name":"P","redirectUris":["https://city.example/cb"]}"#)
        #expect(try fieldErrors(renamed) == ["clientId: notAllowed"])
        #expect(try call(app, "PUT", "/staff/api/portals/nobody", token: adminToken, body: Self.portal).status == 404)

        let secretAgain = try call(app, "PUT", "/staff/api/portals/city-portal", token: adminToken,
                                   body: #"{"name":"P","redirectUris":["https://city.example/cb"],"authMethods":["client_secret_post"]}"#)
        let second = try #require(try json(secretAgain)["clientSecret"] as? String)
        let rotated = try call(app, "POST", "/staff/api/portals/city-portal/rotate-secret", token: adminToken, body: #"{"graceSeconds":600}"#)
        #expect(rotated.status == 200)
        let third = try #require(try json(rotated)["clientSecret"] as? String)
        #expect(try json(rotated)["previousSecretValidUntil"] is String)
        #expect(app.application.portals.verifySecret(clientID: "city-portal", presented: second))
        #expect(app.application.portals.verifySecret(clientID: "city-portal", presented: third))
        #expect(try fieldErrors(try call(app, "POST", "/staff/api/portals/city-portal/rotate-secret", token: adminToken,
                                          body: #"{"graceSeconds":99999999}"#)) == ["graceSeconds: outOfRange"])

        let disabled = try call(app, "POST", "/staff/api/portals/city-portal/disable", token: adminToken)
        #expect(try disabled.status == 200 && json(disabled)["enabled"] as? Bool == false)
        #expect(!app.application.portals.verifySecret(clientID: "city-portal", presented: third))
        #expect(try json(try call(app, "POST", "/staff/api/portals/city-portal/enable", token: adminToken))["enabled"] as? Bool == true)
        #expect(try call(app, "POST", "/staff/api/portals/nobody/disable", token: adminToken).status == 404)
        #expect(try call(app, "GET", "/staff/api/portals/no%20body", token: adminToken).status == 404)
        let kinds = try app.application.database.read { db in
            try db.query("SELECT kind FROM audit_log WHERE kind LIKE 'portal.%' ORDER BY sequence").map { try $0.string(0) }
        }
        #expect(kinds == ["portal.added", "portal.updated", "portal.updated", "portal.secret.rotated", "portal.disabled", "portal.enabled"])
    }
}
