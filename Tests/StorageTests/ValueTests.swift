import Foundation
@testable import Storage
import Testing

@Test func everyValueKindRoundTrips() throws {
    let values: [SQLValue] = [
        .null, .integer(0), .integer(Int64.max), .integer(Int64.min), .real(3.25), .real(-1e300),
        .text(""), .text("Привет, мир — 世界 🎉"), .text("nul\u{0}inside"), .blob([]), .blob([0, 1, 0x7f, 0xff]),
    ]
    try withDatabase { db, _ in
        _ = try db.write { try $0.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v)", []) }
        for (i, value) in values.enumerated() {
            _ = try db.write { try $0.execute("INSERT INTO t (id, v) VALUES (?, ?)", [SQLValue(i), value]) }
        }
        let rows = try db.read { try $0.query("SELECT id, v FROM t ORDER BY id", []) }
        #expect(rows.map { $0[1] } == values)
        #expect(rows.map { $0["v"] } == values)
        // An empty blob stays a blob and empty text stays text: neither turns into NULL.
        #expect(try rows[9].blob("v") == [])
        #expect(try rows[6].string("v") == "")
        #expect(try rows[7].string(1) == "Привет, мир — 世界 🎉")
        #expect(try rows[8].string("v") == "nul\u{0}inside")
        #expect(try rows[3].int64("v") == Int64.min)
    }
}

@Test func typedAccessorsCheckTypes() throws {
    try withDatabase { db, _ in
        let row = try db.read {
            try $0.queryOne("SELECT 42 AS i, 2.5 AS r, 'x' AS t, x'00ff' AS b, NULL AS n, 1 AS flag, 7 AS seven", [])
        }
        let r = try #require(row)
        #expect(r.columnNames == ["i", "r", "t", "b", "n", "flag", "seven"])
        #expect(try r.int("i") == 42)
        #expect(try r.int64(0) == 42)
        #expect(try r.double("r") == 2.5)
        #expect(try r.double("i") == 42) // whole numbers may come back as integers
        #expect(try r.string("t") == "x")
        #expect(try r.blob("b") == [0, 0xff])
        #expect(try r.bool("flag") == true)
        #expect(try r.optionalString("n") == nil)
        #expect(try r.optionalInt("i") == 42)
        #expect(try r.optionalBlob("n") == nil)
        #expect(try r.isNull("n"))
        #expect(r["missing"] == nil)

        #expect(throws: StorageError(.typeMismatch)) { try r.string("i") }
        #expect(throws: StorageError(.typeMismatch)) { try r.int("t") }
        #expect(throws: StorageError(.typeMismatch)) { try r.int("r") }
        #expect(throws: StorageError(.typeMismatch)) { try r.blob("t") }
        #expect(throws: StorageError(.typeMismatch)) { try r.string("n") }
        #expect(throws: StorageError(.typeMismatch)) { try r.bool("seven") }
        #expect(throws: StorageError(.typeMismatch)) { try r.optionalInt("t") }
        #expect(throws: StorageError(.notFound)) { try r.int("missing") }
        #expect(throws: StorageError(.notFound)) { try r.int(99) }
    }
}

@Test func valueLiteralsAndOptionals() {
    let values: [SQLValue] = ["a", 1, nil, 1.5, true]
    #expect(values == [.text("a"), .integer(1), .null, .real(1.5), .integer(1)])
    let missing: String? = nil
    #expect(SQLValue(missing) == .null)
    #expect(SQLValue(Optional(7)) == .integer(7))
    #expect(SQLValue([UInt8]?([1])) == .blob([1]))
    #expect(SQLValue(false) == .integer(0))
}

@Test func executeReportsChangedRows() throws {
    try withDatabase { db, _ in
        let counts = try db.write { e -> [Int] in
            let create = try e.execute("CREATE TABLE t (x INTEGER)", [])
            let insert = try e.execute("INSERT INTO t (x) VALUES (1), (2), (3)", [])
            let rowID = e.lastInsertRowID
            let update = try e.execute("UPDATE t SET x = x + 1 WHERE x >= ?", [2])
            let none = try e.execute("DELETE FROM t WHERE x > 100", [])
            let select = try e.execute("SELECT * FROM t", [])
            return [create, insert, Int(rowID), update, none, select]
        }
        #expect(counts == [0, 3, 3, 2, 0, 0])
    }
}

@Test func misuseIsRefused() throws {
    try withDatabase { db, _ in
        _ = try db.write { try $0.execute("CREATE TABLE t (x TEXT)", []) }
        #expect(throws: StorageError(.misuse)) { try db.write { try $0.execute("INSERT INTO t VALUES (?)", []) } }
        #expect(throws: StorageError(.misuse)) { try db.write { try $0.execute("INSERT INTO t VALUES (?)", [1, 2]) } }
        #expect(throws: StorageError(.misuse)) {
            try db.write { try $0.execute("INSERT INTO t VALUES (1); DELETE FROM t", []) }
        }
        #expect(throws: StorageError(.misuse)) { try db.write { try $0.execute("COMMIT", []) } }
        #expect(throws: StorageError(.misuse)) { try db.write { try $0.execute("  savepoint x", []) } }
        #expect(throws: StorageError(.misuse)) { try db.read { try $0.execute("END", []) } }
        #expect(throws: StorageError(.other)) { try db.read { try $0.query("SELECT * FROM nowhere", []) } }
        // A trailing semicolon or comment is one statement still.
        #expect(try db.write { try $0.execute("INSERT INTO t VALUES ('a'); -- done", []) } == 1)
        #expect(try db.read { try $0.queryOne("SELECT COUNT(*) FROM t", [])?.int(0) } == 1)
    }
}
