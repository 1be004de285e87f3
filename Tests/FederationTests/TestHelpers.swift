import Audit
import Crypto
@testable import Federation
import Foundation
import PKI
import Storage
import Support

/// keys-example/ of this checkout.
let keysFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("keys-example").path

/// A migrated database in a temporary folder, a registry over it, and a fixed clock; removed afterwards.
struct Harness {
    let directory: URL
    let database: Database
    let clock: FixedClock
    let audit: AuditLog
    let secretKey: SymmetricKey
    let registry: PortalRegistry
    let dataKeys: DataKeyRing

    /// A signing-key store over this database.
    func store(_ settings: SigningKeySettings = .init(), dataKeys: DataKeyRing? = nil) -> SigningKeyStore {
        SigningKeyStore(database: database, dataKeys: dataKeys ?? self.dataKeys, audit: audit, settings: settings)
    }

    /// Every audit record as "kind subject", oldest first.
    func auditEvents() throws -> [String] {
        try database.read { db in
            try db.query("SELECT kind || ' ' || COALESCE(subject, '') FROM audit_log ORDER BY sequence").map { try $0.string(0) }
        }
    }

    /// A second registry over the same database, as another process (the command line beside the server) has.
    func otherProcess(revalidationInterval: Double = 0) -> PortalRegistry {
        PortalRegistry(database: database, audit: audit, secretKey: secretKey, clock: clock, revalidationInterval: revalidationInterval)
    }

    /// Every audit record as "kind actor subject details", oldest first.
    func auditText() throws -> [String] {
        try database.read { db in
            try db.query("SELECT kind || ' ' || actor || ' ' || COALESCE(subject, '') || ' ' || details FROM audit_log ORDER BY sequence")
                .map { try $0.string(0) }
        }
    }

    func auditKinds() throws -> [String] {
        try database.read { db in try db.query("SELECT kind FROM audit_log ORDER BY sequence").map { try $0.string(0) } }
    }

    func portalRows() throws -> Int {
        try database.read { db in try db.queryOne("SELECT COUNT(*) FROM portals")!.int(0) }
    }
}

func withHarness(revalidationInterval: Double = 60, _ body: (Harness) throws -> Void) throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("federation-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let clock = FixedClock()
    let database = try Database(path: directory.appendingPathComponent("test.sqlite").path, clock: clock)
    defer { database.close() }
    try database.migrate(AuditLog.migrations + PortalRegistry.migrations + SigningKeyStore.migrations)
    let audit = try AuditLog(key: try KeyDirectory.secret(.audit, in: keysFolder).bytes, clock: clock)
    let secretKey = try KeyDirectory.secret(.clientSecret, in: keysFolder)
    let registry = PortalRegistry(database: database, audit: audit, secretKey: secretKey, clock: clock,
                                  revalidationInterval: revalidationInterval)
    let dataKeys = try DataKeyRing(currentID: "test-1", keys: ["test-1": .random()])
    try body(Harness(directory: directory, database: database, clock: clock, audit: audit, secretKey: secretKey, registry: registry,
                     dataKeys: dataKeys))
}

/// An OIDC portal with one https redirect URI; change what the test needs.
func draft(_ clientID: String = "portal-1", _ change: (inout PortalDraft) -> Void = { _ in }) -> PortalDraft {
    var draft = PortalDraft(clientID: clientID, name: "Городской портал", redirectURIs: ["https://portal.example/callback"])
    change(&draft)
    return draft
}

/// A self-signed P-256 certificate, PEM, made once for all tests.
let testCertificatePEM: String = try! SelfSignedCertificate.makeTLS(hostnames: ["portal.example"], ipAddresses: [], validDays: 30).certificatePEM

/// The same certificate, DER.
let testCertificateDER: [UInt8] = try! Certificate(pem: testCertificatePEM).derBytes

/// The field errors an expression throws, as `path: rule` strings; nil when it throws none.
func fieldErrors(_ body: () throws -> Void) -> [String]? {
    do {
        try body()
        return nil
    } catch PortalError.invalid(let errors) {
        return errors.map(\.description)
    } catch {
        return ["unexpected: \(error)"]
    }
}

/// The field errors of checking `draft`; [] when it is valid.
func problems(_ draft: PortalDraft) -> [String] {
    fieldErrors { _ = try PortalValidation.check(draft) } ?? []
}

/// Settings with a publish lead, a token lifetime and a cache refresh that tests can step through.
func settings(publishLead: TimeInterval = 0, maxTokenLifetime: TimeInterval = 3_600, refresh: TimeInterval = 60) -> SigningKeySettings {
    var settings = SigningKeySettings()
    settings.publishLead = publishLead
    settings.maxTokenLifetime = maxTokenLifetime
    settings.refreshInterval = refresh
    return settings
}

let t0 = Date(timeIntervalSince1970: 1_800_000_000)

extension SigningKeyStore {
    /// The key ids in the JWKS at `time`.
    func jwksKeyIDs(at time: Date) throws -> [String] {
        try jwks(at: time)["keys"]!.arrayValue!.map { $0["kid"]!.stringValue! }
    }
}
