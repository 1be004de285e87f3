import Foundation
@testable import Audit
import Storage
import Support

/// The chain key of the tests' logs.
let testKey = [UInt8](repeating: 0x42, count: 32)

/// A fresh database in a temporary directory with the audit migrations applied, and a log over it.
/// The directory is removed and the database closed when `body` returns.
func withAuditLog(clock: FixedClock = FixedClock(), _ body: (AuditLog, Database) throws -> Void) throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("audit-tests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let database = try Database(path: directory.appendingPathComponent("audit.sqlite").path)
    defer { database.close() }
    try database.migrate(AuditLog.migrations)
    try body(try AuditLog(key: testKey, clock: clock), database)
}

/// An event with the given kind and subject and a small detail.
func event(_ kind: String = "login.failed", subject: String? = "citizen:1", details: [String: String] = ["reason": "password"]) -> AuditEvent {
    AuditEvent(kind: kind, actor: "anonymous", subject: subject, sourceAddress: "192.0.2.7", details: details)
}

/// Appends `count` events in one write, with subjects cycling through citizen:1…3.
func appendMany(_ log: AuditLog, _ database: Database, _ count: Int) throws {
    try database.write { executor in
        for i in 0..<count { try log.append(event(subject: "citizen:\(i % 3 + 1)"), using: executor) }
    }
}

/// Removes the append-only triggers, as an attacker with write access to the file would before editing it.
func dropTriggers(_ database: Database) throws {
    try database.write { executor in
        for name in ["audit_log_no_update", "audit_log_no_delete", "audit_log_append_at_end"] {
            try executor.execute("DROP TRIGGER \(name)", [])
        }
    }
}

/// Runs `body(i)` for i in 0..<count on separate threads and waits for them all.
func onThreads(_ count: Int, _ body: @escaping @Sendable (Int) -> Void) {
    let group = DispatchGroup()
    for i in 0..<count {
        group.enter()
        Thread {
            body(i)
            group.leave()
        }.start()
    }
    group.wait()
}

/// A value behind a lock, shared by test threads.
final class Locked<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value
    init(_ value: Value) { self.value = value }
    func withLock<R>(_ body: (inout Value) -> R) -> R {
        lock.lock()
        defer { lock.unlock() }
        return body(&value)
    }
}

/// An error a write closure throws on purpose.
struct Deliberate: Error {}
