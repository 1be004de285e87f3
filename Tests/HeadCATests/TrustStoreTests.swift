import Crypto
import Foundation
import HeadCA
import PKI
import Testing

/// Verification through the trust store: chains, accreditation periods, suspension, termination.
@Suite struct TrustStoreTests {
    let pki: TestHierarchy
    let ca: (certificate: Certificate, key: PrivateKey)

    init() throws {
        pki = try TestHierarchy()
        ca = try pki.makeCA()
    }

    /// A harness with the CA accredited from `from` and fresh CRLs of the root and the CA.
    private func accredited(from: Date = base - 30 * day, until: Date? = nil) throws -> Harness {
        let harness = try Harness(roots: [pki.root])
        try harness.accreditations.accredit(ca.certificate, from: from, until: until)
        try harness.accept(try pki.rootCRL())
        try harness.accept(try caCRL(ca))
        return harness
    }

    @Test func validChainIsTrusted() throws {
        let harness = try accredited()
        let leaf = try pki.makeLeaf(by: ca, notBefore: base - day)
        let verdict = harness.store.verify(leaf, at: base)
        #expect(verdict.isTrusted, "\(verdict.codes)")
        #expect(verdict.failures.isEmpty)
        #expect(verdict.chain.map(\.derBytes) == [leaf.derBytes, ca.certificate.derBytes, pki.root.derBytes])
        #expect(verdict.accreditedCA?.thumbprint == ca.certificate.sha1ThumbprintHex)
        #expect(try harness.auditKinds() == ["headca.ca.accredited", "headca.crl.accepted", "headca.crl.accepted"])
    }

    @Test func emptyStoreSaysUnknownIssuer() throws {
        let harness = try Harness(roots: [])
        let leaf = try pki.makeLeaf(by: ca, notBefore: base - day)
        let verdict = harness.store.verify(leaf, at: base)
        #expect(!verdict.isTrusted)
        #expect(verdict.codes == ["unknown_issuer"])
        #expect(verdict.accreditedCA == nil)
    }

    @Test func aCANotInTheStoreIsNotAccreditedEvenWhenTheCallerSuppliesIt() throws {
        let harness = try accredited()
        let other = try pki.makeCA("Unaccredited CA")
        let leaf = try pki.makeLeaf(by: other, notBefore: base - day)
        #expect(harness.store.verify(leaf, at: base, revocation: .off).codes == ["unknown_issuer"])
        let supplied = harness.store.verify(leaf, extraIntermediates: [other.certificate], at: base, revocation: .off)
        #expect(!supplied.isTrusted)
        #expect(supplied.codes == ["issuer_not_accredited"])
    }

    @Test func certificateIssuedBeforeTheAccreditationStartedIsNotTrusted() throws {
        let harness = try accredited(from: base - 5 * day)
        let early = try pki.makeLeaf(by: ca, notBefore: base - 10 * day)
        let verdict = harness.store.verify(early, at: base)
        #expect(!verdict.isTrusted)
        #expect(verdict.codes == ["ca_not_accredited"])
        #expect(harness.store.verify(try pki.makeLeaf(by: ca, notBefore: base - 4 * day), at: base).isTrusted)
    }

    @Test func accreditationThatEndedBeforeTheVerificationTimeIsNotTrusted() throws {
        let harness = try accredited(from: base - 30 * day, until: base + 10 * day)
        let leaf = try pki.makeLeaf(by: ca, notBefore: base - day)
        #expect(harness.store.verify(leaf, at: base + 5 * day, revocation: .off).isTrusted)
        let after = harness.store.verify(leaf, at: base + 11 * day, revocation: .off)
        #expect(!after.isTrusted)
        #expect(after.codes == ["ca_accreditation_ended"])
    }

    @Test func suspendedThenReaccredited() throws {
        let harness = try accredited()
        let before = try pki.makeLeaf(by: ca, notBefore: base - day)
        harness.clock.set(base + 10 * day)
        let suspended = try harness.accreditations.suspend(.id(1))
        #expect(suspended.state(at: base + 10 * day) == .suspended)
        #expect(suspended.periods == [AccreditationPeriod(from: base - 30 * day, until: base + 10 * day)])
        #expect(harness.store.verify(before, at: base + 11 * day, revocation: .off).codes == ["ca_accreditation_ended"])
        // Suspending twice is refused: there is no open period left.
        #expect(headCAError { try harness.accreditations.suspend(.thumbprint(ca.certificate.sha1ThumbprintHex)) } == .notAccredited)

        harness.clock.set(base + 20 * day)
        let again = try harness.accreditations.accredit(ca.certificate)
        #expect(again.id == 1)
        #expect(again.periods.count == 2)
        #expect(again.state(at: base + 20 * day) == .accredited)
        let duringGap = try pki.makeLeaf(by: ca, notBefore: base + 15 * day)
        let after = try pki.makeLeaf(by: ca, notBefore: base + 20 * day + 3600)
        #expect(harness.store.verify(before, at: base + 21 * day, revocation: .off).isTrusted)
        #expect(harness.store.verify(duringGap, at: base + 21 * day, revocation: .off).codes == ["ca_not_accredited"])
        #expect(harness.store.verify(after, at: base + 21 * day, revocation: .off).isTrusted)
        // A new period may not overlap an existing one.
        #expect(headCAError { try harness.accreditations.accredit(ca.certificate, from: base - 40 * day, until: base - 20 * day) }
            == .periodOverlaps)
        #expect(try harness.auditKinds().filter { $0.hasPrefix("headca.ca.") }
            == ["headca.ca.accredited", "headca.ca.suspended", "headca.ca.accredited"])
    }

    @Test func terminatedCAIsNotTrustedAndCannotComeBack() throws {
        let harness = try accredited()
        let leaf = try pki.makeLeaf(by: ca, notBefore: base - day)
        harness.clock.set(base + day)
        let terminated = try harness.accreditations.terminate(.thumbprint(ca.certificate.sha1ThumbprintHex.lowercased()))
        #expect(terminated.terminatedAt == base + day)
        #expect(terminated.state(at: base + day) == .terminated)
        #expect(harness.store.verify(leaf, at: base + 2 * day, revocation: .off).codes == ["ca_terminated"])
        // Verifying as of a time before the termination still works: the periods say it was accredited then.
        #expect(harness.store.verify(leaf, at: base + 3600, revocation: .off).isTrusted)
        #expect(headCAError { try harness.accreditations.accredit(ca.certificate) } == .terminated)
        #expect(headCAError { try harness.accreditations.suspend(.id(1)) } == .terminated)
        #expect(headCAError { try harness.accreditations.terminate(.id(1)) } == .terminated)
        #expect(headCAError { try harness.accreditations.terminate(.id(99)) } == .unknownCA)
        #expect(try harness.auditKinds().last == "headca.ca.terminated")
    }

    @Test func accreditRefusesWhatAHeadRootDidNotIssueDirectly() throws {
        let harness = try Harness(roots: [pki.root])
        let stranger = try TestHierarchy(name: "Other Root")
        #expect(headCAError { try harness.accreditations.accredit(try stranger.makeCA().certificate) } == .notIssuedByHeadRoot)
        // A CA below another CA: it chains to the root, but not directly.
        let middleKey = try PrivateKey.generateP256()
        let middle = try CertificateIssuer.issue(subject: SubjectName(commonName: "Middle"), subjectKey: middleKey, profile: .headCA(pathLength: 1),
                                                 issuer: pki.root, issuerKey: pki.rootKey, validFrom: base - day, validUntil: base + day)
        let below = try CertificateIssuer.issue(subject: SubjectName(commonName: "Below"), subjectKey: try PrivateKey.generateP256(),
                                                profile: .accreditedCA, issuer: middle, issuerKey: middleKey, validFrom: base - day,
                                                validUntil: base + day)
        #expect(headCAError { try harness.accreditations.accredit(below) } == .notIssuedByHeadRoot)
        // A head CA root is not an accredited CA.
        #expect(headCAError { try harness.accreditations.accredit(pki.root) } == .selfSigned)
        // A leaf is not a CA.
        #expect(headCAError { try harness.accreditations.accredit(try pki.makeLeaf(by: ca, notBefore: base)) } == .notACA)
        #expect(headCAError { try harness.accreditations.accredit(ca.certificate, from: base, until: base - day) } == .invalidPeriod)
        #expect(try harness.accreditations.list().isEmpty)
        #expect(try harness.auditKinds().isEmpty)

        let empty = try Harness(roots: [])
        #expect(headCAError { try empty.accreditations.accredit(ca.certificate) } == .notIssuedByHeadRoot)
    }

    @Test func verificationReadsNoDatabase() throws {
        let harness = try accredited()
        let leaf = try pki.makeLeaf(by: ca, notBefore: base - day)
        harness.database.close()
        #expect(harness.store.verify(leaf, at: base).isTrusted)
    }

    @Test func aSecondStoreOverTheSameDatabaseSeesChangesOnReload() throws {
        let harness = try accredited()
        let other = try TrustStore(database: harness.database, roots: [pki.root])
        let leaf = try pki.makeLeaf(by: ca, notBefore: base - day)
        #expect(other.verify(leaf, at: base).isTrusted)
        #expect(try other.reloadIfChanged() == false)
        harness.clock.set(base + day)
        try harness.accreditations.suspend(.id(1))
        #expect(other.verify(leaf, at: base + 2 * day, revocation: .off).isTrusted)  // still the old snapshot
        #expect(try other.reloadIfChanged() == true)
        #expect(other.verify(leaf, at: base + 2 * day, revocation: .off).codes == ["ca_accreditation_ended"])
    }

    @Test func referencesParse() {
        #expect(CAReference("12") == .id(12))
        #expect(CAReference("0") == nil)
        let hex = String(repeating: "ab", count: 20)
        #expect(CAReference(hex) == .thumbprint(hex.uppercased()))
        #expect(CAReference("AB:" + String(repeating: "CD", count: 19)) == .thumbprint("AB" + String(repeating: "CD", count: 19)))
        #expect(CAReference(String(repeating: "g", count: 40)) == nil)
    }

    @Test func periodsMergeAndOverlap() {
        let a = AccreditationPeriod(from: base, until: base + day)
        let b = AccreditationPeriod(from: base + day, until: base + 2 * day)
        #expect(!a.overlaps(b))
        #expect(a.overlaps(AccreditationPeriod(from: base - day)))
        #expect(a.contains(base) && !a.contains(base + day))
        #expect(HeadCA.parseDate("2030-01-01") == base)
        #expect(HeadCA.parseDate("2030-01-01T03:00:00+03:00") == base)
        #expect(HeadCA.parseDate("2030-01-01T00:00:00.500Z") == base + 0.5)
        #expect(HeadCA.parseDate("2030-02-30") == nil)
        #expect(HeadCA.parseDate("yesterday") == nil)
    }
}
