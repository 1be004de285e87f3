import Crypto
import Foundation
import HeadCA
import PKI
import Testing

/// Revocation through the trust store, and which CRLs the CRL registry takes.
@Suite struct TrustStoreRevocationTests {
    let pki: TestHierarchy
    let ca: (certificate: Certificate, key: PrivateKey)
    let leaf: Certificate

    init() throws {
        pki = try TestHierarchy()
        ca = try pki.makeCA(crlURL: "http://crl.example/root.crl")
        leaf = try pki.makeLeaf(by: ca, notBefore: base - day)
    }

    private func harness(settings: TrustSettings = .init()) throws -> Harness {
        let harness = try Harness(roots: [pki.root], settings: settings)
        try harness.accreditations.accredit(ca.certificate, from: base - 30 * day)
        return harness
    }

    @Test func revokedBeforeTheVerificationTime() throws {
        let harness = try harness()
        try harness.accept(try pki.rootCRL())
        let revokedAt = base - 7200
        try harness.accept(try caCRL(ca, entries: [.init(serialHex: leaf.serialNumberHex, revokedAt: revokedAt, reason: 1)]))
        let verdict = harness.store.verify(leaf, at: base)
        #expect(!verdict.isTrusted)
        #expect(verdict.failures == [.chain(.revoked(at: revokedAt, reason: "keyCompromise"))])
        #expect(verdict.codes == ["revoked"])
        // Revocation is checked under every policy but off.
        #expect(!harness.store.verify(leaf, at: base, revocation: .ifAvailable).isTrusted)
        #expect(harness.store.verify(leaf, at: base, revocation: .off).isTrusted)
    }

    /// OpenSSL treats every listed certificate as revoked, whatever the entry's date: a revocation dated after the
    /// verification time still fails (the CRL itself must already be issued at that time). The store keeps that.
    @Test func revocationDatedAfterTheVerificationTimeStillCounts() throws {
        let harness = try harness()
        try harness.accept(try pki.rootCRL())
        try harness.accept(try caCRL(ca, thisUpdate: base - 3600, entries: [.init(serialHex: leaf.serialNumberHex, revokedAt: base + day)]))
        #expect(harness.store.verify(leaf, at: base).codes == ["revoked"])
        // A CRL issued after the verification time is not valid yet at that time: stale, not evidence.
        let early = harness.store.verify(leaf, at: base - 2 * 3600)
        #expect(early.codes.contains("crl_stale"))
    }

    @Test func aRootMayCarryItsOwnPolicyAndTheCallersStillWins() throws {
        // A second hierarchy without any CRL, as a test hierarchy has; its root is configured with `off`.
        let other = try TestHierarchy()
        let otherCA = try other.makeCA(crlURL: "http://crl.example/other.crl")
        let otherLeaf = try other.makeLeaf(by: otherCA, notBefore: base - day)
        var settings = TrustSettings()
        settings.revocationByRoot[other.root.sha1ThumbprintHex] = .off
        let harness = try Harness(roots: [pki.root, other.root], settings: settings)
        try harness.accreditations.accredit(ca.certificate, from: base - 30 * day)
        try harness.accreditations.accredit(otherCA.certificate, from: base - 30 * day)
        #expect(harness.store.verify(otherLeaf, at: base).isTrusted)
        // The default root still requires its CRLs, and a caller's explicit policy overrides the root's.
        #expect(harness.store.verify(leaf, at: base).codes == ["crl_missing"])
        #expect(harness.store.verify(otherLeaf, at: base, revocation: .require).codes == ["crl_missing"])
    }

    @Test func missingCRLUnderEachPolicy() throws {
        let harness = try harness()
        let required = harness.store.verify(leaf, at: base)
        #expect(!required.isTrusted)
        #expect(required.codes == ["crl_missing"])
        #expect(harness.store.verify(leaf, at: base, revocation: .ifAvailable).isTrusted)
        #expect(harness.store.verify(leaf, at: base, revocation: .off).isTrusted)
        // With the root's CRL only, the CA's CRL is still missing.
        try harness.accept(try pki.rootCRL())
        #expect(harness.store.verify(leaf, at: base).codes == ["crl_missing"])
        try harness.accept(try caCRL(ca))
        #expect(harness.store.verify(leaf, at: base).isTrusted)
    }

    @Test func theDefaultPolicyComesFromTheSettings() throws {
        var settings = TrustSettings()
        settings.revocation = .ifAvailable
        let harness = try harness(settings: settings)
        #expect(harness.store.verify(leaf, at: base).isTrusted)
        #expect(harness.store.verify(leaf, at: base, revocation: .require).codes == ["crl_missing"])
    }

    @Test func staleByNextUpdate() throws {
        let harness = try harness()
        try harness.accept(try pki.rootCRL(nextUpdate: base + 10 * day))
        try harness.accept(try caCRL(ca, nextUpdate: base + day))
        #expect(harness.store.verify(leaf, at: base + 3600).isTrusted)
        let late = harness.store.verify(leaf, at: base + day + 3600)
        #expect(!late.isTrusted)
        #expect(late.codes == ["crl_stale"])
    }

    @Test func staleByMaximumAge() throws {
        var settings = TrustSettings()
        settings.maxCRLAge = 48 * 3600
        let harness = try harness(settings: settings)
        try harness.accept(try pki.rootCRL(thisUpdate: base - 3600, nextUpdate: base + 30 * day))
        try harness.accept(try caCRL(ca, thisUpdate: base - 3 * day, nextUpdate: base + 30 * day))
        let required = harness.store.verify(leaf, at: base)
        #expect(!required.isTrusted)
        #expect(required.codes == ["crl_stale"])
        // Under if-available an over-age CRL is as good as missing: no failure.
        #expect(harness.store.verify(leaf, at: base, revocation: .ifAvailable).isTrusted)
        #expect(harness.store.verify(leaf, at: base, revocation: .off).isTrusted)
        // A longer limit accepts the same CRL.
        var lenient = TrustSettings()
        lenient.maxCRLAge = 4 * day
        #expect(try TrustStore(database: harness.database, roots: [pki.root], settings: lenient).verify(leaf, at: base).isTrusted)
    }

    @Test func crlWithABadSignatureIsRejected() throws {
        let harness = try harness()
        // An impostor with the CA's exact name and its own key signs a CRL in the CA's name.
        let impostorKey = try PrivateKey.generateP256()
        let impostor = try CertificateIssuer.makeRoot(subject: SubjectName(commonName: "Test CA", organization: "Test CA"), key: impostorKey,
                                                      validFrom: base - day, validUntil: base + day)
        #expect(impostor.subjectDescription == ca.certificate.subjectDescription)
        let forged = try CRLBuilder.make(issuer: impostor, issuerKey: impostorKey, entries: [], thisUpdate: base - 60,
                                         nextUpdate: base + day, number: 9)
        let outcome = try harness.crls.importCRL(forged, source: "forged.crl")
        guard case .rejected(.badSignature) = outcome else { Issue.record("\(outcome)"); return }
        #expect(try harness.auditKinds().last == "headca.crl.rejected")
        #expect(harness.store.verify(leaf, at: base).codes == ["crl_missing"])

        let stranger = try TestHierarchy(name: "Stranger")
        guard case .rejected(.unknownIssuer) = try harness.crls.importCRL(try stranger.rootCRL(), source: "x") else {
            Issue.record("a stranger's CRL was not refused"); return
        }
        guard case .rejected(.unreadable) = try harness.crls.importCRL(Array("not a CRL".utf8), source: "x") else {
            Issue.record("garbage was not refused"); return
        }
        #expect(try harness.auditKinds().filter { $0 == "headca.crl.rejected" }.count == 3)
        #expect(try harness.database.read { try $0.queryOne("SELECT COUNT(*) FROM headca_crls")!.int(0) } == 0)
    }

    @Test func olderCRLDoesNotReplaceANewerOne() throws {
        let harness = try harness()
        try harness.accept(try pki.rootCRL())
        let newer = try caCRL(ca, thisUpdate: base - 3600, number: 5)
        try harness.accept(newer)
        #expect(try harness.crls.importCRL(newer, source: "again") == .unchanged(issuer: ca.certificate.subjectDescription))

        let older = try caCRL(ca, thisUpdate: base - 7200, number: 4, entries: [.init(serialHex: leaf.serialNumberHex, revokedAt: base - 8000)])
        guard case .rejected(.older) = try harness.crls.importCRL(older, source: "older") else { Issue.record("older CRL taken"); return }
        // Same thisUpdate but a lower number is older too.
        let lowerNumber = try caCRL(ca, thisUpdate: base - 3600, number: 3)
        guard case .rejected(.older) = try harness.crls.importCRL(lowerNumber, source: "lower") else { Issue.record("lower number taken"); return }
        #expect(harness.store.verify(leaf, at: base).isTrusted)  // the newer CRL (without the leaf) stays

        // PEM works as well as DER.
        let pem = "-----BEGIN X509 CRL-----\n" + Data(try caCRL(ca, thisUpdate: base - 60, number: 6)).base64EncodedString(options: .lineLength64Characters)
            + "\n-----END X509 CRL-----\n"
        guard case .accepted = try harness.crls.importCRL(Array(pem.utf8), source: "pem") else { Issue.record("PEM CRL refused"); return }
    }

    @Test func refreshAddressesComeFromTheListsAndDistributionPoints() throws {
        let harness = try harness()
        #expect(ca.certificate.crlDistributionPointURLs == ["http://crl.example/root.crl"])
        #expect(harness.crls.refreshURLs() == ["http://crl.example/root.crl"])
    }

    @Test func certificateExtensionsReadThroughOpenSSL() throws {
        #expect(ca.certificate.isCA)
        #expect(!leaf.isCA)
        #expect(leaf.isIssued(by: ca.certificate))
        #expect(!leaf.isIssued(by: pki.root))
        #expect(ca.certificate.authorityKeyIdentifierHex == pki.root.subjectKeyIdentifierHex)
        #expect(ca.certificate.sha1ThumbprintHex.count == 40)
        #expect(ca.certificate.sha1ThumbprintHex == ca.certificate.sha1ThumbprintHex.uppercased())
        #expect(leaf.crlDistributionPointURLs.isEmpty)
        let crl = try CRL(der: try caCRL(ca, number: 258))
        #expect(crl.numberHex == "0102")
        #expect(crl.isIssued(by: ca.certificate))
        #expect(!crl.verifySignature(issuer: pki.root))
        #expect(CRL.compareNumbers("0102", "FF") > 0)
        #expect(CRL.compareNumbers("0A", "a") == 0)
    }
}
