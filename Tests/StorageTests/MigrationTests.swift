import Foundation
@testable import Storage
import Testing

private let first = [
    Migration(version: 1, name: "accounts", sql: "CREATE TABLE accounts (id INTEGER PRIMARY KEY, name TEXT NOT NULL);"),
    Migration(version: 2, name: "sessions", sql: """
        CREATE TABLE sessions (id INTEGER PRIMARY KEY, account_id INTEGER NOT NULL REFERENCES accounts (id));
        CREATE INDEX sessions_account ON sessions (account_id);
        """),
]

private func tableExists(_ db: Database, _ name: String) throws -> Bool {
    try db.read { try $0.queryOne("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", [.text(name)]) } != nil
}

@Test func migrationsApplyInOrderOnce() throws {
    try withDatabase { db, _ in
        #expect(try db.currentSchemaVersion() == 0)
        #expect(try db.migrate(first) == [1, 2])
        #expect(try db.currentSchemaVersion() == 2)
        #expect(try tableExists(db, "accounts") && tableExists(db, "sessions"))
        #expect(try db.migrate(first) == [])
        let third = first + [Migration(version: 5, name: "audit", sql: "CREATE TABLE audit (id INTEGER PRIMARY KEY)")]
        #expect(try db.migrate(third) == [5])
        let recorded = try db.read { try $0.query("SELECT version, name, applied_at FROM schema_migrations ORDER BY version", []) }
        #expect(try recorded.map { try $0.int("version") } == [1, 2, 5])
        #expect(try recorded.map { try $0.string("name") } == ["accounts", "sessions", "audit"])
        #expect(try recorded.allSatisfy { try $0.string("applied_at").hasSuffix("Z") })
    }
}

@Test func failingMigrationLeavesNothingBehind() throws {
    try withDatabase { db, _ in
        let broken = first + [Migration(version: 3, name: "half", sql: """
            CREATE TABLE half (id INTEGER PRIMARY KEY);
            INSERT INTO half (id) VALUES (1);
            INSERT INTO missing_table (id) VALUES (1);
            """)]
        do {
            try db.migrate(broken)
            Issue.record("the broken migration was applied")
        } catch let error as StorageError {
            #expect(error.code == .migrationFailed)
            #expect(error.message.contains("3") && error.message.contains("half"))
        }
        #expect(try db.currentSchemaVersion() == 2)
        #expect(try !tableExists(db, "half"))
        // Transaction control inside a migration is refused before it can commit half of it.
        let committing = first + [Migration(version: 3, name: "commits", sql: "CREATE TABLE c (x); COMMIT; CREATE TABLE d (x);")]
        #expect(throws: StorageError(.migrationFailed)) { try db.migrate(committing) }
        #expect(try !tableExists(db, "c"))
        #expect(try db.currentSchemaVersion() == 2)
        let fixed = first + [Migration(version: 3, name: "half", sql: "CREATE TABLE half (id INTEGER PRIMARY KEY);")]
        #expect(try db.migrate(fixed) == [3])
    }
}

@Test func newerSchemaIsRefused() throws {
    try withDatabase { db, _ in
        try db.migrate([first[0], Migration(version: 9, name: "future", sql: "CREATE TABLE future (x)")])
        #expect(throws: StorageError(.schemaTooNew)) { try db.migrate(first) }
        #expect(try !tableExists(db, "sessions"))
        #expect(try db.currentSchemaVersion() == 9)
    }
}

@Test func invalidMigrationListsAreRefused() throws {
    // `throws` spelled out: the only `try`s are inside #expect, which closure inference does not see.
    try withDatabase { db, _ throws in
        let duplicate = [first[0], Migration(version: 1, name: "again", sql: "CREATE TABLE again (x)")]
        let unordered = [first[1], first[0]]
        let zero = [Migration(version: 0, name: "zero", sql: "CREATE TABLE zero (x)")]
        #expect(throws: StorageError(.migrationFailed)) { try db.migrate(duplicate) }
        #expect(throws: StorageError(.migrationFailed)) { try db.migrate(unordered) }
        #expect(throws: StorageError(.migrationFailed)) { try db.migrate(zero) }
        #expect(try db.currentSchemaVersion() == 0)
        #expect(try !tableExists(db, "accounts"))
    }
}

@Test func rebuildingAParentTableKeepsItsChildrenAndForeignKeys() throws {
    try withDatabase { db, _ in
        let cascading = [first[0], Migration(version: 2, name: "sessions", sql: """
            CREATE TABLE sessions (id INTEGER PRIMARY KEY, account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE);
            """)]
        try db.migrate(cascading)
        try db.write { db in
            try db.execute("INSERT INTO accounts (id, name) VALUES (1, 'a')", [])
            try db.execute("INSERT INTO sessions (id, account_id) VALUES (10, 1)", [])
        }
        // name becomes nullable: the SQLite rebuild. With foreign keys on, DROP TABLE would delete the session too.
        let rebuild = Migration(version: 3, name: "nullable name", sql: """
            CREATE TABLE accounts_new (id INTEGER PRIMARY KEY, name TEXT);
            INSERT INTO accounts_new (id, name) SELECT id, name FROM accounts;
            DROP TABLE accounts;
            ALTER TABLE accounts_new RENAME TO accounts;
            """, rebuildsTables: true)
        #expect(try db.migrate(cascading + [rebuild]) == [3])
        #expect(try db.read { try $0.queryOne("SELECT COUNT(*) FROM sessions")!.int(0) } == 1)
        try db.write { db in try db.execute("INSERT INTO accounts (id, name) VALUES (2, NULL)", []) }
        // Foreign keys are back on, and the children point at the new table.
        #expect(throws: StorageError.self) { try db.write { db in try db.execute("INSERT INTO sessions (account_id) VALUES (99)", []) } }
        try db.write { db in try db.execute("DELETE FROM accounts WHERE id = 1", []) }
        #expect(try db.read { try $0.queryOne("SELECT COUNT(*) FROM sessions")!.int(0) } == 0)
    }
}

@Test func aRebuildThatBreaksAForeignKeyIsRolledBack() throws {
    try withDatabase { db, _ in
        try db.migrate(first)
        try db.write { db in
            try db.execute("INSERT INTO accounts (id, name) VALUES (1, 'a')", [])
            try db.execute("INSERT INTO sessions (id, account_id) VALUES (10, 1)", [])
        }
        let lossy = Migration(version: 3, name: "loses rows", sql: """
            CREATE TABLE accounts_new (id INTEGER PRIMARY KEY, name TEXT);
            DROP TABLE accounts;
            ALTER TABLE accounts_new RENAME TO accounts;
            """, rebuildsTables: true)
        #expect(throws: StorageError(.migrationFailed)) { try db.migrate(first + [lossy]) }
        #expect(try db.currentSchemaVersion() == 2)
        #expect(try db.read { try $0.queryOne("SELECT COUNT(*) FROM accounts")!.int(0) } == 1)
    }
}
