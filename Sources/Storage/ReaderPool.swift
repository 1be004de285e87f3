import Foundation

/// A fixed set of read-only connections, checked out by one thread at a time.
final class ReaderPool: @unchecked Sendable {
    // Guards idle and closed.
    private let condition = NSCondition()
    private var idle: [SQLiteConnection]
    private var closed = false

    init(path: String, count: Int, busyTimeoutMilliseconds: Int) throws {
        var connections = [SQLiteConnection]()
        for _ in 0..<max(1, count) {
            // On a throw the connections opened so far close in their deinit.
            connections.append(try SQLiteConnection(path: path, role: .reader, busyTimeoutMilliseconds: busyTimeoutMilliseconds))
        }
        idle = connections
    }

    /// Runs `body` inside one read transaction, so all of its queries see the same snapshot.
    /// Blocks while every connection is busy; do not nest reads when the pool may be exhausted.
    func read<T>(_ body: (any SQLExecutor) throws -> T) throws -> T {
        let connection = try checkOut()
        defer {
            // After a throw (or a failed COMMIT) the read transaction must not travel back into the pool.
            if !connection.isAutocommit { try? connection.exec("ROLLBACK") }
            checkIn(connection)
        }
        try connection.exec("BEGIN")
        let result = try body(connection)
        try connection.exec("COMMIT")
        return result
    }

    /// Closes the idle connections now; busy ones close when they come back.
    func close() {
        condition.lock()
        closed = true
        let connections = idle
        idle.removeAll()
        condition.broadcast()
        condition.unlock()
        for connection in connections { connection.close() }
    }

    private func checkOut() throws -> SQLiteConnection {
        condition.lock()
        defer { condition.unlock() }
        while idle.isEmpty && !closed { condition.wait() }
        guard !closed else { throw StorageError(.closed, "database closed") }
        return idle.removeLast()
    }

    private func checkIn(_ connection: SQLiteConnection) {
        condition.lock()
        let isClosed = closed
        if !isClosed {
            idle.append(connection)
            condition.signal()
        }
        condition.unlock()
        if isClosed { connection.close() }
    }
}
