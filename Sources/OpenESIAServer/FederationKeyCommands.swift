import Audit
import Crypto
import Federation
import Foundation
import Storage
import Support

/// The operator's token-signing key commands (`openesia keys rotate`, `openesia keys list`) and the store they share with
/// the server. Like `AdminCommands`, each opens the database (applying migrations), does one job and closes it; a running
/// server sees the change within `SigningKeySettings.refreshInterval` (a minute).
public enum FederationKeyCommands {
    /// One key as `keys list` shows it.
    public struct KeyLine: Sendable, Equatable {
        public var record: SigningKeyRecord
        public var state: SigningKeyState
    }

    /// Makes a new key for each of `algorithms` (all three when empty); returns them. Keys for an algorithm that had
    /// one start signing after `federation.signingKeyPublishLeadSeconds`.
    public static func rotate(configuration: Configuration, logger: Logger, algorithms: [JWSAlgorithm]) throws -> [SigningKeyRecord] {
        try withStore(configuration, logger) { store in
            let now = Date()
            return try (algorithms.isEmpty ? SigningKeyStore.algorithms : algorithms).map { try store.rotate(algorithm: $0, at: now) }
        }
    }

    /// Every key with its state now, by algorithm and age.
    public static func list(configuration: Configuration, logger: Logger) throws -> [KeyLine] {
        try withStore(configuration, logger) { store in
            let keys = try store.allKeys()
            let states = SigningKeyState.of(keys, at: Date())
            return keys.map { KeyLine(record: $0, state: states[$0.keyID] ?? .retired) }
        }
    }

    /// The signing-key store over `database`, with the data key ring from the key directory and the configured timing.
    static func makeStore(configuration: Configuration, database: Database, audit: AuditLog) throws -> SigningKeyStore {
        var settings = SigningKeySettings()
        settings.publishLead = configuration.federation.signingKeyPublishLeadSeconds
        settings.maxTokenLifetime = configuration.federation.maxTokenLifetimeSeconds
        return SigningKeyStore(database: database, dataKeys: try DataKeyRing.load(directory: configuration.keys.directory),
                               audit: audit, settings: settings)
    }

    private static func withStore<T>(_ configuration: Configuration, _ logger: Logger, _ body: (SigningKeyStore) throws -> T) throws -> T {
        var options = Database.Options()
        options.readers = configuration.database.readers
        options.busyTimeoutMilliseconds = configuration.database.busyTimeoutMilliseconds
        let database = try Database(path: configuration.database.path, options: options, logger: logger)
        defer { database.close() }
        try database.migrate(Migrations.all)
        let audit = try AuditLog(key: try KeyDirectory.secret(.audit, in: configuration.keys.directory).bytes, clock: SystemClock())
        return try body(try makeStore(configuration: configuration, database: database, audit: audit))
    }
}

extension FederationKeyCommands {
    /// What `keys rotate` prints for the keys it made.
    public static func summary(of keys: [SigningKeyRecord]) -> String {
        keys.map { "New \($0.algorithm.rawValue) key \($0.keyID): published now, signs from \(Timestamp.iso8601($0.signFrom)).\n" }.joined()
            + "A running server picks new keys up within a minute; older keys stay in the JWKS until the tokens they signed expire.\n"
    }

    /// What `keys list` prints: one line per key, a header first.
    public static func table(_ lines: [KeyLine]) -> String {
        guard !lines.isEmpty else { return "No signing keys yet; the server makes them at its first start.\n" }
        // GOST keys are not in the JWKS; their times mean the same for the service's own verification.
        let rows = [["algorithm", "kid", "state", "published", "signs from", "retires"]] + lines.map { line in
            let record = line.record
            return [record.algorithm.rawValue, record.keyID, line.state.rawValue, Timestamp.iso8601(record.publishFrom),
                    Timestamp.iso8601(record.signFrom), record.retireAfter.map(Timestamp.iso8601) ?? "-"]
        }
        let widths = (0..<rows[0].count).map { column in rows.map { $0[column].count }.max()! }
        return rows.map { row in
            zip(row, widths).map { $0.padding(toLength: $1, withPad: " ", startingAt: 0) }.joined(separator: "  ")
                .trimmingCharacters(in: .whitespaces)
        }.joined(separator: "\n") + "\n"
    }

    /// A line for the operator when `error` is a signing-key error; nil for any other error.
    public static func message(for error: any Error) -> String? {
        (error as? SigningKeyError)?.description
    }
}
