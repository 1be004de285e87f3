import Foundation
@testable import Audit
import Storage
import Support
import Testing

/// One way an attacker with write access to the file (but not the key) might edit the log.
struct Tampering: Sendable, CustomTestStringConvertible {
    let name: String
    let statements: [String]
    let brokenAt: Int64
    let reason: String
    var testDescription: String { name }

    init(_ name: String, _ statements: [String], brokenAt: Int64, reason: String) {
        self.name = name
        self.statements = statements
        self.brokenAt = brokenAt
        self.reason = reason
    }
}

private let mismatch = "does not match its hash"

let tamperings: [Tampering] = [
    .init("changed kind", ["UPDATE audit_log SET kind = 'login.succeeded' WHERE sequence = 3"], brokenAt: 3, reason: mismatch),
    .init("changed actor", ["UPDATE audit_log SET actor = 'staff:1' WHERE sequence = 4"], brokenAt: 4, reason: mismatch),
    .init("changed subject", ["UPDATE audit_log SET subject = 'citizen:99' WHERE sequence = 2"], brokenAt: 2, reason: mismatch),
    .init("subject removed", ["UPDATE audit_log SET subject = NULL WHERE sequence = 2"], brokenAt: 2, reason: mismatch),
    .init("subject set to empty", ["UPDATE audit_log SET subject = '' WHERE sequence = 2"], brokenAt: 2, reason: mismatch),
    .init("changed source address", ["UPDATE audit_log SET source_address = '198.51.100.1' WHERE sequence = 5"],
          brokenAt: 5, reason: mismatch),
    .init("changed time", ["UPDATE audit_log SET time = '2020-01-01T00:00:00.000Z' WHERE sequence = 1"], brokenAt: 1, reason: mismatch),
    .init("changed details", [#"UPDATE audit_log SET details = '{"reason":"otp"}' WHERE sequence = 3"#], brokenAt: 3, reason: mismatch),
    .init("details reformatted", [#"UPDATE audit_log SET details = '{ "reason": "password" }' WHERE sequence = 3"#],
          brokenAt: 3, reason: mismatch),
    .init("deleted record", ["DELETE FROM audit_log WHERE sequence = 3"], brokenAt: 3, reason: "record 3 is missing; the next is 4"),
    .init("deleted first record", ["DELETE FROM audit_log WHERE sequence = 1"], brokenAt: 1, reason: "record 1 is missing"),
    .init("renumbered after a deletion", [
        "DELETE FROM audit_log WHERE sequence = 3",
        "UPDATE audit_log SET sequence = sequence - 1 WHERE sequence > 3",
    ], brokenAt: 3, reason: "does not link to record 2"),
    .init("swapped records", [
        "UPDATE audit_log SET sequence = -2 WHERE sequence = 2",
        "UPDATE audit_log SET sequence = 2 WHERE sequence = 3",
        "UPDATE audit_log SET sequence = 3 WHERE sequence = -2",
    ], brokenAt: 2, reason: "does not link to record 1"),
    .init("swapped contents keeping the hash columns", [
        """
        UPDATE audit_log SET (time, kind, actor, subject, source_address, details) =
            (SELECT time, 'code.used', actor, subject, source_address, details FROM audit_log WHERE sequence = 2)
        WHERE sequence = 2
        """,
    ], brokenAt: 2, reason: mismatch),
    .init("inserted in the middle", [
        "UPDATE audit_log SET sequence = sequence + 100 WHERE sequence >= 3",
        "UPDATE audit_log SET sequence = sequence - 99 WHERE sequence >= 103",
        """
        INSERT INTO audit_log (sequence, time, kind, actor, subject, source_address, details, previous_hash, hash)
        SELECT 3, time, 'citizen.level_changed', 'staff:1', subject, NULL, '{}', hash, randomblob(32)
        FROM audit_log WHERE sequence = 2
        """,
    ], brokenAt: 3, reason: mismatch),
    .init("appended a forged record", [
        """
        INSERT INTO audit_log (sequence, time, kind, actor, subject, source_address, details, previous_hash, hash)
        SELECT 6, time, 'citizen.level_changed', 'staff:1', subject, NULL, '{}', hash, randomblob(32)
        FROM audit_log WHERE sequence = 5
        """,
    ], brokenAt: 6, reason: mismatch),
    .init("copied a record to the end", [
        """
        INSERT INTO audit_log (sequence, time, kind, actor, subject, source_address, details, previous_hash, hash)
        SELECT 6, time, kind, actor, subject, source_address, details, previous_hash, hash
        FROM audit_log WHERE sequence = 5
        """,
    ], brokenAt: 6, reason: "does not link to record 5"),
    .init("changed hash", ["UPDATE audit_log SET hash = randomblob(32) WHERE sequence = 4"], brokenAt: 4, reason: mismatch),
    .init("changed hash and the next link", [
        "UPDATE audit_log SET hash = zeroblob(32) WHERE sequence = 4",
        "UPDATE audit_log SET previous_hash = zeroblob(32) WHERE sequence = 5",
    ], brokenAt: 4, reason: mismatch),
    .init("last hash changed", ["UPDATE audit_log SET hash = randomblob(32) WHERE sequence = 5"], brokenAt: 5, reason: mismatch),
    .init("changed link", ["UPDATE audit_log SET previous_hash = randomblob(32) WHERE sequence = 2"],
          brokenAt: 2, reason: "does not link to record 1"),
    .init("changed genesis link", ["UPDATE audit_log SET previous_hash = randomblob(32) WHERE sequence = 1"],
          brokenAt: 1, reason: "does not start the chain"),
    .init("hash stored as text", ["UPDATE audit_log SET hash = hex(hash) WHERE sequence = 3"], brokenAt: 3, reason: "unreadable"),
]

@Test(arguments: tamperings)
func verifyFindsTampering(_ tampering: Tampering) throws {
    try withAuditLog { log, database in
        try appendMany(log, database, 5)
        #expect(try log.verify(database: database) == .intact(records: 5))
        try dropTriggers(database)
        try database.write { executor in
            for statement in tampering.statements { try executor.execute(statement, []) }
        }
        guard case .broken(let sequence, let reason) = try log.verify(database: database) else {
            Issue.record("tampering went unnoticed")
            return
        }
        #expect(sequence == tampering.brokenAt)
        #expect(reason.contains(tampering.reason), "\(reason)")
    }
}

@Test func wrongKeyBreaksAtTheFirstRecord() throws {
    try withAuditLog { log, database in
        try appendMany(log, database, 3)
        let other = try AuditLog(key: [UInt8](repeating: 0x43, count: 32), clock: FixedClock())
        #expect(try other.verify(database: database)
            == .broken(sequence: 1, reason: "record 1 does not match its hash (a changed field or hash, or a different key)"))
    }
}

@Test func emptyLogIsIntact() throws {
    try withAuditLog { log, database in
        let verification = try log.verify(database: database)
        #expect(verification == .intact(records: 0))
    }
}

@Test func verifyWalksSeveralPages() throws {
    let count = AuditLog.verificationPageSize * 2 + 17
    try withAuditLog { log, database in
        try appendMany(log, database, count)
        #expect(try log.verify(database: database) == .intact(records: Int64(count)))
        // Tampering just past a page boundary is still found, so the link carries across pages.
        let target = AuditLog.verificationPageSize + 1
        try dropTriggers(database)
        try database.write { try $0.execute("UPDATE audit_log SET actor = 'system' WHERE sequence = ?", [SQLValue(target)]) }
        guard case .broken(let sequence, _) = try log.verify(database: database) else {
            Issue.record("tampering went unnoticed")
            return
        }
        #expect(sequence == Int64(target))
    }
}

@Test func triggersRefuseChangesToTheLog() throws {
    try withAuditLog { log, database in
        try appendMany(log, database, 3)
        let refused = [
            "UPDATE audit_log SET kind = 'x' WHERE sequence = 2",
            "UPDATE audit_log SET hash = hash",
            "DELETE FROM audit_log WHERE sequence = 3",
            "DELETE FROM audit_log",
            // REPLACE deletes without firing delete triggers; the insert trigger stops it.
            """
            INSERT OR REPLACE INTO audit_log (sequence, time, kind, actor, subject, source_address, details, previous_hash, hash)
            SELECT sequence, time, 'x', actor, subject, source_address, details, previous_hash, hash FROM audit_log WHERE sequence = 2
            """,
            // Skipping ahead would leave a gap.
            """
            INSERT INTO audit_log (sequence, time, kind, actor, subject, source_address, details, previous_hash, hash)
            SELECT 9, time, kind, actor, subject, source_address, details, hash, hash FROM audit_log WHERE sequence = 3
            """,
        ]
        for statement in refused {
            do {
                try database.write { try $0.execute(statement, []) }
                Issue.record("accepted: \(statement)")
            } catch let error as StorageError {
                #expect(error.code == .constraintViolation)
                #expect(error.message.contains("audit log is append-only"), "\(error)")
            }
        }
        #expect(try log.verify(database: database) == .intact(records: 3))
    }
}

@Test func anAnchorCatchesALogCutShortOrRewrittenFromTheEnd() throws {
    try withAuditLog { log, database in
        try appendMany(log, database, 5)
        let head = try #require(try log.head(database: database))
        #expect(head.sequence == 5)
        #expect(try log.verify(database: database, anchor: head) == .intact(records: 5))
        // Appending more keeps an old anchor valid.
        try appendMany(log, database, 2)
        #expect(try log.verify(database: database, anchor: head) == .intact(records: 7))
        // Cutting the last records leaves a chain that checks out by itself; only the anchor tells.
        try dropTriggers(database)
        try database.write { try $0.execute("DELETE FROM audit_log WHERE sequence >= 5", []) }
        #expect(try log.verify(database: database) == .intact(records: 4))
        guard case .broken(let sequence, let reason) = try log.verify(database: database, anchor: head) else {
            Issue.record("the cut went unnoticed")
            return
        }
        #expect(sequence == 5 && reason.contains("cut short"))
        // Re-appended records (with the key, after the cut) are not the anchored one either.
        try appendMany(log, database, 1)
        guard case .broken(_, let rewritten) = try log.verify(database: database, anchor: head) else {
            Issue.record("the rewrite went unnoticed")
            return
        }
        #expect(rewritten.contains("rewritten"))
    }
}

@Test func anEmptyLogHasNoHead() throws {
    try withAuditLog { log, database in
        let head = try log.head(database: database)
        #expect(head == nil)
    }
}
