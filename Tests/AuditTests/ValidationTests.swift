import Foundation
@testable import Audit
import Storage
import Support
import Testing

struct InvalidEvent: Sendable, CustomTestStringConvertible {
    let name: String
    let event: AuditEvent
    let error: AuditError
    var testDescription: String { name }
}

private let manyDetails = Dictionary(uniqueKeysWithValues: (0..<17).map { ("k\($0)", "v") })

let invalidEvents: [InvalidEvent] = [
    .init(name: "empty kind", event: AuditEvent(kind: "", actor: "system"), error: .invalidKind),
    .init(name: "upper-case kind", event: AuditEvent(kind: "Login.failed", actor: "system"), error: .invalidKind),
    .init(name: "kind with space", event: AuditEvent(kind: "login failed", actor: "system"), error: .invalidKind),
    .init(name: "non-ASCII kind", event: AuditEvent(kind: "вход", actor: "system"), error: .invalidKind),
    .init(name: "kind of 65", event: AuditEvent(kind: String(repeating: "a", count: 65), actor: "system"), error: .invalidKind),
    .init(name: "empty actor", event: AuditEvent(kind: "a", actor: ""), error: .invalidActor),
    .init(name: "actor of 129", event: AuditEvent(kind: "a", actor: String(repeating: "s", count: 129)), error: .invalidActor),
    .init(name: "subject of 129", event: AuditEvent(kind: "a", actor: "system", subject: String(repeating: "я", count: 129)),
          error: .invalidSubject),
    .init(name: "empty subject", event: AuditEvent(kind: "a", actor: "system", subject: ""), error: .invalidSubject),
    .init(name: "long source address", event: AuditEvent(kind: "a", actor: "system", sourceAddress: String(repeating: "1", count: 65)),
          error: .invalidSourceAddress),
    .init(name: "17 details", event: AuditEvent(kind: "a", actor: "system", details: manyDetails), error: .tooManyDetails(count: 17)),
    .init(name: "detail key with space", event: AuditEvent(kind: "a", actor: "system", details: ["client id": "x"]),
          error: .invalidDetailKey),
    .init(name: "empty detail key", event: AuditEvent(kind: "a", actor: "system", details: ["": "x"]), error: .invalidDetailKey),
    .init(name: "detail value of 257", event: AuditEvent(kind: "a", actor: "system", details: ["note": String(repeating: "x", count: 257)]),
          error: .detailValueTooLong(key: "note")),
]

@Test(arguments: invalidEvents)
func invalidEventIsRefusedAndNothingIsWritten(_ invalid: InvalidEvent) throws {
    try withAuditLog { log, database in
        #expect(throws: invalid.error) { try log.append(invalid.event, to: database) }
        #expect(throws: invalid.error) { try database.write { try log.append(invalid.event, using: $0) } }
        let count = try database.read { try $0.queryOne("SELECT COUNT(*) FROM audit_log", [])?.int(0) }
        #expect(count == 0)
    }
}

@Test func eventsAtTheLimitsAreAccepted() throws {
    try withAuditLog { log, database in
        let limits = AuditEvent(kind: String(repeating: "a", count: 64), actor: String(repeating: "я", count: 128),
                                subject: String(repeating: "s", count: 128), sourceAddress: String(repeating: "f", count: 64),
                                details: Dictionary(uniqueKeysWithValues: (0..<16).map {
                                    ("Key_\($0)", String(repeating: "ж", count: 256))
                                }))
        try log.append(limits, to: database)
        #expect(try database.read { try log.records(subject: nil, limit: 1, using: $0) }.first?.event == limits)
    }
}

@Test func chainKeyMustBe32Bytes() {
    #expect(throws: AuditError.invalidKey) { try AuditLog(key: [UInt8](repeating: 1, count: 16), clock: FixedClock()) }
    #expect(throws: AuditError.invalidKey) { try AuditLog(key: [], clock: FixedClock()) }
    #expect(throws: Never.self) { try AuditLog(key: [UInt8](repeating: 1, count: 32), clock: FixedClock()) }
}
