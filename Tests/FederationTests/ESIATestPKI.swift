import Audit
import Crypto
@testable import Federation
import Foundation
import HeadCA
import PKI
import Storage
import Support
import Synchronization

/// Head CA root → accredited CA → ESIA portal certificate, one key algorithm throughout, made with CertificateIssuer.
struct ESIATestPKI: Sendable {
    let rootKey: PrivateKey, root: Certificate
    let caKey: PrivateKey, ca: Certificate
    let portalKey: PrivateKey, portal: Certificate
    /// A second portal certificate from the same CA: a trusted certificate that is not the registered one.
    let otherKey: PrivateKey, other: Certificate

    /// Certificates are valid from here for ten years.
    static let start = Date(timeIntervalSince1970: 1_790_000_000)
    /// A time inside every certificate's validity.
    static let now = start.addingTimeInterval(86_400)

    enum Algorithm: String, Sendable, CaseIterable { case gost256, gost512, rsa, p256 }

    /// One hierarchy per algorithm per test process (RSA key generation is slow).
    static func of(_ algorithm: Algorithm) throws -> ESIATestPKI {
        try cache.withLock { cache in
            if let made = cache[algorithm] { return made }
            let made = try ESIATestPKI(algorithm)
            cache[algorithm] = made
            return made
        }
    }

    private static let cache = Mutex<[Algorithm: ESIATestPKI]>([:])

    private init(_ algorithm: Algorithm) throws {
        func key() throws -> PrivateKey {
            switch algorithm {
            case .gost256: try PrivateKey.generateGOST2012(bits: 256)
            case .gost512: try PrivateKey.generateGOST2012(bits: 512)
            case .rsa: try PrivateKey.generateRSA(bits: 2048)
            case .p256: try PrivateKey.generateP256()
            }
        }
        let until = Self.start.addingTimeInterval(3_650 * 86_400)
        rootKey = try key()
        root = try CertificateIssuer.makeRoot(subject: SubjectName(commonName: "ГУЦ (тест ЕСИА)"), key: rootKey, validFrom: Self.start,
                                              validUntil: until)
        caKey = try key()
        ca = try CertificateIssuer.issue(subject: SubjectName(commonName: "УЦ (тест ЕСИА)"), subjectKey: caKey, profile: .accreditedCA,
                                         issuer: root, issuerKey: rootKey, validFrom: Self.start, validUntil: until)
        portalKey = try key()
        portal = try CertificateIssuer.issue(subject: SubjectName(commonName: "ИС ведомства", organization: "Ведомство"), subjectKey: portalKey,
                                             profile: .portal, issuer: ca, issuerKey: caKey, validFrom: Self.start, validUntil: until)
        otherKey = try key()
        other = try CertificateIssuer.issue(subject: SubjectName(commonName: "ИС ведомства", organization: "Ведомство"), subjectKey: otherKey,
                                            profile: .portal, issuer: ca, issuerKey: caKey, validFrom: Self.start, validUntil: until)
    }

    /// An enabled ESIA portal registered with this hierarchy's portal certificate.
    func esiaPortal(clientID: String = "INSP03211", pinned: Bool = true, enabled: Bool = true) -> Portal {
        let certificate = PortalCertificate(der: portal.derBytes, subject: portal.subjectDescription, issuer: portal.issuerDescription,
                                            serialNumber: portal.serialNumberHex, notBefore: portal.notBefore, notAfter: portal.notAfter)
        let settings = PortalSettings(name: "ИС ведомства", redirectURIs: ["https://is.example.gov/esia/callback"], postLogoutRedirectURIs: [],
                                      backchannelLogoutURI: nil, allowedScopes: [.openid, .fullname], minimumLevel: .simplified,
                                      dialect: .esia, signingAlgorithm: .rs256, authMethods: [.esiaSignature], jwksURI: nil, jwks: nil,
                                      certificate: certificate, certificatePinned: pinned)
        return Portal(clientID: clientID, settings: settings, enabled: enabled, createdAt: Self.start, updatedAt: Self.start,
                      hasSecret: false, secretRotatedAt: nil, previousSecretExpiresAt: nil)
    }
}

/// Trust decided by the test: trusted unless it lists failures.
struct FixedTrust: PortalCertificateTrust {
    var failures: [String] = []
    func failures(of certificate: Certificate, intermediates: [Certificate], at time: Date) -> [String] { failures }
}

/// A real head CA trust store over a temporary database, trusting `pki`'s root and accrediting its CA (no CRLs checked).
final class TrustStoreFixture {
    let directory: URL
    let database: Database
    let store: TrustStore

    init(_ pki: ESIATestPKI) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("esia-trust-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        database = try Database(path: directory.appendingPathComponent("test.sqlite").path)
        try database.migrate(AuditLog.migrations + HeadCAMigrations.all)
        var settings = TrustSettings()
        settings.revocation = .off
        store = try TrustStore(database: database, roots: [pki.root], settings: settings)
        let audit = try AuditLog(key: [UInt8](repeating: 7, count: 32), clock: FixedClock(ESIATestPKI.start))
        _ = try AccreditationRegistry(database: database, trustStore: store, audit: audit, clock: FixedClock(ESIATestPKI.start))
            .accredit(pki.ca, from: ESIATestPKI.start)
    }

    deinit {
        database.close()
        try? FileManager.default.removeItem(at: directory)
    }
}
