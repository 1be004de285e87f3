import Crypto
import Foundation
import HeadCA
import PKI
import Testing
import TestSupport

/// A root, two CAs it issued and one CA of a stranger root, written as PEM files into `folder`.
private struct Hierarchy {
    let root: Certificate
    let rootKey: PrivateKey
    let ca: Certificate
    let second: Certificate
    let stranger: Certificate

    init() throws {
        let now = Date()
        rootKey = try PrivateKey.generateP256()
        root = try CertificateIssuer.makeRoot(subject: SubjectName(commonName: "E2E Head CA"), key: rootKey,
                                              validFrom: now - 86_400, validUntil: now + 3650 * 86_400)
        func issueCA(_ name: String, _ issuer: Certificate, _ issuerKey: PrivateKey) throws -> Certificate {
            try CertificateIssuer.issue(subject: SubjectName(commonName: name), subjectKey: try PrivateKey.generateP256(), profile: .accreditedCA,
                                        issuer: issuer, issuerKey: issuerKey, validFrom: now - 86_400, validUntil: now + 1000 * 86_400)
        }
        ca = try issueCA("E2E CA", root, rootKey)
        second = try issueCA("E2E Second CA", root, rootKey)
        let otherKey = try PrivateKey.generateP256()
        let other = try CertificateIssuer.makeRoot(subject: SubjectName(commonName: "Other Root"), key: otherKey, validFrom: now - 86_400,
                                                   validUntil: now + 86_400)
        stranger = try issueCA("Stranger CA", other, otherKey)
    }

    func trustedList(version: Int) -> String {
        HeadCA.TrustedListWriter.write(version: version, date: Date(), authorities: [
            .init(name: "Второй УЦ", registryNumber: "42", ogrn: "1027700000000", inn: "7700000000",
                  periods: [AccreditationPeriod(from: Date() - 10 * 86_400)], crlURLs: ["http://127.0.0.1:9/second.crl"],
                  certificates: [second, stranger]),
        ])
    }
}

/// `openesia ca …` on the real binary over a real data folder.
@Suite struct TrustStoreCommandTests {
    @Test func accreditListImportAndTerminate() throws {
        let binary = try #require(OpenESIABinary.path)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("openesia-ca-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let keys = OpenESIABinary.packageRoot.appendingPathComponent("keys-example").path
        #expect(try OpenESIABinary.run(binary, ["init", "--data", folder.path, "--keys-from", keys]).status == 0)
        let config = folder.appendingPathComponent("config.json").path
        let pki = try Hierarchy()
        func write(_ name: String, _ text: String) throws -> String {
            let path = folder.appendingPathComponent(name).path
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            return path
        }
        _ = try write("root.pem", try pki.root.pem())
        let caFile = try write("ca.pem", try pki.ca.pem())
        // headca.roots relative to the config file's folder.
        var json = try String(contentsOfFile: config, encoding: .utf8)
        json = json.replacingOccurrences(of: #""roots": []"#, with: #""roots": ["root.pem"]"#)
        _ = try write("config.json", json)

        let accredited = try OpenESIABinary.run(binary, ["ca", "accredit", caFile, "--from", "2026-01-01", "--config", config])
        #expect(accredited.status == 0, "\(accredited.output)")
        #expect(accredited.output.contains("Accredited CA 1 (\(pki.ca.sha1ThumbprintHex))"))
        #expect(accredited.output.contains("2026-01-01T00:00:00Z..open"))

        let list = try OpenESIABinary.run(binary, ["ca", "list", "--config", config])
        #expect(list.status == 0)
        #expect(list.output.contains(pki.ca.sha1ThumbprintHex))
        #expect(list.output.contains("accredited"))
        #expect(list.output.contains("Head CA roots: 1; trusted list version: none"))

        let rootRefused = try OpenESIABinary.run(binary, ["ca", "accredit", folder.appendingPathComponent("root.pem").path, "--config", config])
        #expect(rootRefused.status == 65)
        #expect(rootRefused.output.contains("self-signed"))

        let tsl = try write("tsl.xml", pki.trustedList(version: 3))
        let imported = try OpenESIABinary.run(binary, ["ca", "import-tsl", tsl, "--config", config])
        #expect(imported.status == 0, "\(imported.output)")
        #expect(imported.output.contains("Imported trusted list version 3: 1 CAs, 1 certificates added, 0 updated, 1 CRL addresses."))
        #expect(imported.output.contains("warning: Второй УЦ: certificate \(pki.stranger.sha1ThumbprintHex) is not issued by a configured head CA root"))
        let again = try OpenESIABinary.run(binary, ["ca", "import-tsl", tsl, "--config", config])
        #expect(again.status == 0)
        #expect(again.output.contains("nothing changed"))
        let broken = try write("broken.xml", String(pki.trustedList(version: 4).dropLast(40)))
        let refused = try OpenESIABinary.run(binary, ["ca", "import-tsl", broken, "--config", config])
        #expect(refused.status == 65)
        #expect(refused.output.contains("the trusted list was not imported, nothing changed"))
        let listed = try OpenESIABinary.run(binary, ["ca", "list", "--config", config]).output
        #expect(listed.contains("Второй УЦ"))
        #expect(listed.contains("trusted list version: 3"))

        let crl = try CRLBuilder.make(issuer: pki.root, issuerKey: pki.rootKey, entries: [], thisUpdate: Date() - 60,
                                      nextUpdate: Date() + 86_400, number: 1)
        let crlFile = folder.appendingPathComponent("root.crl").path
        try Data(crl).write(to: URL(fileURLWithPath: crlFile))
        let crlImport = try OpenESIABinary.run(binary, ["ca", "import-crl", crlFile, "--config", config])
        #expect(crlImport.status == 0, "\(crlImport.output)")
        #expect(crlImport.output.contains("Accepted the CRL of CN=E2E Head CA"))

        #expect(try OpenESIABinary.run(binary, ["ca", "terminate", pki.ca.sha1ThumbprintHex, "--config", config]).status == 0)
        let comeback = try OpenESIABinary.run(binary, ["ca", "accredit", caFile, "--config", config])
        #expect(comeback.status == 65)
        #expect(comeback.output.contains("cannot be accredited again"))
        #expect(try OpenESIABinary.run(binary, ["ca", "suspend", "99", "--config", config]).status == 65)
        #expect(try OpenESIABinary.run(binary, ["ca", "accredit", "missing.pem", "--config", config]).status == 66)

        let audit = try OpenESIABinary.run(binary, ["audit", "verify", "--config", config])
        #expect(audit.status == 0)
        #expect(audit.output.contains("Audit log intact: 4 records."))  // accredited, tsl.imported, crl.accepted, terminated
    }

    /// A running server picks up a CA accredited by the command line in another process, without a restart.
    @Test func aRunningServerSeesChangesMadeByTheCommandLine() throws {
        let binary = try #require(OpenESIABinary.path)
        let pki = try Hierarchy()
        let rootsFolder = FileManager.default.temporaryDirectory.appendingPathComponent("openesia-roots-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: rootsFolder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: rootsFolder) }
        let rootFile = rootsFolder.appendingPathComponent("root.pem").path
        try pki.root.pem().write(toFile: rootFile, atomically: true, encoding: .utf8)
        let app = try TestApplication { $0.headca.roots = [rootFile] }
        defer { app.stop() }
        #expect(app.application.headCA.trustStore.roots.count == 1)
        #expect(app.application.headCA.trustStore.accreditedCAs.isEmpty)

        let config = app.folder.appendingPathComponent("config.json").path
        try """
            {"database": {"path": "\(app.application.configuration.database.path)"}, "keys": {"directory": "\(TestApplication.exampleKeys)"},
             "headca": {"roots": ["\(rootFile)"]}}
            """.write(toFile: config, atomically: true, encoding: .utf8)
        let caFile = app.folder.appendingPathComponent("ca.pem").path
        try pki.ca.pem().write(toFile: caFile, atomically: true, encoding: .utf8)
        let result = try OpenESIABinary.run(binary, ["ca", "accredit", caFile, "--config", config])
        #expect(result.status == 0, "\(result.output)")

        var seen = false
        for _ in 0..<150 where !seen {
            seen = app.application.headCA.trustStore.accreditedCAs.count == 1
            if !seen { usleep(100_000) }
        }
        #expect(seen, "the server reloads within its watch interval")
    }
}
