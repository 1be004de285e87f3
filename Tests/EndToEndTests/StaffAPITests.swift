import Activation
import Citizens
import Crypto
import Foundation
@testable import OpenESIAServer
import Storage
import Testing
import TestSupport

/// The staff API: bearer sessions from password + TOTP, and letters' progress recorded by a service-admin.
@Suite struct StaffAPITests {
    static let password = "Staff-Password-2026-long"

    private func addStaff(_ app: TestApplication, _ login: String, _ role: StaffRole, centre: String?) throws -> [UInt8] {
        let enrolment = try app.application.activation.staff.add(login: login, displayName: login, role: role, centreID: centre,
                                                                 snils: nil, password: Self.password)
        let uri = enrolment.totpURI
        let range = try #require(uri.range(of: "secret="))
        return try #require(Base32.decode(String(uri[range.upperBound...].prefix { $0 != "&" })))
    }

    private func token(_ app: TestApplication, _ login: String, _ secret: [UInt8]) throws -> String {
        let client = try RawClient(port: app.port)
        let body = #"{"login":"\#(login)","password":"\#(Self.password)","code":"\#(TOTP.code(secret: secret, time: Date()))"}"#
        try client.send("POST /staff/api/sessions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)")
        let response = try client.readResponse()
        #expect(response.status == 201)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any])
        return try #require(object["token"] as? String)
    }

    private func mark(_ app: TestApplication, letter: Int64, token: String?, body: String) throws -> RawResponse {
        let client = try RawClient(port: app.port)
        let auth = token.map { "Authorization: Bearer \($0)\r\n" } ?? ""
        try client.send("POST /staff/api/letters/\(letter)/state HTTP/1.1\r\nHost: x\r\n\(auth)Content-Type: application/json\r\n"
            + "Content-Length: \(body.utf8.count)\r\n\r\n\(body)")
        return try client.readResponse()
    }

    @Test func aServiceAdminRecordsALettersProgressAndOthersCannot() throws {
        let app = try TestApplication()
        defer { app.stop() }
        let csv = try String(contentsOf: URL(fileURLWithPath: TestApplication.exampleKeys).deletingLastPathComponent()
            .appendingPathComponent("docs/examples/service-centres.csv"), encoding: .utf8)
        let centres = app.application.activation.centres
        _ = try centres.importCSV(csv)
        let centre = try #require(try centres.search(limit: 1).first).id

        // A standard-level citizen with a printed letter.
        let citizens = app.application.citizens.service
        try citizens.seedSynthetic(count: 1, password: "Seed-Password-2026")
        let citizenID = try #require(try citizens.citizenID(snils: CitizenService.syntheticSNILS(0)))
        let activation = app.application.activation.activation
        let letter = try activation.requestLetter(citizenID: citizenID, source: nil)
        let batch = try activation.exportBatch(outputDirectory: app.folder.appendingPathComponent("print").path, actor: "test")
        #expect(batch?.letters == 1)

        let adminToken = try token(app, "root", try addStaff(app, "root", .serviceAdmin, centre: nil))
        let operatorToken = try token(app, "oper", try addStaff(app, "oper", .operator, centre: centre))

        #expect(try mark(app, letter: letter, token: nil, body: #"{"state":"delivered"}"#).status == 401)
        #expect(try mark(app, letter: letter, token: operatorToken, body: #"{"state":"dispatched","trackingNumber":"10100012345678"}"#).status == 403)
        #expect(try mark(app, letter: letter, token: adminToken, body: #"{"state":"lost"}"#).status == 422)
        #expect(try mark(app, letter: letter, token: adminToken, body: #"{"state":"dispatched"}"#).status == 422)
        #expect(try mark(app, letter: letter, token: adminToken, body: #"{"state":"dispatched","trackingNumber":"10100012345678"}"#).status == 204)
        #expect(try activation.status(citizenID: citizenID).letter?.state == .dispatched)
        // Forward only: a dispatched letter cannot be dispatched again.
        #expect(try mark(app, letter: letter, token: adminToken, body: #"{"state":"dispatched","trackingNumber":"10100012345678"}"#).status == 409)
        #expect(try mark(app, letter: letter, token: adminToken, body: #"{"state":"returned"}"#).status == 204)
        #expect(try mark(app, letter: 999, token: adminToken, body: #"{"state":"delivered"}"#).status == 404)
    }

    @Test func wrongTOTPGetsTheSameAnswerAsAnUnknownLogin() throws {
        let app = try TestApplication()
        defer { app.stop() }
        _ = try addStaff(app, "root", .serviceAdmin, centre: nil)
        var statuses: [Int] = []
        for login in ["root", "nobody"] {
            let client = try RawClient(port: app.port)
            let body = #"{"login":"\#(login)","password":"\#(Self.password)","code":"000000"}"#
            try client.send("POST /staff/api/sessions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)")
            let response = try client.readResponse()
            statuses.append(response.status)
            #expect(response.header("Content-Type") == "application/problem+json")
        }
        #expect(statuses == [401, 401])
    }
}

/// `openesia audit verify` on the real binary: intact, then broken after someone with the file rewrote a record.
@Suite struct AuditVerifyCommandTests {
    @Test func theCommandReportsTamperingWithExit65() throws {
        let binary = try #require(OpenESIABinary.path)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("openesia-audit-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let keys = OpenESIABinary.packageRoot.appendingPathComponent("keys-example").path
        let config = folder.appendingPathComponent("config.json").path
        #expect(try OpenESIABinary.run(binary, ["init", "--data", folder.path, "--keys-from", keys]).status == 0)
        let registry = OpenESIABinary.packageRoot.appendingPathComponent("docs/examples/reference-registry.csv").path
        #expect(try OpenESIABinary.run(binary, ["registry", "import", registry, "--config", config]).status == 0)
        #expect(try OpenESIABinary.run(binary, ["dev", "seed", "--citizens", "2", "--config", config]).status == 0)
        let intact = try OpenESIABinary.run(binary, ["audit", "verify", "--config", config])
        #expect(intact.status == 0)
        #expect(intact.output.contains("Audit log intact: 2 records."))

        let raw = try Database(path: folder.appendingPathComponent("openesia.sqlite3").path)
        try raw.write { db in
            for name in ["audit_log_no_update", "audit_log_no_delete", "audit_log_append_at_end"] { try db.execute("DROP TRIGGER \(name)", []) }
            try db.execute("UPDATE audit_log SET actor = 'someone-else' WHERE sequence = 1", [])
        }
        raw.close()
        let broken = try OpenESIABinary.run(binary, ["audit", "verify", "--config", config])
        #expect(broken.status == 65)
        #expect(broken.output.contains("BROKEN at record 1"))
    }
}
