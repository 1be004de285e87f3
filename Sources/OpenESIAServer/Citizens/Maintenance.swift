import Foundation
import Support

/// Periodic clean-up so tables with expiring rows do not grow without bound: every `interval` seconds each job deletes at
/// most `batchRows` rows per table, each in its own write, so a large backlog never holds the writer long. A round that
/// filled a batch is followed by another a second later until the backlog is gone. Expired rows are also ignored when read,
/// so a missed round changes nothing but the tables' size.
final class Maintenance: @unchecked Sendable {
    /// A clean-up: given the row limit per table, the rows it removed by table.
    typealias Job = @Sendable (_ limit: Int) throws -> [(table: String, removed: Int)]

    private let logger: Logger
    private let interval: Double
    let batchRows: Int
    private let wake = DispatchSemaphore(value: 0)
    private let finished = DispatchSemaphore(value: 0)
    private let lock = NSLock()
    private var running = false
    private var jobs: [(name: String, run: Job)] = []

    init(logger: Logger, interval: Double = 600, batchRows: Int = 10_000) {
        self.logger = logger
        self.interval = interval
        self.batchRows = max(1, batchRows)
    }

    /// Adds a clean-up to each round (before `start`).
    func add(_ name: String, _ run: @escaping Job) {
        lock.lock(); jobs.append((name, run)); lock.unlock()
    }

    /// Adds a clean-up of one table.
    func add(table: String, _ run: @escaping @Sendable (_ limit: Int) throws -> Int) {
        add(table) { limit in [(table, try run(limit))] }
    }

    func start() {
        lock.lock(); running = true; lock.unlock()
        let thread = Thread { [self] in
            var wait = self.interval
            while true {
                _ = self.wake.wait(timeout: .now() + wait)
                guard self.isRunning else { break }
                let removed = self.runOnce()
                wait = removed.values.contains { $0 >= self.batchRows } ? min(1, self.interval) : self.interval
            }
            self.finished.signal()
        }
        thread.name = "maintenance"
        thread.start()
    }

    func stop() {
        lock.lock()
        let wasRunning = running
        running = false
        lock.unlock()
        guard wasRunning else { return }
        wake.signal()
        finished.wait()
    }

    /// One round; returns the rows removed by table. A failing job is logged and the others still run.
    @discardableResult
    func runOnce() -> [String: Int] {
        lock.lock(); let current = jobs; lock.unlock()
        var removed: [String: Int] = [:]
        for job in current {
            do {
                for (table, count) in try job.run(batchRows) { removed[table, default: 0] += count }
            } catch {
                logger.warning("maintenance failed", ["job": job.name, "error_type": String(describing: type(of: error))])
            }
        }
        let nonZero = removed.filter { $0.value > 0 }.sorted { $0.key < $1.key }
        if !nonZero.isEmpty {
            logger.info("maintenance", ["removed": nonZero.map { "\($0.key)=\($0.value)" }.joined(separator: " ")])
        }
        return removed
    }

    private var isRunning: Bool {
        lock.lock(); defer { lock.unlock() }
        return running
    }
}
