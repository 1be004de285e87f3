import Crypto
import Foundation
import HeadCA
@testable import OpenESIAServer
import PKI
import Support
import TestSupport

/// The committed keys-example/pki hierarchies for signature-login tests, with CRLs made fresh in the test (signed with
/// the committed CA keys: the committed CRLs are older than `headca.maxCRLAgeHours` allows).
struct SignatureTestPKI {
    static let folder = OpenESIABinary.packageRoot.appendingPathComponent("keys-example/pki")
    static let algorithms = ["ecdsa", "rsa", "gost"]

    /// One algorithm's hierarchy.
    struct Hierarchy {
        let name: String
        let head: Certificate
        let headKey: PrivateKey
        let accredited: Certificate
        let accreditedKey: PrivateKey

        init(_ name: String) throws {
            try? GOSTEngine.load()
            self.name = name
            head = try SignatureTestPKI.certificate("\(name)/head/ca")
            headKey = try SignatureTestPKI.key("\(name)/head/ca")
            accredited = try SignatureTestPKI.certificate("\(name)/accredited/ca")
            accreditedKey = try SignatureTestPKI.key("\(name)/accredited/ca")
        }

        /// A leaf of this hierarchy (`citizen`, `citizen-revoked`, `citizen-expired`, `staff`) and its key.
        func leaf(_ leaf: String) throws -> (certificate: Certificate, key: PrivateKey) {
            (try SignatureTestPKI.certificate("\(name)/\(leaf)"), try SignatureTestPKI.key("\(name)/\(leaf)"))
        }

        /// A detached CMS over `content` by `leaf`, with the accredited CA embedded.
        func sign(_ content: [UInt8], by leaf: String, detached: Bool = true) throws -> [UInt8] {
            let (certificate, key) = try self.leaf(leaf)
            return try CMSSignature.sign(content: content, certificate: certificate, key: key, chain: [accredited], detached: detached)
        }
    }

    static func certificate(_ path: String) throws -> Certificate {
        try Certificate(pem: String(contentsOf: folder.appendingPathComponent(path + ".crt"), encoding: .utf8))
    }

    static func key(_ path: String) throws -> PrivateKey {
        try PrivateKey(pem: String(contentsOf: folder.appendingPathComponent(path + ".key"), encoding: .utf8))
    }

    /// Trusts the three head roots.
    static func configure(_ configuration: inout Configuration) {
        configuration.headca.roots = algorithms.map { folder.appendingPathComponent("\($0)/head/ca.crt").path }
    }

    /// Accredits the three accredited CAs from 2025-01-01 (before every leaf was issued) and imports fresh CRLs of every CA:
    /// the heads' empty, the accredited CAs' listing citizen-revoked (keyCompromise).
    static func install(into app: TestApplication, now: Date = Date()) throws {
        let headCA = app.application.headCA
        for name in algorithms {
            let hierarchy = try Hierarchy(name)
            _ = try headCA.accreditations.accredit(hierarchy.accredited, from: Date(timeIntervalSince1970: 1_735_689_600))
            let revoked = try hierarchy.leaf("citizen-revoked").certificate
            let crls = [
                try CRLBuilder.make(issuer: hierarchy.head, issuerKey: hierarchy.headKey, entries: [], thisUpdate: now - 3600,
                                    nextUpdate: now + 7 * 86_400, number: 1000),
                try CRLBuilder.make(issuer: hierarchy.accredited, issuerKey: hierarchy.accreditedKey,
                                    entries: [.init(serialHex: revoked.serialNumberHex, revokedAt: now - 86_400, reason: 1)],
                                    thisUpdate: now - 3600, nextUpdate: now + 7 * 86_400, number: 1000),
            ]
            for crl in crls {
                let outcome = try headCA.crls.importCRL(crl, source: "test")
                guard case .accepted = outcome else { throw PKISetupError(description: "\(name): CRL not accepted: \(outcome)") }
            }
        }
    }

    struct PKISetupError: Error, CustomStringConvertible {
        let description: String
    }

    /// A root nobody configured, a CA under it and a citizen certificate with SNILS 002-000-000 14 (seeded citizen 0).
    static func unknownHierarchy() throws -> (certificate: Certificate, key: PrivateKey, ca: Certificate) {
        let now = Date()
        let rootKey = try PrivateKey.generateP256()
        let root = try CertificateIssuer.makeRoot(subject: SubjectName(commonName: "Unknown Head CA"), key: rootKey,
                                                  validFrom: now - 86_400, validUntil: now + 365 * 86_400)
        let caKey = try PrivateKey.generateP256()
        let ca = try CertificateIssuer.issue(subject: SubjectName(commonName: "Unknown CA"), subjectKey: caKey, profile: .accreditedCA,
                                             issuer: root, issuerKey: rootKey, validFrom: now - 86_400, validUntil: now + 300 * 86_400)
        let key = try PrivateKey.generateP256()
        let leaf = try CertificateIssuer.issue(subject: SubjectName(commonName: "Иванов Иван", surname: "Иванов", givenName: "Иван",
                                                                    snils: "00200000014"),
                                               subjectKey: key, profile: .citizen, issuer: ca, issuerKey: caKey,
                                               validFrom: now - 86_400, validUntil: now + 200 * 86_400)
        return (leaf, key, ca)
    }
}
