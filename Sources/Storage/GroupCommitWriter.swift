import Foundation
import Support
import Synchronization

/// Counters of the writer, so tests and metrics can see the batching.
public struct WriteStatistics: Sendable, Equatable {
    /// Write closures run (successful or not).
    public var writes: Int = 0
    /// Transactions committed; `writes / batches` is the average batch size.
    public var batches: Int = 0
    /// Writes that ended with an error: their own, or the batch's when COMMIT failed.
    public var failures: Int = 0
    /// The most writes committed in one batch.
    public var largestBatch: Int = 0

    public init() {}
}

/// One queued write and the slot its caller waits on.
final class WriteJob: @unchecked Sendable {
    enum Kind {
        /// Runs inside the batch's transaction, under its own savepoint.
        case batched(@Sendable (any SQLExecutor) throws -> Void)
        /// Runs alone with the raw connection and manages its own transactions (migrations).
        case exclusive(@Sendable (SQLiteConnection) throws -> Void)
    }

    let kind: Kind
    // Guards `outcome`; the writer thread fills it, the caller reads it after waking.
    private let condition = NSCondition()
    private var outcome: (any Error)??

    init(_ kind: Kind) { self.kind = kind }

    func complete(_ error: (any Error)?) {
        condition.lock()
        outcome = .some(error)
        condition.signal()
        condition.unlock()
    }

    /// Blocks until the job's batch has committed (or failed), then rethrows its error.
    func wait() throws {
        condition.lock()
        while outcome == nil { condition.wait() }
        let result = outcome!
        condition.unlock()
        if let result { throw result }
    }
}

/// The single writer: one thread owns the writer connection and commits queued writes in batches,
/// so many writes share one fsync (synchronous=FULL) without giving up durability.
///
/// Each batch: BEGIN IMMEDIATE; per job SAVEPOINT → closure → RELEASE (or ROLLBACK TO on error, so a
/// failing job takes back only its own changes); COMMIT once; then every caller is woken with its result.
final class GroupCommitWriter: @unchecked Sendable {
    private let connection: SQLiteConnection
    private let maxBatchSize: Int
    private let logger: Logger?

    // Guards queue, closing, finished and writerThread.
    private let condition = NSCondition()
    private var queue: [WriteJob] = []
    private var closing = false
    private var finished = false
    private var writerThread: pthread_t?

    private let counters = Mutex(WriteStatistics())

    init(connection: SQLiteConnection, maxBatchSize: Int, logger: Logger?) {
        self.connection = connection
        self.maxBatchSize = max(1, maxBatchSize)
        self.logger = logger
        let thread = Thread { [self] in run() }
        thread.name = "storage-writer"
        thread.start()
    }

    var statistics: WriteStatistics { counters.withLock { $0 } }

    /// Whether the caller is the writer thread, i.e. inside a write closure.
    var isWriterThread: Bool {
        condition.lock()
        defer { condition.unlock() }
        return writerThread.map { pthread_equal($0, pthread_self()) != 0 } ?? false
    }

    /// Queues a job and blocks until it has been committed or has failed.
    func submit(_ job: WriteJob) throws {
        if isWriterThread {
            throw StorageError(.misuse, "write called from inside a write closure; it would wait for itself")
        }
        condition.lock()
        guard !closing else {
            condition.unlock()
            throw StorageError(.closed, "database closed")
        }
        queue.append(job)
        // broadcast, not signal: close() may wait on the same condition, and a lost wake-up would stall the writer.
        condition.broadcast()
        condition.unlock()
        try job.wait()
    }

    /// Refuses new jobs, lets the thread commit what is queued, and waits for it to close the connection.
    func close() {
        condition.lock()
        closing = true
        condition.broadcast()
        // From inside a write closure the thread cannot finish while we wait for it; it will close on its own.
        let onWriterThread = writerThread.map { pthread_equal($0, pthread_self()) != 0 } ?? false
        while !finished && !onWriterThread { condition.wait() }
        condition.unlock()
    }

    // MARK: The writer thread

    private func run() {
        condition.lock()
        writerThread = pthread_self()
        condition.unlock()
        while let batch = nextBatch() {
            if case .exclusive(let body) = batch[0].kind {
                runExclusive(batch[0], body)
            } else {
                commit(batch)
            }
        }
        connection.close()
        condition.lock()
        finished = true
        writerThread = nil // a later thread may be given the same id
        condition.broadcast()
        condition.unlock()
    }

    /// Waits for work and takes up to maxBatchSize batched jobs, or one exclusive job; nil once closed and drained.
    private func nextBatch() -> [WriteJob]? {
        condition.lock()
        defer { condition.unlock() }
        while queue.isEmpty && !closing { condition.wait() }
        guard !queue.isEmpty else { return nil }
        if case .exclusive = queue[0].kind { return [queue.removeFirst()] }
        var count = 0
        while count < queue.count && count < maxBatchSize, case .batched = queue[count].kind { count += 1 }
        let batch = Array(queue[..<count])
        queue.removeFirst(count)
        return batch
    }

    private func runExclusive(_ job: WriteJob, _ body: (SQLiteConnection) throws -> Void) {
        do {
            try body(connection)
            record(writes: 1, failures: 0, committed: 1)
            job.complete(nil)
        } catch {
            if !connection.isAutocommit { try? connection.exec("ROLLBACK") }
            record(writes: 1, failures: 1, committed: 0)
            job.complete(error)
        }
    }

    private func commit(_ batch: [WriteJob]) {
        var errors = [(any Error)?](repeating: nil, count: batch.count)
        do {
            try connection.exec("BEGIN IMMEDIATE")
            for (index, job) in batch.enumerated() {
                guard case .batched(let body) = job.kind else { continue }
                errors[index] = try runInSavepoint(body)
            }
            try connection.exec("COMMIT")
        } catch {
            // Nothing of this batch is acknowledged: COMMIT (or the transaction itself) failed.
            if !connection.isAutocommit { try? connection.exec("ROLLBACK") }
            logger?.error("storage: write batch failed", ["size": String(batch.count), "error": safeDescription(error)])
            record(writes: batch.count, failures: batch.count, committed: 0)
            for job in batch { job.complete(error) }
            return
        }
        record(writes: batch.count, failures: errors.count { $0 != nil }, committed: batch.count)
        for (job, error) in zip(batch, errors) { job.complete(error) }
    }

    /// Runs one closure under a savepoint and returns its error; throws only when the batch's transaction is lost.
    private func runInSavepoint(_ body: (any SQLExecutor) throws -> Void) throws -> (any Error)? {
        try connection.exec("SAVEPOINT w")
        var failure: (any Error)?
        do {
            try body(connection)
            // A deferred foreign key left broken would fail the COMMIT of everyone's writes: blame this job now.
            if connection.hasDeferredForeignKeyViolations {
                failure = StorageError(.constraintViolation, "FOREIGN KEY constraint failed (deferred)")
            }
        } catch {
            failure = error
        }
        // Some errors (disk full, I/O) make SQLite roll back the whole transaction by itself.
        if connection.isAutocommit {
            throw failure ?? StorageError(.other, "the batch's transaction ended inside a write")
        }
        if failure != nil { try connection.exec("ROLLBACK TO w") }
        try connection.exec("RELEASE w")
        return failure
    }

    /// Storage errors carry no bound values; other errors are the closures' own and may, so only their type is logged.
    private func safeDescription(_ error: any Error) -> String {
        (error as? StorageError)?.description ?? String(describing: type(of: error))
    }

    private func record(writes: Int, failures: Int, committed: Int) {
        counters.withLock {
            $0.writes += writes
            $0.failures += failures
            if committed > 0 {
                $0.batches += 1
                $0.largestBatch = max($0.largestBatch, committed)
            }
        }
    }
}
