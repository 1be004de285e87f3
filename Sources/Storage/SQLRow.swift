/// The column names of one result set, shared by all of its rows.
final class SQLColumns: Sendable {
    let names: [String]
    private let indexByName: [String: Int]

    init(_ names: [String]) {
        self.names = names
        var index = [String: Int]()
        // With duplicate names (a join's two `id`s) the first wins; alias columns to reach the others.
        for (i, name) in names.enumerated() where index[name] == nil { index[name] = i }
        indexByName = index
    }

    func index(of name: String) -> Int? { indexByName[name] }
}

/// A column named by its 0-based position or by its name (the first column of that name).
public protocol SQLColumnReference: Sendable {
    /// The column's position in `row`, or nil when the row has no such column.
    func columnIndex(in row: SQLRow) -> Int?
    /// How to name the column in an error message.
    var columnDescription: String { get }
}

extension Int: SQLColumnReference {
    public func columnIndex(in row: SQLRow) -> Int? { row.values.indices.contains(self) ? self : nil }
    public var columnDescription: String { "#\(self)" }
}

extension String: SQLColumnReference {
    public func columnIndex(in row: SQLRow) -> Int? { row.index(ofColumn: self) }
    public var columnDescription: String { "'\(self)'" }
}

/// One row of a query result.
///
/// Typed accessors throw `.notFound` for an unknown column and `.typeMismatch` for NULL or a value of
/// another type; the `optional…` variants return nil for NULL instead.
public struct SQLRow: Sendable {
    /// The row's values in column order.
    public let values: [SQLValue]
    private let columns: SQLColumns

    init(values: [SQLValue], columns: SQLColumns) {
        self.values = values
        self.columns = columns
    }

    /// The column names in order.
    public var columnNames: [String] { columns.names }

    /// The position of the first column called `name`.
    public func index(ofColumn name: String) -> Int? { columns.index(of: name) }

    /// The value at a 0-based position; traps when out of range, like an array.
    public subscript(index: Int) -> SQLValue { values[index] }

    /// The value of the named column, or nil when there is no such column.
    public subscript(name: String) -> SQLValue? { columns.index(of: name).map { values[$0] } }

    /// The raw value of a column.
    public func value(_ column: some SQLColumnReference) throws -> SQLValue {
        guard let index = column.columnIndex(in: self) else {
            throw StorageError(.notFound, "no column \(column.columnDescription) in the result")
        }
        return values[index]
    }

    /// An integer column as `Int`.
    public func int(_ column: some SQLColumnReference) throws -> Int { Int(try int64(column)) }

    /// An integer column.
    public func int64(_ column: some SQLColumnReference) throws -> Int64 {
        guard case .integer(let v) = try value(column) else { throw mismatch(column, "INTEGER") }
        return v
    }

    /// A real column; integers are converted, since SQLite may hand back whole reals as integers.
    public func double(_ column: some SQLColumnReference) throws -> Double {
        switch try value(column) {
        case .real(let v): return v
        case .integer(let v): return Double(v)
        default: throw mismatch(column, "REAL")
        }
    }

    /// A text column.
    public func string(_ column: some SQLColumnReference) throws -> String {
        guard case .text(let v) = try value(column) else { throw mismatch(column, "TEXT") }
        return v
    }

    /// A blob column.
    public func blob(_ column: some SQLColumnReference) throws -> [UInt8] {
        guard case .blob(let v) = try value(column) else { throw mismatch(column, "BLOB") }
        return v
    }

    /// A boolean stored as 0 or 1; any other value is a mismatch.
    public func bool(_ column: some SQLColumnReference) throws -> Bool {
        switch try value(column) {
        case .integer(0): return false
        case .integer(1): return true
        default: throw mismatch(column, "0 or 1")
        }
    }

    /// An integer column as `Int`, nil for NULL.
    public func optionalInt(_ column: some SQLColumnReference) throws -> Int? {
        try isNull(column) ? nil : try int(column)
    }

    /// An integer column, nil for NULL.
    public func optionalInt64(_ column: some SQLColumnReference) throws -> Int64? {
        try isNull(column) ? nil : try int64(column)
    }

    /// A real column, nil for NULL.
    public func optionalDouble(_ column: some SQLColumnReference) throws -> Double? {
        try isNull(column) ? nil : try double(column)
    }

    /// A text column, nil for NULL.
    public func optionalString(_ column: some SQLColumnReference) throws -> String? {
        try isNull(column) ? nil : try string(column)
    }

    /// A blob column, nil for NULL.
    public func optionalBlob(_ column: some SQLColumnReference) throws -> [UInt8]? {
        try isNull(column) ? nil : try blob(column)
    }

    /// A boolean column, nil for NULL.
    public func optionalBool(_ column: some SQLColumnReference) throws -> Bool? {
        try isNull(column) ? nil : try bool(column)
    }

    /// Whether a column holds NULL.
    public func isNull(_ column: some SQLColumnReference) throws -> Bool { try value(column) == .null }

    private func mismatch(_ column: some SQLColumnReference, _ wanted: String) -> StorageError {
        let found = (try? value(column))?.typeName ?? "nothing"
        return StorageError(.typeMismatch, "column \(column.columnDescription) holds \(found), not \(wanted)")
    }
}
