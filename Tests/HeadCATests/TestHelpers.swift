import Audit
import Crypto
import Foundation
@testable import HeadCA
import PKI
import Storage
import Support

/// 2030-01-01T00:00:00Z: the tests' "now".
let base = Date(timeIntervalSince1970: 1_893_456_000)
let day: TimeInterval = 86_400

/// A P-256 head CA root made in the test, with helpers to issue CAs, leaves and CRLs under it.
struct TestHierarchy {
    let rootKey: PrivateKey
    let root: Certificate

    init(name: String = "Test Head CA") throws {
        rootKey = try PrivateKey.generateP256()
        root = try CertificateIssuer.makeRoot(subject: SubjectName(commonName: name, organization: "Test Ministry"), key: rootKey,
                                              validFrom: base - 3650 * day, validUntil: base + 3650 * day)
    }

    /// An accredited-CA certificate issued by the root.
    func makeCA(_ name: String = "Test CA", crlURL: String? = nil) throws -> (certificate: Certificate, key: PrivateKey) {
        let key = try PrivateKey.generateP256()
        let certificate = try CertificateIssuer.issue(subject: SubjectName(commonName: name, organization: name), subjectKey: key,
                                                      profile: .accreditedCA, issuer: root, issuerKey: rootKey,
                                                      validFrom: base - 1000 * day, validUntil: base + 1000 * day, crlURL: crlURL)
        return (certificate, key)
    }

    /// A citizen's signing certificate issued by `ca`, valid from `notBefore` for a year.
    func makeLeaf(by ca: (certificate: Certificate, key: PrivateKey), notBefore: Date) throws -> Certificate {
        try CertificateIssuer.issue(subject: SubjectName(commonName: "Citizen", surname: "Петрова", snils: "11223344595"),
                                    subjectKey: try PrivateKey.generateP256(), profile: .citizen, issuer: ca.certificate,
                                    issuerKey: ca.key, validFrom: notBefore, validUntil: notBefore + 365 * day)
    }

    /// DER of a CRL by the root.
    func rootCRL(thisUpdate: Date = base - 3600, nextUpdate: Date = base + day, number: Int = 1,
                 entries: [CRLBuilder.Entry] = []) throws -> [UInt8] {
        try CRLBuilder.make(issuer: root, issuerKey: rootKey, entries: entries, thisUpdate: thisUpdate, nextUpdate: nextUpdate, number: number)
    }
}

/// DER of a CRL by `ca`.
func caCRL(_ ca: (certificate: Certificate, key: PrivateKey), thisUpdate: Date = base - 3600, nextUpdate: Date = base + day,
           number: Int = 1, entries: [CRLBuilder.Entry] = []) throws -> [UInt8] {
    try CRLBuilder.make(issuer: ca.certificate, issuerKey: ca.key, entries: entries, thisUpdate: thisUpdate, nextUpdate: nextUpdate,
                        number: number)
}

/// A migrated database in a temporary folder with the trust store and registries over it; removed afterwards.
final class Harness {
    let directory: URL
    let database: Database
    let clock: FixedClock
    let audit: AuditLog
    let store: TrustStore
    let accreditations: AccreditationRegistry
    let crls: CRLRegistry

    init(roots: [Certificate], settings: TrustSettings = .init()) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("headca-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        clock = FixedClock(base)
        database = try Database(path: directory.appendingPathComponent("test.sqlite").path, clock: clock)
        try database.migrate(AuditLog.migrations + HeadCAMigrations.all)
        audit = try AuditLog(key: [UInt8](repeating: 7, count: 32), clock: clock)
        store = try TrustStore(database: database, roots: roots, settings: settings)
        accreditations = AccreditationRegistry(database: database, trustStore: store, audit: audit, clock: clock)
        crls = CRLRegistry(database: database, trustStore: store, audit: audit, clock: clock)
    }

    deinit {
        database.close()
        try? FileManager.default.removeItem(at: directory)
    }

    /// Audit kinds, oldest first.
    func auditKinds() throws -> [String] {
        try database.read { db in try db.query("SELECT kind FROM audit_log ORDER BY sequence").map { try $0.string(0) } }
    }

    /// Imports a CRL and expects it to be accepted.
    func accept(_ der: [UInt8]) throws {
        let outcome = try crls.importCRL(der, source: "test")
        guard case .accepted = outcome else { throw TestFailure("CRL not accepted: \(outcome)") }
    }

    /// Row counts of the trust store's tables and the trusted-list version, to show that nothing changed.
    func tableState() throws -> [String] {
        try database.read { db in
            try ["headca_cas", "headca_periods", "headca_crl_urls", "headca_crls", "audit_log"].map {
                "\($0)=\(try db.queryOne("SELECT COUNT(*) FROM \($0)")!.int(0))"
            } + ["tsl=\(try db.queryOne("SELECT COALESCE(tsl_version, -1) || '/' || generation FROM headca_state")!.string(0))"]
        }
    }
}

struct TestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// The error's code when `body` throws a HeadCAError, nil when it does not throw.
func headCAError(_ body: () throws -> Void) -> HeadCAError.Code? {
    do {
        try body()
        return nil
    } catch let error as HeadCAError {
        return error.code
    } catch {
        return nil
    }
}
