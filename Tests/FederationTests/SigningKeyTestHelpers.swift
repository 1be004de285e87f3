import Audit
import Crypto
@testable import Federation
import Foundation
import Storage
import Support

/// A migrated database in a temporary folder, with an audit log and a data key ring; removed afterwards.
struct SigningKeyHarness {
    let database: Database
    let audit: AuditLog
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
}

func withSigningKeyHarness(_ body: (SigningKeyHarness) throws -> Void) throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("federation-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let database = try Database(path: directory.appendingPathComponent("test.sqlite").path)
    defer { database.close() }
    try database.migrate(AuditLog.migrations + SigningKeyStore.migrations)
    let audit = try AuditLog(key: SymmetricKey.random().bytes, clock: FixedClock())
    let dataKeys = try DataKeyRing(currentID: "test-1", keys: ["test-1": .random()])
    try body(SigningKeyHarness(database: database, audit: audit, dataKeys: dataKeys))
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
