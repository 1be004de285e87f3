import Foundation
import Synchronization
@testable import Storage
import Testing

@Test func connectionsAreConfiguredForDurability() throws {
    try withDatabase { db, _ in
        #expect(try db.write { try $0.queryOne("PRAGMA synchronous", [])?.int(0) } == 2) // FULL
        #expect(try db.write { try $0.queryOne("PRAGMA foreign_keys", [])?.int(0) } == 1)
        #expect(try db.read { try $0.queryOne("PRAGMA journal_mode", [])?.string(0) } == "wal")
        #expect(try db.read { try $0.queryOne("PRAGMA query_only", [])?.int(0) } == 1)
        #expect(try db.read { try $0.queryOne("PRAGMA foreign_keys", [])?.int(0) } == 1)
        _ = try db.write { try $0.execute("CREATE TABLE t (x INTEGER)", []) }
        #expect(throws: StorageError(.readOnly)) { try db.read { try $0.execute("INSERT INTO t VALUES (1)", []) } }
        #expect(db.isReachable())
    }
}

@Test func readersSeeConsistentSnapshotsWhileWriting() throws {
    try withDatabase(.init(readers: 3)) { db, _ in
        let accounts = 10
        _ = try db.write { e in
            try e.execute("CREATE TABLE balances (id INTEGER PRIMARY KEY, amount INTEGER NOT NULL)", [])
            for id in 0..<accounts { try e.execute("INSERT INTO balances (id, amount) VALUES (?, 100)", [SQLValue(id)]) }
        }
        let writing = Atomic<Int>(4)
        let snapshots = Atomic<Int>(0)
        let errors = Locked<[String]>([])
        onThreads(8) { thread in
            if thread < 4 {
                // Writers move money between accounts; the total never changes in a committed state.
                for n in 0..<40 {
                    let from = (thread + n) % accounts, to = (thread * 3 + n + 1) % accounts
                    do {
                        try db.write { e in
                            try e.execute("UPDATE balances SET amount = amount - 7 WHERE id = ?", [SQLValue(from)])
                            try e.execute("UPDATE balances SET amount = amount + 7 WHERE id = ?", [SQLValue(to)])
                        }
                    } catch {
                        errors.withLock { $0.append("write: \(error)") }
                    }
                }
                writing.subtract(1, ordering: .relaxed)
            } else {
                // Readers add the accounts up one query at a time, so only a snapshot keeps the sum whole.
                while writing.load(ordering: .relaxed) > 0 {
                    do {
                        let total = try db.read { e in
                            try (0..<accounts).reduce(0) { sum, id in
                                sum + (try e.queryOne("SELECT amount FROM balances WHERE id = ?", [SQLValue(id)])?.int(0) ?? 0)
                            }
                        }
                        if total != accounts * 100 { errors.withLock { $0.append("total \(total)") } }
                        snapshots.add(1, ordering: .relaxed)
                    } catch {
                        errors.withLock { $0.append("read: \(error)") }
                    }
                }
            }
        }
        #expect(errors.withLock { $0 } == [])
        #expect(snapshots.load(ordering: .relaxed) > 0)
    }
}

@Test func readersWaitForAFreeConnection() throws {
    try withDatabase(.init(readers: 1)) { db, _ in
        let done = Atomic<Int>(0)
        onThreads(6) { _ in
            for _ in 0..<20 where (try? db.read { try $0.queryOne("SELECT 1", [])?.int(0) }) == 1 {
                done.add(1, ordering: .relaxed)
            }
        }
        #expect(done.load(ordering: .relaxed) == 120)
    }
}
