import Crypto
import Foundation
@testable import Audit
import Storage
import Support
import Testing

@Test func appendedRecordReadsBackUnchanged() throws {
    let clock = FixedClock(Date(timeIntervalSince1970: 1_800_000_000.123))
    try withAuditLog(clock: clock) { log, database in
        let sent = AuditEvent(kind: "code.issued", actor: "staff:7", subject: "citizen:42", sourceAddress: "2001:db8::1",
                              details: ["channel": "post", "level": "2", "office": "msk-12"])
        let appended = try log.append(sent, to: database)
        #expect(appended.sequence == 1)
        #expect(appended.event == sent)
        #expect(appended.time == AuditChain.parseTime("2027-01-15T08:00:00.123Z"))

        let read = try database.read { try log.records(subject: nil, limit: 10, using: $0) }
        #expect(read == [appended])

        // Stored as documented: RFC 3339 UTC text and details as canonical JSON with sorted keys.
        let row = try database.read { try $0.queryOne("SELECT time, details, subject, source_address FROM audit_log", []) }
        #expect(try row?.string("time") == "2027-01-15T08:00:00.123Z")
        #expect(try row?.string("details") == #"{"channel":"post","level":"2","office":"msk-12"}"#)
    }
}

@Test func optionalFieldsAndEmptyDetailsRoundTrip() throws {
    try withAuditLog { log, database in
        let sent = AuditEvent(kind: "system.started", actor: "system")
        try log.append(sent, to: database)
        let read = try database.read { try log.records(subject: nil, limit: 1, using: $0) }
        #expect(read.map(\.event) == [sent])
        let details = try database.read { try $0.queryOne("SELECT details FROM audit_log", [])?.string(0) }
        #expect(details == "{}")
    }
}

@Test func detailsWithQuotesAndControlCharactersRoundTrip() throws {
    try withAuditLog { log, database in
        let sent = event(details: ["note": "a \"quoted\"\\ value\n\u{7}é", "Z-key": "", "a.b_c": "1"])
        try log.append(sent, to: database)
        #expect(try database.read { try log.records(subject: nil, limit: 1, using: $0) }.first?.event == sent)
    }
}

@Test func recordsAreChainedByHMACOverTheDocumentedEncoding() throws {
    let clock = FixedClock()
    try withAuditLog(clock: clock) { log, database in
        var appended = [AuditRecord]()
        for i in 1...3 {
            appended.append(try log.append(event(subject: i == 2 ? nil : "citizen:\(i)"), to: database))
            clock.advance(by: 1.5)
        }
        #expect(appended.map(\.sequence) == [1, 2, 3])
        #expect(appended[0].previousHash == [UInt8](repeating: 0, count: 32))
        #expect(appended[1].previousHash == appended[0].hash)
        #expect(appended[2].previousHash == appended[1].hash)

        // Recomputed here from the layout in AuditChain's documentation, independently of its code.
        for record in appended {
            let time = Timestamp.iso8601(record.time)
            let details = #"{"reason":"password"}"#
            var message = record.previousHash
            message += text("openesia.audit.v1")
            message += (0..<8).reversed().map { UInt8(truncatingIfNeeded: UInt64(record.sequence) >> (8 * UInt64($0))) }
            message += text(time) + text(record.event.kind) + text(record.event.actor)
            message += optional(record.event.subject) + optional(record.event.sourceAddress) + text(details)
            #expect(record.hash == HMAC.sha256(key: testKey, message: message))
        }
    }

    func text(_ s: String) -> [UInt8] {
        let n = UInt32(s.utf8.count)
        return [UInt8(n >> 24), UInt8(n >> 16 & 0xff), UInt8(n >> 8 & 0xff), UInt8(n & 0xff)] + Array(s.utf8)
    }
    func optional(_ s: String?) -> [UInt8] { s.map { [1] + text($0) } ?? [0] }
}

@Test func encodingKeepsFieldBoundaries() {
    func encode(actor: String, subject: String?, source: String? = nil) -> [UInt8] {
        AuditChain.encoding(.init(sequence: 1, time: "2027-01-15T08:00:00.000Z", kind: "k", actor: actor,
                                  subject: subject, sourceAddress: source, details: "{}"))
    }
    #expect(encode(actor: "ab", subject: "c") != encode(actor: "a", subject: "bc"))
    #expect(encode(actor: "a", subject: nil) != encode(actor: "a", subject: ""))
    #expect(encode(actor: "a", subject: "x", source: nil) != encode(actor: "a", subject: nil, source: "x"))
}

@Test func concurrentAppendsFormOneContiguousChain() throws {
    try withAuditLog { log, database in
        let failures = Locked(0)
        onThreads(8) { thread in
            for i in 0..<25 {
                do {
                    try log.append(event(subject: "citizen:\(thread)", details: ["n": String(i)]), to: database)
                } catch {
                    failures.withLock { $0 += 1 }
                }
            }
        }
        #expect(failures.withLock { $0 } == 0)
        #expect(try log.verify(database: database) == .intact(records: 200))
        let sequences = try database.read { try $0.query("SELECT sequence FROM audit_log ORDER BY sequence", []) }
            .map { try $0.int64(0) }
        #expect(sequences == Array(1...200))
        // Group commit did batch some of them, so chaining across savepoints of one transaction was exercised.
        #expect(database.statistics.batches < database.statistics.writes)
    }
}

@Test func rolledBackAppendLeavesNoGap() throws {
    try withAuditLog { log, database in
        try log.append(event(), to: database)
        try database.execute(setup: "CREATE TABLE things (id INTEGER PRIMARY KEY)")
        #expect(throws: Deliberate.self) {
            try database.write { executor in
                try executor.execute("INSERT INTO things (id) VALUES (1)", [])
                try log.append(event("thing.created"), using: executor)
                throw Deliberate()
            }
        }
        // The change and its record went together.
        #expect(try database.read { try $0.queryOne("SELECT COUNT(*) FROM things", [])?.int(0) } == 0)
        let next = try log.append(event("login.succeeded"), to: database)
        #expect(next.sequence == 2)
        #expect(try log.verify(database: database) == .intact(records: 2))
        #expect(try database.read { try log.records(subject: nil, limit: 10, using: $0) }.map(\.event.kind)
            == ["login.succeeded", "login.failed"])
    }
}

@Test func failingWriteInTheSameBatchDoesNotBreakTheChain() throws {
    // Many writers, every third of which rolls back after appending: survivors still chain contiguously.
    try withAuditLog { log, database in
        let committed = Locked(0)
        onThreads(8) { thread in
            for i in 0..<12 {
                let fails = (thread * 12 + i) % 3 == 0
                do {
                    try database.write { executor in
                        try log.append(event(details: ["n": String(i)]), using: executor)
                        if fails { throw Deliberate() }
                    }
                    committed.withLock { $0 += 1 }
                } catch {}
            }
        }
        let count = Int64(committed.withLock { $0 })
        #expect(count == 64)
        let verification = try log.verify(database: database)
        #expect(verification == .intact(records: count))
    }
}

@Test func recordsAreNewestFirstAndFilteredBySubject() throws {
    try withAuditLog { log, database in
        try appendMany(log, database, 10) // subjects citizen:1,2,3,1,2,3,…
        let all = try database.read { try log.records(subject: nil, limit: 4, using: $0) }
        #expect(all.map(\.sequence) == [10, 9, 8, 7])
        let mine = try database.read { try log.records(subject: "citizen:1", limit: 10, using: $0) }
        #expect(mine.map(\.sequence) == [10, 7, 4, 1])
        #expect(mine.allSatisfy { $0.event.subject == "citizen:1" })
        let two = try database.read { try log.records(subject: "citizen:2", limit: 2, using: $0) }
        #expect(two.map(\.sequence) == [8, 5])
        #expect(try database.read { try log.records(subject: "citizen:9", limit: 5, using: $0) }.isEmpty)
        #expect(try database.read { try log.records(subject: nil, limit: 0, using: $0) }.isEmpty)
    }
}

@Test func unreadableStoredRecordThrowsTypedError() throws {
    try withAuditLog { log, database in
        try log.append(event(), to: database)
        try dropTriggers(database)
        try database.write { try $0.execute("UPDATE audit_log SET details = 'not json'", []) }
        #expect(throws: AuditError.unreadableRecord(sequence: 1, reason: "details are not a JSON object of strings")) {
            try database.read { try log.records(subject: nil, limit: 1, using: $0) }
        }
    }
}

@Test func storedTimeParsesBackExactly() {
    for text in ["1970-01-01T00:00:00.000Z", "2024-02-29T23:59:59.999Z", "2027-01-15T08:00:00.123Z",
                 "2100-03-01T00:00:00.001Z"] {
        let date = AuditChain.parseTime(text)
        #expect(date.map(Timestamp.iso8601) == text)
    }
    // Timestamp.iso8601 misformats instants before 1970, so this one is checked against the Date.
    #expect(AuditChain.parseTime("1969-12-31T23:59:59.500Z") == Date(timeIntervalSince1970: -0.5))
    // Every millisecond survives Date's floating point: the record's time formats back to its stored text.
    var generator = SystemRandomNumberGenerator()
    for _ in 0..<20_000 {
        let milliseconds = Int64.random(in: 0...4_102_444_800_000, using: &generator) // up to 2100
        let text = Timestamp.iso8601(Date(timeIntervalSince1970: Double(milliseconds) / 1000))
        #expect(AuditChain.parseTime(text).map(Timestamp.iso8601) == text)
    }
    for bad in ["", "2027-01-15T08:00:00Z", "2027-01-15 08:00:00.123Z", "2027-13-15T08:00:00.123Z", "2027-01-15T08:00:00.12aZ"] {
        #expect(AuditChain.parseTime(bad) == nil)
    }
}

extension Database {
    /// Runs one statement in its own write; for test setup.
    func execute(setup sql: String) throws {
        try write { try $0.execute(sql, []) }
    }
}
