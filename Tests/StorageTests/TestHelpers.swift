import Foundation
@testable import Storage

/// A directory under the system's temporary directory, removed by `remove()`.
struct TemporaryDirectory {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("storage-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    var databasePath: String { url.appendingPathComponent("test.sqlite").path }

    func remove() { try? FileManager.default.removeItem(at: url) }
}

/// Opens a database in a fresh temporary directory, runs `body`, then closes it and removes the directory.
func withDatabase(_ options: Database.Options = .init(), _ body: (Database, TemporaryDirectory) throws -> Void) throws {
    let directory = try TemporaryDirectory()
    defer { directory.remove() }
    let database = try Database(path: directory.databasePath, options: options)
    defer { database.close() }
    try body(database, directory)
}

/// Runs `body(i)` for i in 0..<count on `count` separate threads and waits for them all.
/// Real threads, not concurrentPerform, which would use only as many threads as there are cores.
func onThreads(_ count: Int, _ body: @escaping @Sendable (Int) -> Void) {
    let group = DispatchGroup()
    for i in 0..<count {
        group.enter()
        let thread = Thread {
            body(i)
            group.leave()
        }
        thread.start()
    }
    group.wait()
}

/// An error a write closure throws on purpose.
struct Deliberate: Error, Equatable {}

/// A value behind a lock, shared by test threads. NSLock rather than Synchronization.Mutex because
/// Mutex's futex is invisible to ThreadSanitizer on Linux, which then reports races that are not there.
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
