import Foundation
@testable import Storage
import Testing

@Test func uniqueViolationIsMappedAndLeavesTableUnchanged() throws {
    try withDatabase { db, _ in
        _ = try db.write {
            try $0.execute("CREATE TABLE accounts (id INTEGER PRIMARY KEY, snils TEXT NOT NULL UNIQUE)", [])
        }
        _ = try db.write { try $0.execute("INSERT INTO accounts (id, snils) VALUES (1, ?)", ["112-233-445 95"]) }
        do {
            _ = try db.write { try $0.execute("INSERT INTO accounts (id, snils) VALUES (2, ?)", ["112-233-445 95"]) }
            Issue.record("a duplicate SNILS was accepted")
        } catch let error as StorageError {
            #expect(error.code == .uniqueViolation)
            #expect(error.sqliteCode == 2067)
            // Bound values are personal data and must not leak into messages.
            #expect(!error.message.contains("112-233") && !error.description.contains("112-233"))
        }
        #expect(throws: StorageError(.uniqueViolation)) {
            try db.write { try $0.execute("INSERT INTO accounts (id, snils) VALUES (1, 'other')", []) }
        }
        #expect(throws: StorageError(.constraintViolation)) {
            try db.write { try $0.execute("INSERT INTO accounts (id, snils) VALUES (3, NULL)", []) }
        }
        let rows = try db.read { try $0.query("SELECT id, snils FROM accounts", []) }
        #expect(rows.count == 1)
        #expect(try rows[0].string("snils") == "112-233-445 95")
    }
}

@Test func failingWritesRollBackOnlyTheirOwnChanges() throws {
    try withDatabase { db, _ in
        _ = try db.write { try $0.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, part INTEGER NOT NULL)", []) }
        let threads = 16, perThread = 12
        let outcomes = Locked<[Int: Bool]>([:]) // write number → succeeded
        onThreads(threads) { thread in
            for n in 0..<perThread {
                let id = thread * perThread + n
                let fails = id % 3 == 0
                do {
                    try db.write { e in
                        // Two statements per write: the savepoint must take back both.
                        try e.execute("INSERT INTO t (id, part) VALUES (?, 1)", [SQLValue(id * 2)])
                        try e.execute("INSERT INTO t (id, part) VALUES (?, 2)", [SQLValue(id * 2 + 1)])
                        if fails { throw Deliberate() }
                    }
                    outcomes.withLock { $0[id] = true }
                } catch {
                    #expect(error is Deliberate)
                    outcomes.withLock { $0[id] = false }
                }
            }
        }
        let results = outcomes.withLock { $0 }
        #expect(results.count == threads * perThread)
        #expect(results.allSatisfy { $0.value == ($0.key % 3 != 0) })
        let expected = Set(results.filter(\.value).keys.flatMap { [$0 * 2, $0 * 2 + 1] })
        let present = try db.read { try $0.query("SELECT id FROM t", []).map { try $0.int(0) } }
        #expect(Set(present) == expected)
        #expect(present.count == expected.count)
        let stats = db.statistics
        #expect(stats.failures == results.values.count { !$0 })
    }
}

@Test func concurrentWritesAreGroupCommitted() throws {
    try withDatabase { db, _ in
        _ = try db.write { try $0.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, thread INTEGER NOT NULL)", []) }
        let before = db.statistics
        let acknowledged = Locked<Set<Int64>>([])
        onThreads(16) { thread in
            for _ in 0..<13 {
                if let id = try? db.write({ e -> Int64 in
                    try e.execute("INSERT INTO t (thread) VALUES (?)", [SQLValue(thread)])
                    return e.lastInsertRowID
                }) {
                    acknowledged.withLock { _ = $0.insert(id) }
                }
            }
        }
        let ids = Set(try db.read { try $0.query("SELECT id FROM t", []).map { try $0.int64(0) } })
        #expect(acknowledged.withLock { $0 } == ids)
        #expect(ids.count == 16 * 13)
        let stats = db.statistics
        let writes = stats.writes - before.writes, batches = stats.batches - before.batches
        #expect(writes == 16 * 13)
        #expect(batches < writes)
        #expect(stats.largestBatch > 1)
    }
}

@Test func reentrantWriteIsRefused() throws {
    try withDatabase { db, _ in
        let inner = try db.write { _ -> StorageError.Code? in
            do {
                _ = try db.write { _ in 1 }
                return nil
            } catch let error as StorageError {
                return error.code
            }
        }
        #expect(inner == .misuse)
    }
}

@Test func dataSurvivesCloseAndReopen() throws {
    let directory = try TemporaryDirectory()
    defer { directory.remove() }
    do {
        let db = try Database(path: directory.databasePath)
        _ = try db.write { try $0.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)", []) }
        // Writes still queued when close begins are committed before the connections close.
        onThreads(8) { i in _ = try? db.write { try $0.execute("INSERT INTO t (id, v) VALUES (?, 'kept')", [SQLValue(i)]) } }
        db.close()
        #expect(throws: StorageError(.closed)) { try db.write { try $0.execute("DELETE FROM t", []) } }
        #expect(throws: StorageError(.closed)) { try db.read { try $0.query("SELECT 1", []) } }
        #expect(!db.isReachable())
        db.close() // idempotent
    }
    let reopened = try Database(path: directory.databasePath)
    defer { reopened.close() }
    #expect(try reopened.read { try $0.queryOne("SELECT COUNT(*) FROM t WHERE v = 'kept'", [])?.int(0) } == 8)
}

@Test func acknowledgedWritesSurviveConcurrentClose() throws {
    let directory = try TemporaryDirectory()
    defer { directory.remove() }
    let acknowledged = Locked<Set<Int>>([])
    do {
        let db = try Database(path: directory.databasePath)
        _ = try db.write { try $0.execute("CREATE TABLE t (id INTEGER PRIMARY KEY)", []) }
        onThreads(9) { thread in
            if thread == 8 {
                usleep(2_000)
                db.close()
                return
            }
            for n in 0..<50 {
                let id = thread * 100 + n
                do {
                    try db.write { try $0.execute("INSERT INTO t (id) VALUES (?)", [SQLValue(id)]) }
                    acknowledged.withLock { _ = $0.insert(id) }
                } catch {
                    #expect(error as? StorageError == StorageError(.closed))
                    return
                }
            }
        }
    }
    let reopened = try Database(path: directory.databasePath)
    defer { reopened.close() }
    let present = Set(try reopened.read { try $0.query("SELECT id FROM t", []).map { try $0.int(0) } })
    #expect(present == acknowledged.withLock { $0 })
}

@Test func deferredForeignKeyViolationFailsOnlyItsOwnWrite() throws {
    try withDatabase { db, _ in
        _ = try db.write { e in
            try e.execute("CREATE TABLE parent (id INTEGER PRIMARY KEY)", [])
            try e.execute("""
                CREATE TABLE child (id INTEGER PRIMARY KEY,
                    parent_id INTEGER NOT NULL REFERENCES parent (id) DEFERRABLE INITIALLY DEFERRED)
                """, [])
        }
        #expect(throws: StorageError(.constraintViolation)) {
            try db.write { try $0.execute("INSERT INTO child (id, parent_id) VALUES (1, 99)", []) }
        }
        // Immediate foreign keys are enforced too (foreign_keys=ON).
        _ = try db.write { e in
            try e.execute("INSERT INTO parent (id) VALUES (1)", [])
            try e.execute("INSERT INTO child (id, parent_id) VALUES (2, 1)", [])
        }
        #expect(try db.read { try $0.queryOne("SELECT COUNT(*) FROM child", [])?.int(0) } == 1)
    }
}

@Test func releasingTheDatabaseClosesEveryConnection() throws {
    let directory = try TemporaryDirectory()
    defer { directory.remove() }
    let path = directory.databasePath
    func useAndDrop() throws {
        let db = try Database(path: path, options: .init(readers: 2))
        try db.write { try $0.execute("CREATE TABLE t (x INTEGER)", []) }
        try db.write { try $0.execute("INSERT INTO t VALUES (1)", []) }
        #expect(try db.read { try $0.queryOne("SELECT x FROM t", [])?.int(0) } == 1)
        #expect(FileManager.default.fileExists(atPath: path + "-wal"))
    } // no close(): deinit must stop the writer thread and close all connections
    try useAndDrop()
    // SQLite removes the WAL file only when the last connection to the database has closed.
    #expect(!FileManager.default.fileExists(atPath: path + "-wal"))
    let db = try Database(path: path)
    defer { db.close() }
    #expect(try db.read { try $0.queryOne("SELECT COUNT(*) FROM t", [])?.int(0) } == 1)
}

@Test func unusableFilesAreRefusedAtOpen() throws {
    let directory = try TemporaryDirectory()
    defer { directory.remove() }
    #expect(throws: StorageError(.io)) { try Database(path: directory.url.appendingPathComponent("no/such/dir/db.sqlite").path) }
    let junk = directory.url.appendingPathComponent("junk.sqlite")
    try Data(repeating: 0x41, count: 4096).write(to: junk)
    #expect(throws: StorageError(.io)) { try Database(path: junk.path) }
}
