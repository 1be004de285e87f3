import CSQLite

/// A prepared statement of one connection, kept between uses; used by one thread at a time like its connection.
final class SQLiteStatement {
    private(set) var handle: OpaquePointer?
    private let db: OpaquePointer
    /// Whether the statement begins, ends or nests a transaction, which closures may not do.
    let controlsTransaction: Bool
    private let parameterCount: Int

    /// Prepares exactly one statement; trailing text other than whitespace and comments is refused,
    /// because SQLite would silently ignore it.
    init(db: OpaquePointer, sql: String) throws {
        self.db = db
        var statement: OpaquePointer?
        var extra: OpaquePointer?
        let rc = sql.withCString { text -> Int32 in
            var tail: UnsafePointer<CChar>?
            let rc = sqlite3_prepare_v3(db, text, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &statement, &tail)
            if rc == SQLITE_OK, let tail, tail.pointee != 0 {
                // Preparing the rest yields no statement when only whitespace, semicolons or comments remain.
                if sqlite3_prepare_v2(db, tail, -1, &extra, nil) != SQLITE_OK { extra = statement }
            }
            return rc
        }
        guard rc == SQLITE_OK else { throw StorageError.sqlite(rc, db) }
        guard let statement else { throw StorageError(.misuse, "empty SQL statement") }
        if let extra {
            if extra != statement { sqlite3_finalize(extra) }
            sqlite3_finalize(statement)
            throw StorageError(.misuse, "one statement per call; multi-statement scripts belong in migrations")
        }
        handle = statement
        parameterCount = Int(sqlite3_bind_parameter_count(statement))
        controlsTransaction = SQLiteStatement.isTransactionControl(sql)
    }

    deinit { finalize() }

    func finalize() {
        if let handle { sqlite3_finalize(handle) }
        handle = nil
    }

    /// Binds values to the positional parameters 1…n; text and blobs are copied (SQLITE_TRANSIENT).
    func bind(_ values: [SQLValue]) throws {
        guard values.count == parameterCount else {
            throw StorageError(.misuse, "statement has \(parameterCount) parameters but \(values.count) values were bound")
        }
        guard let handle else { throw StorageError(.closed, "statement finalized") }
        for (offset, value) in values.enumerated() {
            let index = Int32(offset + 1)
            let rc: Int32
            switch value {
            case .null:
                rc = sqlite3_bind_null(handle, index)
            case .integer(let v):
                rc = sqlite3_bind_int64(handle, index, v)
            case .real(let v):
                rc = sqlite3_bind_double(handle, index, v)
            case .text(let v):
                // withCString (not withUTF8) because a nil base pointer would bind NULL for "".
                let count = v.utf8.count
                rc = v.withCString { sqlite3_bind_text64(handle, index, $0, UInt64(count), shim_sqlite_transient(), UInt8(SQLITE_UTF8)) }
            case .blob(let v):
                // An empty array may have no base address, which SQLite would bind as NULL.
                rc = v.isEmpty ? sqlite3_bind_zeroblob(handle, index, 0)
                    : v.withUnsafeBytes { sqlite3_bind_blob64(handle, index, $0.baseAddress, UInt64($0.count), shim_sqlite_transient()) }
            }
            guard rc == SQLITE_OK else { throw StorageError.sqlite(rc, db) }
        }
    }

    /// Advances to the next row: true for a row, false when done.
    func step() throws -> Bool {
        guard let handle else { throw StorageError(.closed, "statement finalized") }
        switch sqlite3_step(handle) {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        case let rc: throw StorageError.sqlite(rc, db)
        }
    }

    /// Makes the statement reusable; the step's error, if any, was already reported by `step`.
    func reset() {
        guard let handle else { return }
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
    }

    var isReadOnly: Bool { handle.map { sqlite3_stmt_readonly($0) != 0 } ?? true }

    /// The current row's column names; read per result because a schema change can re-prepare `SELECT *`.
    func columns() -> SQLColumns {
        guard let handle else { return SQLColumns([]) }
        let count = sqlite3_column_count(handle)
        return SQLColumns((0..<count).map { sqlite3_column_name(handle, $0).map { String(cString: $0) } ?? "" })
    }

    /// The current row's values.
    func row(_ columns: SQLColumns) -> SQLRow {
        guard let handle else { return SQLRow(values: [], columns: columns) }
        let count = Int(sqlite3_column_count(handle))
        var values = [SQLValue]()
        values.reserveCapacity(count)
        for i in 0..<Int32(count) {
            switch sqlite3_column_type(handle, i) {
            case SQLITE_INTEGER:
                values.append(.integer(sqlite3_column_int64(handle, i)))
            case SQLITE_FLOAT:
                values.append(.real(sqlite3_column_double(handle, i)))
            case SQLITE_TEXT:
                let bytes = Int(sqlite3_column_bytes(handle, i))
                if let text = sqlite3_column_text(handle, i) {
                    values.append(.text(String(decoding: UnsafeBufferPointer(start: text, count: bytes), as: UTF8.self)))
                } else {
                    values.append(.text(""))
                }
            case SQLITE_BLOB:
                let bytes = Int(sqlite3_column_bytes(handle, i))
                if bytes > 0, let blob = sqlite3_column_blob(handle, i) {
                    values.append(.blob(Array(UnsafeRawBufferPointer(start: blob, count: bytes))))
                } else {
                    values.append(.blob([]))
                }
            default:
                values.append(.null)
            }
        }
        return SQLRow(values: values, columns: columns)
    }

    /// Whether SQL text starts with a transaction-control keyword; comments before it are not looked through.
    static func isTransactionControl(_ sql: String) -> Bool {
        var word = [UInt8]()
        for byte in sql.utf8 {
            if word.isEmpty && (byte == 0x20 || (0x09...0x0d).contains(byte)) { continue }
            guard (0x41...0x5a).contains(byte) || (0x61...0x7a).contains(byte), word.count < 10 else { break }
            word.append(byte & 0xdf)
        }
        switch String(decoding: word, as: UTF8.self) {
        case "BEGIN", "COMMIT", "END", "ROLLBACK", "SAVEPOINT", "RELEASE": return true
        default: return false
        }
    }
}
