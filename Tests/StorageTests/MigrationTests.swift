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
