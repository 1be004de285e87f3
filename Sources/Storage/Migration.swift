/// One step of the schema: plain SQL (several statements allowed) applied once, in version order.
///
/// The SQL runs inside a transaction the migrator owns, so it must not contain BEGIN, COMMIT or
/// PRAGMAs that only work outside transactions (such as `foreign_keys`).
public struct Migration: Sendable, Equatable {
    /// A positive number; versions of a migration list must be strictly increasing.
    public let version: Int
    /// A short name, recorded in schema_migrations and used in error messages.
    public let name: String
    /// The statements to run.
    public let sql: String

    /// Makes a migration.
    public init(version: Int, name: String, sql: String) {
        self.version = version
        self.name = name
        self.sql = sql
    }
}
