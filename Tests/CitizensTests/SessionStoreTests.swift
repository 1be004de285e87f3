@testable import Citizens
import Crypto
import Foundation
import Storage
import Support
import Testing

/// A migrated database in a fresh temporary directory, removed afterwards; the directory is passed for file scans.
func withSessionDatabase(_ body: (Database, URL) throws -> Void) throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("citizens-sessions-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let database = try Database(path: directory.appendingPathComponent("test.sqlite").path)
    defer { database.close() }
    try database.migrate(SessionStore.migrations)
    try body(database, directory)
}

let sessionHashKey = [UInt8](repeating: 7, count: 32)

private func makeStore(_ db: Database, _ clock: FixedClock, policy: SessionPolicy = .init()) -> SessionStore {
    SessionStore(database: db, hashKey: sessionHashKey, policy: policy, clock: clock)
}

private func login(_ store: SessionStore, _ db: Database, subject: String = "citizen:1",
                   userAgent: String = "Firefox", address: String = "192.0.2.1") throws -> (token: String, session: Session) {
    try db.write { try store.create(subject: subject, method: "pwd", userAgent: userAgent, sourceAddress: address, using: $0) }
}

private func lastSeen(_ db: Database, _ handle: String) throws -> Int64? {
    try db.read { try $0.queryOne("SELECT last_seen_at FROM sessions WHERE handle = ?", [.text(handle)])?.int64(0) }
}

private func rowCount(_ db: Database) throws -> Int {
    try db.read { try $0.queryOne("SELECT COUNT(*) FROM sessions")!.int(0) }
}

@Test func createValidateAndEnd() throws {
    try withSessionDatabase { db, _ in
        let clock = FixedClock()
        let store = makeStore(db, clock)
        let (token, session) = try login(store, db)
        #expect(token.utf8.count == 43 && Base64URL.decode(token)?.count == 32)
        #expect(session.subject == "citizen:1" && session.authenticationMethod == "pwd")
        #expect(session.userAgent == "Firefox" && session.sourceAddress == "192.0.2.1")
        #expect(session.createdAt == clock.now() && session.lastSeenAt == clock.now())
        #expect(session.expiresAt == clock.now().addingTimeInterval(30 * 60))
        #expect(session.handle != token && !session.handle.isEmpty)
        #expect(try store.validate(token: token) == session)

        let (other, _) = try login(store, db)
        #expect(other != token)
        try store.end(token: token)
        #expect(try store.validate(token: token) == nil)
        #expect(try store.validate(token: other) != nil)
        try store.end(token: token) // ending twice is harmless
    }
}

@Test func tokenIsNeverStored() throws {
    try withSessionDatabase { db, directory in
        let store = makeStore(db, FixedClock())
        let (token, _) = try login(store, db)
        let raw = Base64URL.decode(token)!
        db.close() // flush; the WAL and the main file are both scanned below
        var scanned = 0
        for name in try FileManager.default.contentsOfDirectory(atPath: directory.path) {
            let bytes = [UInt8](try Data(contentsOf: directory.appendingPathComponent(name)))
            scanned += bytes.count
            #expect(!contains(bytes, Array(token.utf8)), "token text found in \(name)")
            #expect(!contains(bytes, raw), "token bytes found in \(name)")
        }
        #expect(scanned > 0)
    }
}

private func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
    guard needle.count <= haystack.count else { return false }
    return (0...(haystack.count - needle.count)).contains { start in haystack[start..<start + needle.count].elementsEqual(needle) }
}

@Test func hashIsKeyedHMACOfToken() throws {
    try withSessionDatabase { db, _ in
        let store = makeStore(db, FixedClock())
        let (token, session) = try login(store, db)
        let stored = try db.read { try $0.queryOne("SELECT token_hash FROM sessions WHERE handle = ?", [.text(session.handle)])!.blob(0) }
        #expect(stored == Crypto.HMAC.sha256(key: sessionHashKey, message: token))
        // Another key finds nothing: the hash is keyed.
        let otherKey = SessionStore(database: db, hashKey: [UInt8](repeating: 8, count: 32), clock: FixedClock())
        #expect(try otherKey.validate(token: token) == nil)
    }
}

@Test func idleTimeoutExpiresAndDeletes() throws {
    try withSessionDatabase { db, _ in
        let clock = FixedClock()
        let store = makeStore(db, clock)
        let (token, _) = try login(store, db)
        clock.advance(by: 30 * 60 - 1)
        #expect(try store.validate(token: token) != nil) // touches: idle counts from here
        clock.advance(by: 30 * 60 - 1)
        #expect(try store.validate(token: token) != nil)
        clock.advance(by: 30 * 60)
        #expect(try store.validate(token: token) == nil)
        let remaining = try rowCount(db)
        #expect(remaining == 0)
    }
}

@Test func absoluteTimeoutExpiresEvenWhenBusy() throws {
    try withSessionDatabase { db, _ in
        let clock = FixedClock()
        let store = makeStore(db, clock, policy: SessionPolicy(idleTimeout: 600, absoluteTimeout: 3600, touchInterval: 60))
        let (token, session) = try login(store, db)
        for _ in 0..<11 {
            clock.advance(by: 300)
            #expect(try store.validate(token: token) != nil)
        }
        // 55 min in: the idle deadline is later, so the absolute one shows.
        #expect(try store.validate(token: token)?.expiresAt == session.createdAt.addingTimeInterval(3600))
        clock.advance(by: 300) // exactly 60 min
        #expect(try store.validate(token: token) == nil)
        let remaining = try rowCount(db)
        #expect(remaining == 0)
    }
}

@Test func touchesAtMostEveryTouchInterval() throws {
    try withSessionDatabase { db, _ in
        let clock = FixedClock()
        let store = makeStore(db, clock)
        let (token, session) = try login(store, db)
        let created = try lastSeen(db, session.handle)!
        let writesBefore = db.statistics.writes
        clock.advance(by: 30)
        #expect(try store.validate(token: token)?.lastSeenAt == session.createdAt)
        clock.advance(by: 29)
        _ = try store.validate(token: token)
        #expect(try lastSeen(db, session.handle) == created)
        #expect(db.statistics.writes == writesBefore) // reads only
        clock.advance(by: 1) // 60 s since the last write
        let touched = try store.validate(token: token)
        #expect(touched?.lastSeenAt == clock.now())
        #expect(try lastSeen(db, session.handle) == created + 60_000)
        #expect(db.statistics.writes == writesBefore + 1)
        clock.advance(by: 10)
        _ = try store.validate(token: token)
        #expect(db.statistics.writes == writesBefore + 1)
    }
}

@Test func endByHandleOnlyForOwner() throws {
    try withSessionDatabase { db, _ in
        let store = makeStore(db, FixedClock())
        let (token, session) = try login(store, db, subject: "citizen:1")
        #expect(try store.end(handle: session.handle, subject: "citizen:2") == false)
        #expect(try store.end(handle: session.handle, subject: "staff:1") == false)
        #expect(try store.validate(token: token) != nil)
        #expect(try store.end(handle: session.handle, subject: "citizen:1") == true)
        #expect(try store.validate(token: token) == nil)
        #expect(try store.end(handle: session.handle, subject: "citizen:1") == false)
    }
}

@Test func endAllExceptCurrent() throws {
    try withSessionDatabase { db, _ in
        let store = makeStore(db, FixedClock())
        let current = try login(store, db)
        let others = try (0..<3).map { _ in try login(store, db) }
        let stranger = try login(store, db, subject: "citizen:2")
        let keep = current.session.handle
        try db.write { try store.endAll(subject: "citizen:1", except: keep, using: $0) }
        #expect(try store.validate(token: current.token) != nil)
        for other in others { #expect(try store.validate(token: other.token) == nil) }
        #expect(try store.validate(token: stranger.token) != nil)
        try db.write { try store.endAll(subject: "citizen:1", except: nil, using: $0) }
        #expect(try store.validate(token: current.token) == nil)
        #expect(try store.validate(token: stranger.token) != nil)
    }
}

@Test func listsActiveSessionsNewestFirst() throws {
    try withSessionDatabase { db, _ in
        let clock = FixedClock()
        let store = makeStore(db, clock)
        let old = try login(store, db, userAgent: "old")
        clock.advance(by: 20 * 60)
        let middle = try login(store, db, userAgent: "middle")
        clock.advance(by: 5 * 60)
        let newest = try login(store, db, userAgent: String(repeating: "x", count: 1000))
        _ = try login(store, db, subject: "citizen:2")
        #expect(try store.list(subject: "citizen:1").map(\.handle) == [newest, middle, old].map(\.session.handle))
        #expect(try store.list(subject: "citizen:1").first?.userAgent.count == 256)
        clock.advance(by: 6 * 60) // "old" is idle for 31 min
        #expect(try store.list(subject: "citizen:1").map(\.handle) == [newest, middle].map(\.session.handle))
        #expect(try store.list(subject: "citizen:3").isEmpty)
    }
}

@Test func purgeRemovesOnlyExpired() throws {
    try withSessionDatabase { db, _ in
        let clock = FixedClock()
        let store = makeStore(db, clock)
        _ = try login(store, db)
        _ = try login(store, db, subject: "citizen:2")
        clock.advance(by: 25 * 60)
        let fresh = try login(store, db)
        clock.advance(by: 6 * 60)
        #expect(try store.purgeExpired() == 2)
        #expect(try rowCount(db) == 1)
        #expect(try store.validate(token: fresh.token) != nil)
    }
}

@Test func malformedTokensNeverReachTheDatabase() throws {
    try withSessionDatabase { db, _ in
        let store = makeStore(db, FixedClock())
        let (token, _) = try login(store, db)
        let before = db.statistics
        let malformed = ["", "abc", String(token.dropLast()), token + "A", String(token.dropLast()) + "=",
                         String(token.dropLast()) + "+", String(token.dropLast()) + "é", " " + String(token.dropFirst())]
        for bad in malformed {
            #expect(try store.validate(token: bad) == nil)
            try store.end(token: bad)
        }
        #expect(db.statistics == before)
        // Well-formed but unknown: nil too.
        #expect(try store.validate(token: String(repeating: "A", count: 43)) == nil)
        #expect(try store.validate(token: token) != nil)
    }
}

@Test func createRefusesBadSubjects() throws {
    try withSessionDatabase { db, _ in
        let store = makeStore(db, FixedClock())
        for subject in ["", "citizen:", "staff:", "admin:1", "1"] {
            #expect(throws: SessionError.invalidSubject) { _ = try login(store, db, subject: subject) }
        }
        let staff = try login(store, db, subject: "staff:9")
        #expect(staff.session.subject == "staff:9")
    }
}

@Test func createCommitsWithTheCallersWrite() throws {
    struct Abort: Error {}
    try withSessionDatabase { db, _ in
        let store = makeStore(db, FixedClock())
        #expect(throws: Abort.self) {
            try db.write { (executor: any SQLExecutor) throws -> Void in
                _ = try store.create(subject: "citizen:1", method: "pwd", userAgent: "", sourceAddress: "", using: executor)
                throw Abort() // say the audit record failed: no session may remain
            }
        }
        let remaining = try rowCount(db)
        #expect(remaining == 0)
    }
}
