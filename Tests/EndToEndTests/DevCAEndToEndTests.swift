import Foundation
import PKI
import Testing

/// A hierarchy made by the real binary's `openesia ca` commands, then checked with PKI's ChainVerifier.
@Suite struct DevCAEndToEndTests {
    /// A temporary folder with helpers to run the binary in it.
    private struct Workspace {
        let binary: String
        let folder: URL

        init() throws {
            binary = try #require(OpenESIABinary.path, "the openesia binary is built beside the tests")
            folder = FileManager.default.temporaryDirectory.appendingPathComponent("openesia-devca-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        }

        func path(_ name: String) -> String { folder.appendingPathComponent(name).path }

        /// Runs `openesia ca ARGUMENTS`, relative names resolved in the workspace.
        @discardableResult
        func ca(_ arguments: [String]) throws -> (status: Int32, output: String) {
            try OpenESIABinary.run(binary, ["ca"] + arguments.map { $0.hasPrefix("@") ? path(String($0.dropFirst())) : $0 })
        }

        func certificate(_ name: String) throws -> Certificate {
            try Certificate(pem: String(contentsOfFile: path(name), encoding: .utf8))
        }

        func remove() { try? FileManager.default.removeItem(at: folder) }
    }

    private static let caStart = "2025-01-01T00:00:00Z"

    @Test(arguments: ["ecdsa", "gost256"])
    func hierarchyFromTheCommandLineVerifies(algorithm: String) throws {
        let w = try Workspace()
        defer { w.remove() }
        #expect(try w.ca(["init-head", "--dir", "@head", "--algorithm", algorithm, "--not-before", Self.caStart,
                          "--crl-url", "http://127.0.0.1:8080/pki/head.crl"]).status == 0)
        #expect(try w.ca(["init-accredited", "--dir", "@accredited", "--head", "@head", "--algorithm", algorithm,
                          "--not-before", Self.caStart, "--name", "УЦ Тест", "--ogrn", "1027700000020", "--innle", "7700000023",
                          "--crl-url", "http://127.0.0.1:8080/pki/accredited.crl"]).status == 0)
        let person = ["--profile", "citizen", "--algorithm", algorithm, "--surname", "Иванов", "--given-names", "Иван"]
        #expect(try w.ca(["issue", "--ca", "@accredited", "--out", "@people/citizen", "--cn", "Иванов Иван",
                          "--snils", "002-000-000 14", "--inn", "770000000082"] + person).status == 0)
        #expect(try w.ca(["issue", "--ca", "@accredited", "--out", "@people/revoked", "--cn", "Иванов Иван"] + person).status == 0)
        #expect(try w.ca(["issue", "--ca", "@accredited", "--out", "@people/expired", "--cn", "Иванов Иван",
                          "--not-before", Self.caStart, "--days", "30"] + person).status == 0)
        let revokedAt = Date(timeIntervalSince1970: (Date().timeIntervalSince1970 - 3600).rounded(.down))
        let revoked = try w.ca(["revoke", "--ca", "@accredited", "--cert", "@people/revoked.crt", "--reason", "keyCompromise",
                                "--at", ISO8601DateFormatter().string(from: revokedAt)])
        #expect(revoked.status == 0, "\(revoked.output)")
        let crl = try w.ca(["crl", "--ca", "@accredited", "--days", "10"])
        #expect(crl.status == 0 && crl.output.hasPrefix("CRL number 2 with 1 revoked"), "\(crl.output)")

        // Keys are PKCS#8 PEM, readable by the owner only.
        for key in ["head/ca.key", "accredited/ca.key", "people/citizen.key"] {
            #expect(try FileManager.default.attributesOfItem(atPath: w.path(key))[.posixPermissions] as? Int == 0o600)
            #expect(try String(contentsOfFile: w.path(key), encoding: .utf8).hasPrefix("-----BEGIN PRIVATE KEY-----"))
        }

        let head = try w.certificate("head/ca.crt")
        let accredited = try w.certificate("accredited/ca.crt")
        let headCRL = try CRL.load(file: w.path("head/crl.pem"))
        let accreditedCRL = try CRL.load(file: w.path("accredited/crl.der"))
        #expect(headCRL.entryCount == 0 && accreditedCRL.entryCount == 1)
        #expect(try CRL.load(file: w.path("accredited/crl.pem")).derBytes == accreditedCRL.derBytes)
        #expect(accredited.issuerDescription == head.subjectDescription)
        #expect(head.notBefore == ISO8601DateFormatter().date(from: Self.caStart))

        let verifier = ChainVerifier(trustAnchors: [head], intermediates: [accredited], crls: [headCRL, accreditedCRL])
        let now = Date()
        let citizen = try w.certificate("people/citizen.crt")
        let good = verifier.verify(citizen, at: now)
        #expect(good.isTrusted, "\(good.failures)")
        #expect(good.chain.count == 3)
        let subject = SubjectIdentifiers.read(citizen)
        #expect(subject.snils == "00200000014" && subject.inn == "770000000082" && subject.commonName == "Иванов Иван")

        let revokedResult = verifier.verify(try w.certificate("people/revoked.crt"), at: now)
        #expect(!revokedResult.isTrusted)
        #expect(revokedResult.failures == [.revoked(at: revokedAt, reason: "keyCompromise")])

        let expired = verifier.verify(try w.certificate("people/expired.crt"), at: now)
        #expect(!expired.isTrusted)
        #expect(expired.failures == [.expired])

        // Serial numbers count up per CA: the root is 1, the accredited CA 2; the accredited CA's leaves 1, 2, 3.
        #expect(head.serialNumberHex == "01" && accredited.serialNumberHex == "02")
        #expect(citizen.serialNumberHex == "01")
    }

    @Test func badInputGivesTheRightExitStatusAndChangesNothing() throws {
        let w = try Workspace()
        defer { w.remove() }
        let unknown = try w.ca(["init-head", "--dir", "@head", "--algorithm", "dsa"])
        #expect(unknown.status == 64)
        #expect(unknown.output.contains("--algorithm must be one of rsa, ecdsa, gost256, gost512"))
        #expect(!FileManager.default.fileExists(atPath: w.path("head")))

        let missing = try w.ca(["issue", "--ca", "@nowhere", "--profile", "citizen", "--out", "@c", "--algorithm", "ecdsa", "--cn", "X"])
        #expect(missing.status == 66)
        #expect(missing.output.contains("no CA folder at"))

        #expect(try w.ca(["init-head", "--dir", "@head", "--algorithm", "ecdsa"]).status == 0)
        let keyBefore = try Data(contentsOf: URL(fileURLWithPath: w.path("head/ca.key")))
        let again = try w.ca(["init-head", "--dir", "@head", "--algorithm", "rsa"])
        #expect(again.status == 73)
        #expect(try Data(contentsOf: URL(fileURLWithPath: w.path("head/ca.key"))) == keyBefore)
        #expect(try w.ca(["init-accredited", "--dir", "@head", "--head", "@head", "--algorithm", "ecdsa"]).status == 73)

        let stateBefore = try Data(contentsOf: URL(fileURLWithPath: w.path("head/state.json")))
        let badSNILS = try w.ca(["issue", "--ca", "@head", "--profile", "citizen", "--out", "@c", "--algorithm", "ecdsa", "--cn", "X",
                                 "--snils", "11223344596"])
        #expect(badSNILS.status == 65)
        #expect(badSNILS.output.contains("check number is wrong"))
        #expect(!FileManager.default.fileExists(atPath: w.path("c.crt")) && !FileManager.default.fileExists(atPath: w.path("c.key")))
        #expect(try Data(contentsOf: URL(fileURLWithPath: w.path("head/state.json"))) == stateBefore)
        #expect(try w.ca(["issue", "--ca", "@head", "--profile", "citizen", "--out", "@c", "--algorithm", "ecdsa", "--cn", "X",
                          "--inn", "770000000083"]).status == 65)

        // A test PKI may need a bad checksum on purpose.
        #expect(try w.ca(["issue", "--ca", "@head", "--profile", "citizen", "--out", "@c", "--algorithm", "ecdsa", "--cn", "X",
                          "--snils", "11223344596", "--allow-bad-checksum"]).status == 0)
        #expect(SubjectIdentifiers.read(try w.certificate("c.crt")).snils == "11223344596")
        #expect(try w.ca(["issue", "--ca", "@head", "--profile", "citizen", "--out", "@c", "--algorithm", "ecdsa", "--cn", "X"]).status == 73)

        // Revoking: only certificates this CA issued, each once.
        #expect(try w.ca(["revoke", "--ca", "@head", "--cert", "@head/ca.crt"]).status == 65)
        #expect(try w.ca(["revoke", "--ca", "@head", "--cert", "@absent.crt"]).status == 66)
        #expect(try w.ca(["revoke", "--ca", "@head", "--cert", "@c.crt"]).status == 0)
        #expect(try w.ca(["revoke", "--ca", "@head", "--cert", "@c.crt"]).status == 65)

        // A folder whose state does not fit its certificate is refused.
        try Data("{}".utf8).write(to: URL(fileURLWithPath: w.path("head/state.json")))
        #expect(try w.ca(["crl", "--ca", "@head"]).status == 65)
    }
}
