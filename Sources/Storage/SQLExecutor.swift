/// What a read or write closure gets: runs one SQL statement at a time with positional `?` bindings.
///
/// Statements are prepared once per connection and cached by their text, so pass values as
/// bindings, never spliced into the SQL. Transaction control (BEGIN, COMMIT, SAVEPOINT, …) is
/// refused: the `Database` owns the transactions. An executor is only valid inside its closure.
public protocol SQLExecutor {
    /// Runs one statement and returns how many rows it inserted, updated or deleted.
    @discardableResult
    func execute(_ sql: String, _ bindings: [SQLValue]) throws -> Int
    /// Runs one statement and returns all of its rows.
    func query(_ sql: String, _ bindings: [SQLValue]) throws -> [SQLRow]
    /// Runs one statement and returns its first row, or nil when it has none.
    func queryOne(_ sql: String, _ bindings: [SQLValue]) throws -> SQLRow?
    /// The rowid of the last row inserted through this connection. SQLite-only in spirit:
    /// `INSERT … RETURNING id` through `queryOne` carries over to PostgreSQL unchanged.
    var lastInsertRowID: Int64 { get }
}

extension SQLExecutor {
    /// Runs one statement without bindings and returns how many rows it changed.
    @discardableResult
    public func execute(_ sql: String) throws -> Int { try execute(sql, []) }
    /// Runs one statement without bindings and returns all of its rows.
    public func query(_ sql: String) throws -> [SQLRow] { try query(sql, []) }
    /// Runs one statement without bindings and returns its first row.
    public func queryOne(_ sql: String) throws -> SQLRow? { try queryOne(sql, []) }
}
