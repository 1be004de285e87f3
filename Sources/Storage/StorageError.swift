import CSQLite

/// An error from the storage layer. Two errors are equal when their codes are.
///
/// `message` carries SQLite's own message or a description of the misuse; bound values never appear in it.
public struct StorageError: Error, Equatable, CustomStringConvertible, Sendable {
    /// What kind of failure this is; callers branch on this, not on the message.
    public enum Code: String, Sendable {
        /// A UNIQUE or PRIMARY KEY constraint rejected the row.
        case uniqueViolation
        /// Another constraint (NOT NULL, CHECK, FOREIGN KEY) rejected the change.
        case constraintViolation
        /// The database stayed locked past the busy timeout.
        case busy
        /// A column (or a row the caller required) does not exist.
        case notFound
        /// A value was NULL or of another type than the accessor asked for.
        case typeMismatch
        /// The database holds a schema version newer than this program knows.
        case schemaTooNew
        /// A migration could not be applied, or the migration list is invalid.
        case migrationFailed
        /// The database has been closed.
        case closed
        /// A write was attempted on a read-only connection.
        case readOnly
        /// The API was used in a way it does not allow (re-entrant write, transaction control, wrong binding count).
        case misuse
        /// The file could not be opened, read, written or synced, or is not a database.
        case io
        /// Any other SQLite error.
        case other
    }

    /// The kind of failure.
    public let code: Code
    /// A human-readable explanation without any bound values.
    public let message: String
    /// SQLite's extended result code, or 0 when the error did not come from SQLite.
    public let sqliteCode: Int32

    /// Makes an error; `message` must not contain personal data.
    public init(_ code: Code, _ message: String = "", sqliteCode: Int32 = 0) {
        self.code = code
        self.message = message
        self.sqliteCode = sqliteCode
    }

    public var description: String {
        sqliteCode == 0 ? "storage error \(code.rawValue): \(message)"
            : "storage error \(code.rawValue) (sqlite \(sqliteCode)): \(message)"
    }

    public static func == (a: StorageError, b: StorageError) -> Bool { a.code == b.code }

    /// The same error with context (a migration's name, say) put in front of the message.
    func prefixed(_ context: String, code newCode: Code? = nil) -> StorageError {
        StorageError(newCode ?? code, "\(context): \(message)", sqliteCode: sqliteCode)
    }
}

// Extended result codes; the header defines them as shifted expressions that Swift does not import.
private let sqliteConstraintPrimaryKey: Int32 = 1555 // SQLITE_CONSTRAINT | (6 << 8)
private let sqliteConstraintUnique: Int32 = 2067 // SQLITE_CONSTRAINT | (8 << 8)

extension StorageError {
    /// Turns an SQLite result code into an error: the one place where result codes are interpreted.
    /// `db` supplies the message; pass nil when there is no connection.
    static func sqlite(_ result: Int32, _ db: OpaquePointer?) -> StorageError {
        let message = db.flatMap { sqlite3_errmsg($0) }.map { String(cString: $0) }
            ?? String(cString: sqlite3_errstr(result))
        return StorageError(code(forSQLiteResult: result), message, sqliteCode: result)
    }

    static func code(forSQLiteResult result: Int32) -> Code {
        if result == sqliteConstraintUnique || result == sqliteConstraintPrimaryKey { return .uniqueViolation }
        switch result & 0xff {
        case SQLITE_CONSTRAINT: return .constraintViolation
        case SQLITE_BUSY, SQLITE_LOCKED: return .busy
        case SQLITE_READONLY: return .readOnly
        case SQLITE_MISUSE, SQLITE_RANGE: return .misuse
        case SQLITE_MISMATCH: return .typeMismatch
        case SQLITE_IOERR, SQLITE_FULL, SQLITE_CANTOPEN, SQLITE_CORRUPT, SQLITE_NOTADB, SQLITE_PROTOCOL,
             SQLITE_PERM, SQLITE_NOLFS:
            return .io
        default: return .other
        }
    }
}
