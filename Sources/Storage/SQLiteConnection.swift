import CSQLite

/// One SQLite connection with its cache of prepared statements.
///
/// Opened with SQLITE_OPEN_NOMUTEX, so it is not thread-safe: the reader pool and the writer
/// thread hand each connection to one thread at a time, which is why it may be `Sendable`.
final class SQLiteConnection: SQLExecutor, @unchecked Sendable {
    /// What the connection is for; decides its pragmas.
    enum Role { case writer, reader }

    private var db: OpaquePointer?
    private var statements: [String: SQLiteStatement] = [:]
    /// Statement texts are fixed in the stores' code, so the cache stays small; the limit guards against a leak.
    private static let statementCacheLimit = 512

    init(path: String, role: Role, busyTimeoutMilliseconds: Int) throws {
        var handle: OpaquePointer?
        let flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE
        let rc = sqlite3_open_v2(path, &handle, flags, nil)
        guard rc == SQLITE_OK, let handle else {
            let error = StorageError.sqlite(rc, handle)
            sqlite3_close_v2(handle)
            throw error.prefixed("cannot open the database")
        }
        db = handle
        sqlite3_extended_result_codes(handle, 1)
        sqlite3_busy_timeout(handle, Int32(clamping: busyTimeoutMilliseconds))
        do {
            try exec("PRAGMA foreign_keys = ON")
            try exec("PRAGMA mmap_size = 268435456")
            switch role {
            case .writer:
                // journal_mode answers with the mode in force; anything but wal means WAL is unavailable here.
                let mode = try queryOne("PRAGMA journal_mode = WAL", []).flatMap { try $0.optionalString(0) }
                guard mode?.lowercased() == "wal" else {
                    throw StorageError(.io, "cannot switch the database to WAL mode (got \(mode ?? "nothing"))")
                }
                try exec("PRAGMA synchronous = FULL")
            case .reader:
                try exec("PRAGMA query_only = ON")
            }
        } catch {
            close()
            throw error
        }
    }

    deinit { close() }

    /// Finalizes the cached statements and closes the connection; safe to call twice.
    func close() {
        for statement in statements.values { statement.finalize() }
        statements.removeAll()
        if let db { sqlite3_close_v2(db) }
        db = nil
    }

    // MARK: SQLExecutor

    @discardableResult
    func execute(_ sql: String, _ bindings: [SQLValue]) throws -> Int {
        try run(sql, bindings, allowTransactionControl: false)
    }

    func query(_ sql: String, _ bindings: [SQLValue]) throws -> [SQLRow] {
        try withStatement(sql, bindings, allowTransactionControl: false) { statement in
            var rows = [SQLRow]()
            guard try statement.step() else { return rows }
            let columns = statement.columns()
            repeat { rows.append(statement.row(columns)) } while try statement.step()
            return rows
        }
    }

    func queryOne(_ sql: String, _ bindings: [SQLValue]) throws -> SQLRow? {
        try withStatement(sql, bindings, allowTransactionControl: false) { statement in
            try statement.step() ? statement.row(statement.columns()) : nil
        }
    }

    var lastInsertRowID: Int64 { db.map { sqlite3_last_insert_rowid($0) } ?? 0 }

    // MARK: For the Database's own use

    /// Runs one statement without bindings, transaction control allowed.
    func exec(_ sql: String) throws {
        _ = try run(sql, [], allowTransactionControl: true)
    }

    /// Runs a script of several statements (a migration) one by one, like sqlite3_exec, but refuses
    /// transaction control before running it, since a COMMIT inside would leave a half-applied migration.
    func executeScript(_ sql: String) throws {
        guard let db else { throw StorageError(.closed, "connection closed") }
        try sql.withCString { start in
            var next: UnsafePointer<CChar>? = start
            while let text = next, text.pointee != 0 {
                var statement: OpaquePointer?
                let rc = sqlite3_prepare_v2(db, text, -1, &statement, &next)
                guard rc == SQLITE_OK else { throw StorageError.sqlite(rc, db) }
                guard let statement else { continue } // only whitespace or a comment was left
                defer { sqlite3_finalize(statement) }
                if SQLiteStatement.isTransactionControl(String(cString: sqlite3_sql(statement))) {
                    throw StorageError(.misuse, "a migration may not begin or end transactions; the migrator does")
                }
                var step = sqlite3_step(statement)
                while step == SQLITE_ROW { step = sqlite3_step(statement) }
                guard step == SQLITE_DONE else { throw StorageError.sqlite(step, db) }
            }
        }
    }

    /// True outside any transaction; a batch that finds this true mid-way has lost its transaction.
    var isAutocommit: Bool { db.map { sqlite3_get_autocommit($0) != 0 } ?? true }

    /// Whether deferred foreign-key constraints are violated now, which would make COMMIT fail.
    var hasDeferredForeignKeyViolations: Bool {
        guard let db else { return false }
        var current: Int32 = 0
        var highest: Int32 = 0
        sqlite3_db_status(db, SQLITE_DBSTATUS_DEFERRED_FKS, &current, &highest, 0)
        return current > 0
    }

    // MARK: Statements

    private func run(_ sql: String, _ bindings: [SQLValue], allowTransactionControl: Bool) throws -> Int {
        try withStatement(sql, bindings, allowTransactionControl: allowTransactionControl) { statement in
            let before = sqlite3_total_changes64(db)
            while try statement.step() {}
            // changes() keeps the count of the last INSERT/UPDATE/DELETE, stale after DDL or a no-op;
            // total_changes tells whether this statement changed anything at all.
            return sqlite3_total_changes64(db) == before ? 0 : Int(sqlite3_changes64(db))
        }
    }

    private func withStatement<R>(_ sql: String, _ bindings: [SQLValue], allowTransactionControl: Bool,
                                  _ body: (SQLiteStatement) throws -> R) throws -> R {
        let statement = try prepared(sql)
        if statement.controlsTransaction && !allowTransactionControl {
            throw StorageError(.misuse, "transactions are managed by the Database; closures may not begin or end them")
        }
        defer { statement.reset() }
        try statement.bind(bindings)
        return try body(statement)
    }

    private func prepared(_ sql: String) throws -> SQLiteStatement {
        if let cached = statements[sql] { return cached }
        guard let db else { throw StorageError(.closed, "connection closed") }
        let statement = try SQLiteStatement(db: db, sql: sql)
        if statements.count >= SQLiteConnection.statementCacheLimit {
            // Safe: no statement is in use between calls, since every call runs its statement to the end.
            for old in statements.values { old.finalize() }
            statements.removeAll(keepingCapacity: true)
        }
        statements[sql] = statement
        return statement
    }
}
