/// One step of the schema: plain SQL (several statements allowed) applied once, in version order.
///
/// The SQL runs inside a transaction the migrator owns, so it must not contain BEGIN, COMMIT or
/// PRAGMAs that only work outside transactions (such as `foreign_keys`); ask for `rebuildsTables` instead.
public struct Migration: Sendable, Equatable {
    /// A positive number; versions of a migration list must be strictly increasing.
    public let version: Int
    /// A short name, recorded in schema_migrations and used in error messages.
    public let name: String
    /// The statements to run.
    public let sql: String
    /// Whether the SQL rebuilds tables other tables reference (SQLite's way to change a column's constraints:
    /// create the new table, copy, drop the old one, rename the new one). Foreign keys are then switched off around
    /// the migration's transaction, so dropping the old parent neither cascades into nor blocks on its children,
    /// and `PRAGMA foreign_key_check` must come back empty before the transaction commits.
    public let rebuildsTables: Bool

    /// Makes a migration.
    public init(version: Int, name: String, sql: String, rebuildsTables: Bool = false) {
        self.version = version
        self.name = name
        self.sql = sql
        self.rebuildsTables = rebuildsTables
    }
}
