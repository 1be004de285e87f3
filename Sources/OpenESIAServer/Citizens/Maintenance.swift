import Citizens
import Foundation
import Support

/// Periodic clean-up: expired sessions and forgotten throttle counters. Both are also ignored when read,
/// so this only keeps the tables small; missing a run changes nothing but their size.
final class Maintenance: @unchecked Sendable {
    private let sessions: SessionStore
    private let throttle: LoginThrottle
    private let logger: Logger
    private let interval: Double
    private let wake = DispatchSemaphore(value: 0)
    private let finished = DispatchSemaphore(value: 0)
    private let lock = NSLock()
    private var running = false
    private var jobs: [(name: String, run: @Sendable () throws -> Int)] = []

    init(sessions: SessionStore, throttle: LoginThrottle, logger: Logger, interval: Double = 600) {
        self.sessions = sessions
        self.throttle = throttle
        self.logger = logger
        self.interval = interval
    }

    /// Adds another clean-up to each pass (before `start`); `run` returns the rows it removed.
    func add(_ name: String, _ run: @escaping @Sendable () throws -> Int) {
        lock.lock(); jobs.append((name, run)); lock.unlock()
    }

    func start() {
        lock.lock(); running = true; lock.unlock()
        let thread = Thread { [self] in
            while true {
                _ = self.wake.wait(timeout: .now() + self.interval)
                guard self.isRunning else { break }
                self.runOnce()
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

    /// One clean-up pass; returns the sessions and throttle rows removed.
    @discardableResult
    func runOnce() -> (sessions: Int, throttle: Int) {
        lock.lock(); let extra = jobs; lock.unlock()
        for job in extra {
            do {
                let removed = try job.run()
                if removed > 0 { logger.info("maintenance", ["job": job.name, "removed": String(removed)]) }
            } catch {
                logger.warning("maintenance failed", ["job": job.name, "error_type": String(describing: type(of: error))])
            }
        }
        do {
            let removed = (try sessions.purgeExpired(), try throttle.purgeStale())
            if removed.0 + removed.1 > 0 {
                logger.info("maintenance", ["expired_sessions": String(removed.0), "stale_throttle_rows": String(removed.1)])
            }
            return removed
        } catch {
            logger.warning("maintenance failed", ["error_type": String(describing: type(of: error))])
            return (0, 0)
        }
    }

    private var isRunning: Bool {
        lock.lock(); defer { lock.unlock() }
        return running
    }
}
