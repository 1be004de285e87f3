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
    try database.migrate(AuditLog.migrations + PortalRegistry.migrations)
    let audit = try AuditLog(key: try KeyDirectory.secret(.audit, in: keysFolder).bytes, clock: clock)
    let secretKey = try KeyDirectory.secret(.clientSecret, in: keysFolder)
    let registry = PortalRegistry(database: database, audit: audit, secretKey: secretKey, clock: clock,
                                  revalidationInterval: revalidationInterval)
    try body(Harness(directory: directory, database: database, clock: clock, audit: audit, secretKey: secretKey, registry: registry))
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
