@testable import Activation
import Audit
import Citizens
import Crypto
import Foundation
import Storage
import Support

/// keys-example/ of this checkout.
let keysFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("keys-example").path

/// A migrated database, the citizens and activation services over it, a fixed clock and a log sink; removed afterwards.
struct Harness {
    let directory: URL
    let database: Database
    let clock: FixedClock
    let log: MemorySink
    let audit: AuditLog
    let citizens: CitizenService
    let throttle: LoginThrottle
    let service: ActivationService
    let codeKey: SymmetricKey

    /// A standard-level citizen, seeded quickly (one shared cheap password hash).
    func standardCitizen() throws -> Int64 {
        let existing = try database.read { try $0.queryOne("SELECT COUNT(*) FROM citizens")!.int(0) }
        try citizens.seedSynthetic(count: 1, startingAt: existing, password: "Test-Password-2026")
        return try database.read { try $0.queryOne("SELECT MAX(id) FROM citizens")!.int64(0) }
    }

    func level(_ citizenID: Int64) throws -> AccountLevel? { try citizens.profile(citizenID: citizenID).level }

    /// Every audit record's text (kind, actor, subject, details), oldest first.
    func auditText() throws -> [String] {
        try database.read { db in
            try db.query("SELECT kind || ' ' || actor || ' ' || COALESCE(subject, '') || ' ' || details FROM audit_log ORDER BY sequence")
                .map { try $0.string(0) }
        }
    }

    func auditKinds() throws -> [String] {
        try database.read { db in try db.query("SELECT kind FROM audit_log ORDER BY sequence").map { try $0.string(0) } }
    }
}

func withHarness(settings: ActivationSettings = .init(), _ body: (Harness) throws -> Void) throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("activation-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let clock = FixedClock()
    let log = MemorySink()
    let logger = Logger(minimumLevel: .debug, sink: log, clock: clock)
    let database = try Database(path: directory.appendingPathComponent("test.sqlite").path, logger: logger, clock: clock)
    defer { database.close() }
    try database.migrate(AuditLog.migrations + CitizenService.migrations + ActivationMigrations.all)
    let dataKeys = try DataKeyRing.load(directory: keysFolder)
    let indexKey = try KeyDirectory.secret(.blindIndex, in: keysFolder)
    let auditKey = try KeyDirectory.secret(.audit, in: keysFolder)
    let tokenKey = try KeyDirectory.secret(.tokenHash, in: keysFolder)
    let audit = try AuditLog(key: auditKey.bytes, clock: clock)
    let throttle = LoginThrottle(database: database, policy: ThrottlePolicy(), clock: clock)
    var citizenSettings = CitizenSettings()
    citizenSettings.passwordParameters = ScryptParameters(logN: 10, r: 8, p: 1)
    let citizens = CitizenService(database: database, vault: PersonalDataVault(keys: dataKeys, indexKey: indexKey), audit: audit,
                                  outbox: Outbox(clock: clock), sessions: SessionStore(database: database, hashKey: tokenKey.bytes, clock: clock),
                                  throttle: throttle, codeKey: tokenKey, settings: citizenSettings, clock: clock, logger: logger)
    let service = ActivationService(database: database, citizens: citizens, audit: audit, throttle: throttle, codeKey: tokenKey,
                                    clock: clock, settings: settings, logger: logger)
    try body(Harness(directory: directory, database: database, clock: clock, log: log, audit: audit, citizens: citizens,
                     throttle: throttle, service: service, codeKey: tokenKey))
}

/// The error an expression throws, as an ActivationError code; nil when it does not throw one.
func activationError(_ body: () throws -> Void) -> ActivationError.Code? {
    do {
        try body()
        return nil
    } catch let error as ActivationError {
        return error.code
    } catch {
        return nil
    }
}

let home = RequestSource(address: "192.0.2.10")
