import Citizens
import Foundation
import PKI
import Testing

/// The committed keys-example/pki hierarchies (made by `make keys` with `openesia ca`) verify as their README says,
/// at the current time, with the committed CRLs.
@Suite struct KeysExamplePKITests {
    private static let pki = OpenESIABinary.packageRoot.appendingPathComponent("keys-example/pki")

    private struct Hierarchy {
        let folder: URL
        let head: Certificate
        let accredited: Certificate
        let verifier: ChainVerifier

        init(_ name: String) throws {
            let folder = KeysExamplePKITests.pki.appendingPathComponent(name)
            self.folder = folder
            head = try Certificate(pem: String(contentsOf: folder.appendingPathComponent("head/ca.crt"), encoding: .utf8))
            accredited = try Certificate(pem: String(contentsOf: folder.appendingPathComponent("accredited/ca.crt"), encoding: .utf8))
            let crls = try ["head/crl.pem", "accredited/crl.der"].map { try CRL.load(file: folder.appendingPathComponent($0).path) }
            verifier = ChainVerifier(trustAnchors: [head], intermediates: [accredited], crls: crls)
        }

        func certificate(_ name: String) throws -> Certificate {
            try Certificate(pem: String(contentsOf: folder.appendingPathComponent(name + ".crt"), encoding: .utf8))
        }
    }

    @Test(arguments: ["rsa", "ecdsa", "gost"])
    func committedHierarchyVerifiesNow(name: String) throws {
        let h = try Hierarchy(name)
        let now = Date()
        var trusted = ["citizen", "staff", "portal"]
        if name == "gost" { trusted.append("citizen-512") }
        for leaf in trusted {
            let result = h.verifier.verify(try h.certificate(leaf), at: now)
            #expect(result.isTrusted, "\(name)/\(leaf): \(result.failures)")
            #expect(result.chain.count == 3, "\(name)/\(leaf)")
        }
        let revoked = h.verifier.verify(try h.certificate("citizen-revoked"), at: now)
        #expect(revoked.failures.count == 1)
        guard case .revoked(_, let reason)? = revoked.failures.first else {
            Issue.record("\(name)/citizen-revoked: \(revoked.failures)")
            return
        }
        #expect(reason == "keyCompromise")
        #expect(h.verifier.verify(try h.certificate("citizen-expired"), at: now).failures == [.expired])
        #expect(h.accredited.issuerDescription == h.head.subjectDescription)
    }

    @Test(arguments: ["rsa", "ecdsa", "gost"])
    func subjectNumbersPassTheCitizensValidators(name: String) throws {
        let h = try Hierarchy(name)
        var people = ["citizen", "citizen-revoked", "citizen-expired", "staff"]
        if name == "gost" { people.append("citizen-512") }
        for leaf in people {
            let subject = SubjectIdentifiers.read(try h.certificate(leaf))
            let snils = try #require(subject.snils, "\(name)/\(leaf) has a SNILS")
            #expect(try SNILS(parsing: snils).digits == snils)
            if leaf != "staff" {
                let inn = try #require(subject.inn, "\(name)/\(leaf) has an INN")
                #expect(try INN(parsing: inn).digits == inn)
            }
        }
        let portal = SubjectIdentifiers.read(try h.certificate("portal"))
        #expect(portal.ogrn?.count == 13 && portal.innle?.count == 10)
    }

    @Test func gostHierarchyUsesGOSTKeys() throws {
        let h = try Hierarchy("gost")
        let text = try String(contentsOf: h.folder.appendingPathComponent("head/ca.key"), encoding: .utf8)
        #expect(text.hasPrefix("-----BEGIN PRIVATE KEY-----"))
        let citizen512 = try h.certificate("citizen-512")
        let citizen = try h.certificate("citizen")
        // The same person holds a 256-bit and a 512-bit certificate.
        #expect(SubjectIdentifiers.read(citizen512).snils == SubjectIdentifiers.read(citizen).snils)
        #expect(citizen512.derBytes.count > citizen.derBytes.count)
    }
}
