import Foundation

/// A background worker thread's state behind one condition: running, stopping, and wake-ups that are not lost while a
/// pass runs. Shared by the outbox delivery, the back-channel logout worker, the registry worker and the trust-store
/// watcher. NSCondition rather than Mutex, because the thread sleeps on it (and Mutex's futex is invisible to
/// ThreadSanitizer).
public final class WorkerLoop: @unchecked Sendable {
    /// Held for a whole pass, so the thread and a direct call never handle the same item twice.
    public let passLock = NSLock()
    private let condition = NSCondition()
    private var running = false
    private var stopping = false
    private var wakeRequested = false

    public init() {}

    /// Marks the worker running; false when it already was.
    public func begin() -> Bool {
        condition.lock(); defer { condition.unlock() }
        if running { return false }
        running = true
        stopping = false
        wakeRequested = false
        return true
    }

    public var isRunning: Bool {
        condition.lock(); defer { condition.unlock() }
        return running
    }

    public var isStopping: Bool {
        condition.lock(); defer { condition.unlock() }
        return stopping
    }

    /// Ends the current or next wait early.
    public func wake() {
        condition.lock()
        wakeRequested = true
        condition.broadcast()
        condition.unlock()
    }

    /// Sleeps until woken, stopped or `seconds` pass. A wake that came during the pass is not lost.
    public func waitForWork(seconds: Double) {
        let deadline = Date().addingTimeInterval(seconds)
        condition.lock()
        while !wakeRequested && !stopping && Date() < deadline { _ = condition.wait(until: deadline) }
        wakeRequested = false
        condition.unlock()
    }

    /// Asks the thread to stop and waits until it called `finish`.
    public func stopAndWait() {
        condition.lock()
        if running { stopping = true }
        condition.broadcast()
        while running { condition.wait() }
        condition.unlock()
    }

    /// Called by the thread as it ends.
    public func finish() {
        condition.lock()
        running = false
        stopping = false
        condition.broadcast()
        condition.unlock()
    }
}
