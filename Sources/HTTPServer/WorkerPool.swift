import Foundation
import Support
import Synchronization

/// A fixed set of threads for blocking or CPU-heavy work, fed from a bounded queue.
///
/// When the queue is full `submit` refuses at once, so the caller can answer 503 quickly
/// instead of letting latency grow without bound. A job that waited in the queue longer than `maxQueueWait`
/// is not run: its `expired` closure runs instead (the server answers 503), because its client has likely
/// given up and running it would only delay the jobs behind it. Better still, when every thread is busy and the
/// queue ahead already needs longer than `maxQueueWait` (judged from how long recent jobs took), `submit`
/// refuses at once, so overload is answered immediately instead of after a wait.
public final class WorkerPool: @unchecked Sendable {
    public typealias Job = @Sendable () -> Void

    private struct Entry {
        let job: Job
        let expired: Job?
        let enqueuedAt: UInt64
    }

    private let condition = NSCondition()
    private var queue: [Entry?]
    private var head = 0
    private var count = 0
    private var stopping = false
    private var busy = 0
    private let threadCount: Int
    /// Moving average of how long jobs take, in nanoseconds; 0 until the first job finished.
    private var averageJobNanoseconds: Double = 0
    private let rejected = Atomic<Int>(0)
    private let shed = Atomic<Int>(0)
    private let maxQueueWaitNanoseconds: UInt64
    private var threads: [Thread] = []

    /// Jobs the queue holds at most, beyond the ones running.
    public let capacity: Int

    public init(threads threadCount: Int, capacity: Int, maxQueueWait: Double = 1, name: String = "worker") {
        precondition(threadCount > 0 && capacity > 0)
        self.capacity = capacity
        self.threadCount = threadCount
        maxQueueWaitNanoseconds = UInt64(max(0, maxQueueWait) * 1e9)
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
    /// - Parameter expired: runs instead of `job` when the job waited longer than `maxQueueWait`.
    public func submit(_ job: @escaping Job, expired: Job? = nil) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        guard !stopping, count < capacity, !queueTooSlow() else {
            rejected.wrappingAdd(1, ordering: .relaxed)
            return false
        }
        queue[(head + count) % capacity] = Entry(job: job, expired: expired, enqueuedAt: MonotonicTime.nanoseconds())
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

    /// Jobs not run because they waited in the queue too long.
    public var shedJobs: Int { shed.load(ordering: .relaxed) }

    /// Lets queued jobs finish, then ends the threads. Does not wait.
    public func stop() {
        condition.lock()
        stopping = true
        condition.broadcast()
        condition.unlock()
    }

    /// Whether a new job would wait longer than `maxQueueWait`: all threads busy, and the jobs ahead of it, at the
    /// recent average duration spread over the threads, take longer than that. Called with the lock held.
    private func queueTooSlow() -> Bool {
        guard busy >= threadCount, averageJobNanoseconds > 0, maxQueueWaitNanoseconds > 0 else { return false }
        let projected = Double(count + 1) * averageJobNanoseconds / Double(threadCount)
        return projected > Double(maxQueueWaitNanoseconds)
    }

    private func runWorker() {
        while true {
            condition.lock()
            while count == 0 && !stopping { condition.wait() }
            if count == 0 && stopping {
                condition.unlock()
                return
            }
            let entry = queue[head]!
            queue[head] = nil
            head = (head + 1) % capacity
            count -= 1
            busy += 1
            condition.unlock()

            let started = MonotonicTime.nanoseconds()
            var ran = false
            if let expired = entry.expired, started &- entry.enqueuedAt > maxQueueWaitNanoseconds {
                shed.wrappingAdd(1, ordering: .relaxed)
                expired()
            } else {
                entry.job()
                ran = true
            }
            let took = Double(MonotonicTime.nanoseconds() &- started)

            condition.lock()
            if ran {
                averageJobNanoseconds = averageJobNanoseconds == 0 ? took : averageJobNanoseconds * 0.9 + took * 0.1
            }
            busy -= 1
            condition.unlock()
        }
    }
}
