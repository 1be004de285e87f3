import Foundation
import Synchronization

/// A fixed set of threads for blocking or CPU-heavy work, fed from a bounded queue.
///
/// When the queue is full `submit` refuses at once, so the caller can answer 503 quickly
/// instead of letting latency grow without bound.
public final class WorkerPool: @unchecked Sendable {
    public typealias Job = @Sendable () -> Void

    private let condition = NSCondition()
    private var queue: [Job?]
    private var head = 0
    private var count = 0
    private var stopping = false
    private var busy = 0
    private let rejected = Atomic<Int>(0)
    private var threads: [Thread] = []

    /// Jobs the queue holds at most, beyond the ones running.
    public let capacity: Int

    public init(threads threadCount: Int, capacity: Int, name: String = "worker") {
        precondition(threadCount > 0 && capacity > 0)
        self.capacity = capacity
        queue = Array(repeating: nil, count: capacity)
        for index in 0..<threadCount {
            let thread = Thread { [self] in self.runWorker() }
            thread.name = "\(name)-\(index)"
            thread.stackSize = 1 << 20
            threads.append(thread)
            thread.start()
        }
    }

    /// Queues a job; returns false without queuing when the queue is full or the pool is stopping.
    public func submit(_ job: @escaping Job) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        guard !stopping, count < capacity else {
            rejected.wrappingAdd(1, ordering: .relaxed)
            return false
        }
        queue[(head + count) % capacity] = job
        count += 1
        condition.signal()
        return true
    }

    /// Jobs waiting for a thread.
    public var queueDepth: Int {
        condition.lock(); defer { condition.unlock() }
        return count
    }

    /// Threads running a job now.
    public var busyThreads: Int {
        condition.lock(); defer { condition.unlock() }
        return busy
    }

    /// Jobs refused because the queue was full.
    public var rejectedJobs: Int { rejected.load(ordering: .relaxed) }

    /// Lets queued jobs finish, then ends the threads. Does not wait.
    public func stop() {
        condition.lock()
        stopping = true
        condition.broadcast()
        condition.unlock()
    }

    private func runWorker() {
        while true {
            condition.lock()
            while count == 0 && !stopping { condition.wait() }
            if count == 0 && stopping {
                condition.unlock()
                return
            }
            let job = queue[head]!
            queue[head] = nil
            head = (head + 1) % capacity
            count -= 1
            busy += 1
            condition.unlock()

            job()

            condition.lock()
            busy -= 1
            condition.unlock()
        }
    }
}
