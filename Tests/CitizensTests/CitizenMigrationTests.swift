import Audit
@testable import Citizens
import Foundation
import Storage
import Testing

/// Migration 101 rebuilds `citizens` and `citizen_documents` to make columns nullable; nothing may be lost on the way.
@Suite struct CitizenMigrationTests {
    static func dump(_ database: Database, _ table: String) throws -> [String] {
        try database.read { db in
            try db.query("SELECT * FROM \(table) ORDER BY 1").map { row in
                row.values.map { value -> String in
                    switch value {
                    case .null: "NULL"
                    case .integer(let value): String(value)
                    case .real(let value): String(value)
                    case .text(let value): value
                    case .blob(let value): value.map { String($0) }.joined(separator: ".")
                    }
                }.joined(separator: "|")
            }
        }
    }

    @Test func rebuildingKeepsEveryRowAndTheForeignKeys() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("citizen-migration-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let database = try Database(path: directory.appendingPathComponent("test.sqlite").path)
        defer { database.close() }
        let all = AuditLog.migrations + CitizenService.migrations
        #expect(all.contains { $0.version == 101 && $0.rebuildsTables })
        try database.migrate(all.filter { $0.version != 101 })
        // Two citizens as the schema before 101 held them: one with a confirmed contact, a pending code and documents.
        try database.write { db in
            for id in 1...2 {
                try db.execute("""
                    INSERT INTO citizens (id, public_id, surname, given_name, patronymic, birth_date, gender, password_hash, level,
                        level_method, level_reached_at, identity_confirmed, created_at)
                    VALUES (?, ?, 'Петрова', 'Анна', NULL, '1990-05-17', 'female', 'scrypt$hash', 'standard', 'registry', 1000, 0, 900)
                    """, [.integer(Int64(id)), .text("100000000\(id)")])
            }
            try db.execute("INSERT INTO citizen_contacts (id, citizen_id, kind, value, confirmed_at) VALUES (7, 1, 'phone', '+79161234567', 950)")
            try db.execute("INSERT INTO citizen_contacts (id, citizen_id, kind, value) VALUES (8, 1, 'email', 'anna@example.ru')")
            try db.execute("INSERT INTO contact_codes (contact_id, code_hash, expires_at) VALUES (8, x'0102', 5000)")
            try db.execute("""
                INSERT INTO citizen_documents (citizen_id, key_id, snils_index, snils_sealed, passport_index, passport_sealed, inn_index,
                    inn_sealed, address_sealed, snils_status, passport_status, submitted_at, next_check_at, check_attempts)
                VALUES (1, 'k', x'01', x'02', x'03', x'04', NULL, NULL, x'05', 'verified', 'verified', 960, NULL, 0)
                """)
        }
        let before = try ["citizens", "citizen_contacts", "contact_codes", "citizen_documents"].map { try Self.dump(database, $0) }
        #expect(try database.migrate(all) == [101])

        let after = try ["citizens", "citizen_contacts", "contact_codes"].map { try Self.dump(database, $0) }
        #expect(after == Array(before.prefix(3)))
        // The documents gained one column, empty for every old row.
        #expect(try Self.dump(database, "citizen_documents") == before[3].map { $0 + "|NULL" })
        #expect(after[1].count == 2 && after[2].count == 1)

        try database.write { db in
            // The new NULLs are allowed, the old rules still hold.
            try db.execute("""
                INSERT INTO citizens (id, public_id, surname, given_name, level_method, level_reached_at, created_at)
                VALUES (3, '1000000003', 'Иванов', 'Иван', 'signature', 1, 1)
                """)
            try db.execute("""
                INSERT INTO citizen_documents (citizen_id, key_id, snils_index, snils_sealed, snils_status, passport_status, submitted_at)
                VALUES (3, 'k', x'09', x'0a', 'verified', 'not-submitted', 1)
                """)
        }
        #expect(throws: StorageError.self) {
            try database.write { db in try db.execute("INSERT INTO citizen_contacts (citizen_id, kind, value) VALUES (99, 'phone', '+7')") }
        }
        #expect(throws: StorageError.self) {
            try database.write { db in
                try db.execute("UPDATE citizen_documents SET passport_index = x'0b' WHERE citizen_id = 3")
            }
        }
        #expect(throws: StorageError.self) {
            try database.write { db in try db.execute("UPDATE citizens SET public_id = '1000000001' WHERE id = 2") }
        }
        // Deleting a citizen still cascades to the rows that reference the rebuilt table.
        try database.write { db in try db.execute("DELETE FROM citizens WHERE id = 1") }
        #expect(try Self.dump(database, "citizen_contacts").isEmpty && Self.dump(database, "contact_codes").isEmpty)
        #expect(try Self.dump(database, "citizen_documents").count == 1)
        let indexes = try database.read { try $0.query("SELECT name FROM sqlite_master WHERE type = 'index' AND name = 'citizen_documents_due'") }
        #expect(indexes.count == 1)
    }
}
