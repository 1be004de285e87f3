import Support

/// Applies migrations on the writer connection, each pending one in its own transaction.
enum Migrator {
    static let createTable = """
        CREATE TABLE IF NOT EXISTS schema_migrations (
            version INTEGER PRIMARY KEY,
            name TEXT NOT NULL,
            applied_at TEXT NOT NULL
        )
        """

    /// Refuses lists that are not strictly increasing in positive versions.
    static func validate(_ migrations: [Migration]) throws {
        var previous = 0
        for migration in migrations {
            guard migration.version > previous else {
                throw StorageError(.migrationFailed,
                    "migration versions must be positive and strictly increasing: \(migration.version) (\(migration.name)) follows \(previous)")
            }
            previous = migration.version
        }
    }

    /// The highest applied version, 0 for a fresh database.
    static func currentVersion(_ executor: any SQLExecutor) throws -> Int {
        try executor.queryOne("SELECT MAX(version) FROM schema_migrations", [])?.optionalInt(0) ?? 0
    }

    /// Applies the pending migrations and returns their versions; runs on the writer thread.
    static func apply(_ migrations: [Migration], on connection: SQLiteConnection, clock: any WallClock,
                      logger: Logger?) throws -> [Int] {
        try validate(migrations)
        try connection.exec(createTable)
        let known = migrations.last?.version ?? 0
        let current = try currentVersion(connection)
        guard current <= known else {
            throw StorageError(.schemaTooNew,
                "the database is at schema version \(current) but this program knows only up to \(known)")
        }
        var applied = [Int]()
        for migration in migrations {
            // Only outside a transaction does this pragma take effect; it is switched back on whatever happens.
            if migration.rebuildsTables { try connection.exec("PRAGMA foreign_keys = OFF") }
            defer { if migration.rebuildsTables { try? connection.exec("PRAGMA foreign_keys = ON") } }
            try connection.exec("BEGIN IMMEDIATE")
            do {
                // Checked inside the transaction, so two processes migrating at once do not both apply it.
                if try connection.queryOne("SELECT 1 FROM schema_migrations WHERE version = ?", [SQLValue(migration.version)]) != nil {
                    try connection.exec("COMMIT")
                    continue
                }
                try connection.executeScript(migration.sql)
                if migration.rebuildsTables, try connection.queryOne("PRAGMA foreign_key_check", []) != nil {
                    throw StorageError(.constraintViolation, "the rebuilt tables break a foreign key")
                }
                try connection.execute("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                                       [SQLValue(migration.version), .text(migration.name), .text(Timestamp.iso8601(clock.now()))])
                try connection.exec("COMMIT")
            } catch {
                if !connection.isAutocommit { try? connection.exec("ROLLBACK") }
                let failure = (error as? StorageError) ?? StorageError(.other, String(describing: type(of: error)))
                logger?.error("storage: migration failed", ["version": String(migration.version), "name": migration.name,
                                                            "error": failure.description])
                throw failure.prefixed("migration \(migration.version) (\(migration.name)) failed", code: .migrationFailed)
            }
            applied.append(migration.version)
            logger?.info("storage: migration applied", ["version": String(migration.version), "name": migration.name])
        }
        return applied
    }
}
