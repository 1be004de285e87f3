import Crypto
import Foundation
import HeadCA
import PKI
import Support
import Synchronization
import Testing

/// Serves prepared bodies (or failures) by URL, and counts requests.
final class FakeFetcher: CRLFetching {
    struct Unavailable: Error {}
    private let bodies = Mutex<[String: [UInt8]]>([:])
    private let requests = Mutex<[String]>([])

    func serve(_ url: String, _ body: [UInt8]?) {
        bodies.withLock { $0[url] = body }
    }

    var requested: [String] { requests.withLock { $0 } }

    func fetch(url: String) async throws -> [UInt8] {
        requests.withLock { $0.append(url) }
        guard let body = bodies.withLock({ $0[url] }) else { throw Unavailable() }
        return body
    }
}

@Suite struct CRLRefresherTests {
    let pki: TestHierarchy
    let ca: (certificate: Certificate, key: PrivateKey)

    init() throws {
        pki = try TestHierarchy()
        ca = try pki.makeCA(crlURL: "http://crl.example/root.crl")
    }

    /// The CA comes from a trusted list that gives its own CRL address.
    private func harness() throws -> Harness {
        let harness = try Harness(roots: [pki.root])
        let list = HeadCA.TrustedListWriter.write(version: 1, date: base, authorities: [
            .init(name: "Test CA", registryNumber: "7", ogrn: "", inn: "", periods: [AccreditationPeriod(from: base - 30 * day)],
                  crlURLs: ["http://crl.example/ca.crl"], certificates: [ca.certificate]),
        ])
        try harness.accreditations.importTrustedList(Array(list.utf8))
        return harness
    }

    private func storedCRLs(_ harness: Harness) throws -> [String] {
        try harness.database.read { db in
            try db.query("SELECT issuer_subject || ' ' || COALESCE(crl_number, '-') FROM headca_crls ORDER BY issuer_subject").map { try $0.string(0) }
        }
    }

    @Test func aRoundFetchesEveryAddressAndStoresWhatVerifies() async throws {
        let harness = try harness()
        let fetcher = FakeFetcher()
        fetcher.serve("http://crl.example/ca.crl", try caCRL(ca, number: 1))
        fetcher.serve("http://crl.example/root.crl", try pki.rootCRL(number: 1))
        let refresher = CRLRefresher(registry: harness.crls, fetcher: fetcher, interval: 3600, logger: Logger(sink: MemorySink()))
        let report = await refresher.refreshOnce()
        #expect(report.accepted == 2)
        #expect(Set(fetcher.requested) == ["http://crl.example/ca.crl", "http://crl.example/root.crl"])
        #expect(harness.store.verify(try pki.makeLeaf(by: ca, notBefore: base - day), at: base).isTrusted)

        // The same CRLs again: unchanged, nothing new in the audit log.
        let audited = try harness.auditKinds().count
        let again = await refresher.refreshOnce()
        #expect(again.results.allSatisfy { $0.result == .fetched(.unchanged(issuer: $0.url.hasSuffix("ca.crl")
            ? ca.certificate.subjectDescription : pki.root.subjectDescription)) })
        #expect(try harness.auditKinds().count == audited)
    }

    @Test func aFailedDownloadKeepsTheOldCRL() async throws {
        let harness = try harness()
        try harness.accept(try caCRL(ca, number: 1))
        let before = try storedCRLs(harness)
        let fetcher = FakeFetcher()  // serves nothing: every download fails
        let refresher = CRLRefresher(registry: harness.crls, fetcher: fetcher, interval: 3600, logger: Logger(sink: MemorySink()))
        let report = await refresher.refreshOnce()
        #expect(report.failed == 2)
        #expect(report.accepted == 0)
        #expect(try storedCRLs(harness) == before)
    }

    @Test func aBadSignatureIsRejectedAndTheOldCRLStays() async throws {
        let harness = try harness()
        try harness.accept(try caCRL(ca, number: 1))
        let before = try storedCRLs(harness)
        let impostorKey = try PrivateKey.generateP256()
        let impostor = try CertificateIssuer.makeRoot(subject: SubjectName(commonName: "Test CA", organization: "Test CA"), key: impostorKey,
                                                      validFrom: base - day, validUntil: base + day)
        let fetcher = FakeFetcher()
        fetcher.serve("http://crl.example/ca.crl", try CRLBuilder.make(issuer: impostor, issuerKey: impostorKey, entries: [],
                                                                     thisUpdate: base, nextUpdate: base + day, number: 99))
        let log = MemorySink()
        let refresher = CRLRefresher(registry: harness.crls, fetcher: fetcher, interval: 3600, logger: Logger(sink: log))
        let report = await refresher.refreshOnce()
        #expect(report.rejected == 1)
        #expect(try storedCRLs(harness) == before)
        #expect(try harness.auditKinds().last == "headca.crl.rejected")
        #expect(log.lines.contains { $0.contains("CRL rejected") })
    }

    @Test func startAndStop() async throws {
        let harness = try harness()
        let fetcher = FakeFetcher()
        fetcher.serve("http://crl.example/ca.crl", try caCRL(ca, number: 1))
        let refresher = CRLRefresher(registry: harness.crls, fetcher: fetcher, interval: 3600, logger: Logger(sink: MemorySink()))
        refresher.start()
        for _ in 0..<200 where try storedCRLs(harness).isEmpty { try await Task.sleep(nanoseconds: 10_000_000) }
        refresher.stop()
        #expect(try storedCRLs(harness).count == 1)
    }
}
