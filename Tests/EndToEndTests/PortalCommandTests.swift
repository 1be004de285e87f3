import Foundation
@testable import OpenESIAServer
import Testing
import TestSupport

/// `openesia portal …` on the real binary, and a running server seeing what the command line changed.
@Suite struct PortalCommandTests {
    /// The binary and a new data folder made by `openesia init` with the example keys (the caller removes it).
    static func dataFolder(_ prefix: String) throws -> (binary: String, folder: URL, config: String) {
        let binary = try #require(OpenESIABinary.path)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)")
        let keys = OpenESIABinary.packageRoot.appendingPathComponent("keys-example").path
        #expect(try OpenESIABinary.run(binary, ["init", "--data", folder.path, "--keys-from", keys]).status == 0)
        return (binary, folder, folder.appendingPathComponent("config.json").path)
    }

    @Test func theAuditHeadAnchorsAVerification() throws {
        let (binary, folder, config) = try Self.dataFolder("openesia-audit")
        defer { try? FileManager.default.removeItem(at: folder) }
        let quiet = ["OPENESIA_LOG_LEVEL": "warning"]
        // Registering a portal writes an audit record, so there is a head.
        #expect(try OpenESIABinary.run(binary, ["portal", "add", "--client-id", "p1", "--name", "P", "--redirect-uri", "https://p.example/cb",
                                                "--config", config], environment: quiet).status == 0)
        let head = try OpenESIABinary.run(binary, ["audit", "head", "--config", config], environment: quiet)
        #expect(head.status == 0)
        // The last line (the development-keys warning comes first).
        let anchor = String(head.output.split(separator: "\n").last ?? "")
        #expect(anchor.range(of: "^[0-9]+:[0-9a-f]{64}$", options: .regularExpression) != nil, "\(anchor)")
        #expect(try OpenESIABinary.run(binary, ["audit", "verify", "--anchor", anchor, "--config", config], environment: quiet).status == 0)
        let sequence = try #require(Int(anchor.split(separator: ":")[0]))
        let beyond = "\(sequence + 5):" + String(anchor.split(separator: ":")[1])
        let cut = try OpenESIABinary.run(binary, ["audit", "verify", "--anchor", beyond, "--config", config], environment: quiet)
        #expect(cut.status == 65 && cut.output.contains("cut short"))
        #expect(try OpenESIABinary.run(binary, ["audit", "verify", "--anchor", "nonsense", "--config", config], environment: quiet).status == 64)
    }

    @Test func portalsAreManagedFromTheCommandLine() throws {
        let (binary, folder, config) = try Self.dataFolder("openesia-portals")
        defer { try? FileManager.default.removeItem(at: folder) }
        let quiet = ["OPENESIA_LOG_LEVEL": "warning"]
        func portal(_ arguments: [String]) throws -> (status: Int32, output: String) {
            try OpenESIABinary.run(binary, ["portal"] + arguments + ["--config", config], environment: quiet)
        }

        let added = try portal(["add", "--client-id", "city-portal", "--name", "Городской портал", "--redirect-uri", "https://city.example/cb",
                                "--redirect-uri", "http://127.0.0.1:8080/cb", "--scopes", "openid fullname snils", "--min-level", "standard"])
        #expect(added.status == 0)
        #expect(added.output.contains("Registered portal city-portal (oidc, client_secret_basic, ES256 tokens)."))
        #expect(added.output.contains("shown only this once"))
        let secret = try #require(added.output.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.first { $0.count == 43 })

        // Any certificate does for registration: the development TLS one stands in for an information system's.
        let certificate = OpenESIABinary.packageRoot.appendingPathComponent("keys-example/tls/localhost.crt")
        let esia = try portal(["add", "--client-id", "INSP03211", "--name", "ИС", "--redirect-uri", "https://esia.example/cb", "--dialect", "esia",
                               "--alg", "GOST3410_2012_256", "--cert", certificate.path, "--pinned"])
        #expect(esia.status == 0 && esia.output.contains("without a client secret"))

        let duplicate = try portal(["add", "--client-id", "CITY-PORTAL", "--name", "x", "--redirect-uri", "https://x.example/cb"])
        #expect(duplicate.status == 73)
        let invalid = try portal(["add", "--client-id", "p", "--name", "x", "--redirect-uri", "http://x.example/cb", "--alg", "GOST3410_2012_256"])
        #expect(invalid.status == 65)
        #expect(invalid.output.contains("--redirect-uri http://x.example/cb: must be https"))
        #expect(invalid.output.contains("--alg: not for this dialect"))
        #expect(try portal(["add", "--client-id", "p", "--name", "x", "--redirect-uri", "https://x.example/cb"]).status == 0)
        #expect(try portal(["add", "--client-id", "q", "--name", "x"]).status == 64)
        let missingFile = try portal(["add", "--client-id", "r", "--name", "x", "--redirect-uri", "https://x.example/cb", "--dialect", "esia",
                                      "--cert", "/nonexistent/portal.pem"])
        #expect(missingFile.status == 66)

        let list = try portal(["list"])
        #expect(list.status == 0)
        let lines = list.output.split(separator: "\n").filter { !$0.hasPrefix("{") }
        #expect(lines.first?.hasPrefix("CLIENT ID") == true && lines.count == 4)
        let shown = try portal(["show", "INSP03211"])
        #expect(shown.status == 0 && shown.output.contains(#""signingAlgorithm" : "GOST3410_2012_256""#))
        #expect(shown.output.contains(#""pinned" : true"#))
        let city = try portal(["show", "city-portal"])
        #expect(!city.output.contains(secret) && !city.output.lowercased().contains("hash"))
        #expect(try portal(["show", "nobody"]).status == 66)

        #expect(try portal(["disable", "city-portal"]).output.contains("Portal city-portal is disabled."))
        #expect(try portal(["disable", "city-portal"]).output.contains("already disabled"))
        #expect(try portal(["enable", "city-portal"]).status == 0)
        #expect(try portal(["rotate-secret", "INSP03211"]).status == 65)
        let rotated = try portal(["rotate-secret", "city-portal", "--grace-seconds", "600"])
        #expect(rotated.status == 0 && rotated.output.contains("The previous secret keeps working until"))
        let newSecret = try #require(rotated.output.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.first { $0.count == 43 })

        // The server over this data folder holds what the command line wrote: both secrets work during the grace period.
        let app = try TestApplication { $0.database.path = folder.appendingPathComponent("openesia.sqlite3").path }
        defer { app.stop() }
        #expect(app.application.portals.verifySecret(clientID: "city-portal", presented: newSecret))
        #expect(app.application.portals.verifySecret(clientID: "city-portal", presented: secret))
        #expect(try app.application.portals.list().map(\.clientID) == ["city-portal", "INSP03211", "p"])

        // Beside the running server, the command line disables a portal; the server sees it within its revalidation interval.
        #expect(try portal(["disable", "city-portal"]).status == 0)
        let deadline = Date().addingTimeInterval(5)
        while app.application.portals.verifySecret(clientID: "city-portal", presented: newSecret) && Date() < deadline {
            Thread.sleep(forTimeInterval: 0.1)
        }
        #expect(!app.application.portals.verifySecret(clientID: "city-portal", presented: newSecret))

        // Seven portal records, and the three signing keys (ES256, RS256, GOST) the server made at its start.
        let audit = try OpenESIABinary.run(binary, ["audit", "verify", "--config", config], environment: quiet)
        // 7 portal records, plus the 3 token-signing keys the server made at its first start.
        #expect(audit.status == 0 && audit.output.contains("Audit log intact: 10 records."))
    }
}
