import Foundation

/// A worker thread's state behind one condition: running, stopping, and wake-ups that are not lost while a pass runs.
final class WorkerLoop: @unchecked Sendable {
    /// Held for a whole pass, so the thread and a direct call never send the same delivery twice.
    let passLock = NSLock()
    private let condition = NSCondition()
    private var running = false
    private var stopping = false
    private var wakeRequested = false

    /// Marks the worker running; false when it already was.
    func begin() -> Bool {
        condition.lock(); defer { condition.unlock() }
        if running { return false }
        running = true
        stopping = false
        wakeRequested = false
        return true
    }

    var isStopping: Bool {
        condition.lock(); defer { condition.unlock() }
        return stopping
    }

    func wake() {
        condition.lock()
        wakeRequested = true
        condition.broadcast()
        condition.unlock()
    }

    /// Sleeps until woken, stopped or `seconds` pass.
    func waitForWork(seconds: Double) {
        let deadline = Date().addingTimeInterval(seconds)
        condition.lock()
        while !wakeRequested && !stopping && Date() < deadline { _ = condition.wait(until: deadline) }
        wakeRequested = false
        condition.unlock()
    }

    func stopAndWait() {
        condition.lock()
        if running { stopping = true }
        condition.broadcast()
        while running { condition.wait() }
        condition.unlock()
    }

    func finish() {
        condition.lock()
        running = false
        stopping = false
        condition.broadcast()
        condition.unlock()
    }
}
