import Audit
import Citizens
import Crypto
import Foundation
import Storage
import Support

/// The operator's commands that work on the data folder without serving: each opens the database (applying
/// migrations), does one job, and closes it. Safe to run beside a running server: writes go through SQLite's locks.
public enum AdminCommands {
    /// Replaces the reference registry with a CSV file's people (docs/registry.md); returns how many.
    public static func importRegistry(configuration: Configuration, logger: Logger, csvFile: String) throws -> Int {
        try withComponents(configuration, logger) { components in
            let text = try String(contentsOfFile: csvFile, encoding: .utf8)
            let count = try components.referenceRegistry.importCSV(text)
            try components.audit.append(AuditEvent(kind: "registry.imported", actor: "operator", details: ["people": String(count)]),
                                        to: components.database)
            return count
        }
    }

    /// Adds a new data key, makes it current, and re-encrypts every document row and re-seals every token-signing key
    /// and staff secret under it; returns the key id, the document rows, the signing keys and the staff accounts.
    public static func rotateDataKey(configuration: Configuration, logger: Logger)
        throws -> (keyID: String, rows: Int, signingKeys: Int, staff: Int) {
        let keyID = try DataKeyRing.addKey(directory: configuration.keys.directory)
        let (rows, signingKeys) = try withComponents(configuration, logger) { components in
            let rows = try components.service.reencryptDocuments()
            let signingKeys = try FederationKeyCommands.makeStore(configuration: configuration, database: components.database,
                                                                  audit: components.audit).resealPrivateKeys(actor: "operator")
            return (rows, signingKeys)
        }
        let staff = try StaffCommands.withDirectories(configuration, logger) { staff, _ in try staff.resealSecrets() }
        return (keyID, rows, signingKeys, staff)
    }

    /// Walks the audit chain from the first record; reports the first broken link, or a log cut short before `anchor`.
    public static func verifyAudit(configuration: Configuration, logger: Logger,
                                   anchor: (sequence: Int64, hash: [UInt8])? = nil) throws -> AuditVerification {
        try withComponents(configuration, logger) { components in
            if let anchor { return try components.audit.verify(database: components.database, anchor: anchor) }
            return try components.audit.verify(database: components.database)
        }
    }

    /// The newest audit record's sequence and hash; nil for an empty log.
    public static func auditHead(configuration: Configuration, logger: Logger) throws -> (sequence: Int64, hash: [UInt8])? {
        try withComponents(configuration, logger) { components in try components.audit.head(database: components.database) }
    }

    /// Creates synthetic citizens for development and benchmarks; returns how many and how long it took.
    public static func seedCitizens(configuration: Configuration, logger: Logger, count: Int, password: String,
                                    progress: @escaping (Int) -> Void = { _ in }) throws -> (created: Int, seconds: Double) {
        try withComponents(configuration, logger) { components in
            let existing = try components.database.read { db in try db.queryOne("SELECT COUNT(*) FROM citizens", [])!.int(0) }
            let started = Date()
            let created = try components.service.seedSynthetic(count: count, startingAt: existing, password: password, progress: progress)
            return (created, Date().timeIntervalSince(started))
        }
    }

    static func withComponents<T>(_ configuration: Configuration, _ logger: Logger, _ body: (CitizenComponents) throws -> T) throws -> T {
        var options = Database.Options()
        options.readers = configuration.database.readers
        options.busyTimeoutMilliseconds = configuration.database.busyTimeoutMilliseconds
        let database = try Database(path: configuration.database.path, options: options, logger: logger)
        defer { database.close() }
        try database.migrate(Migrations.all)
        let components = try CitizenComponents.make(configuration: configuration, database: database, clock: SystemClock(), logger: logger)
        return try body(components)
    }
}
