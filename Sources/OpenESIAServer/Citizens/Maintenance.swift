import Citizens
import Foundation
import Support

/// Periodic clean-up: expired sessions and forgotten throttle counters, and whatever other modules add (expired
/// e-signature challenges). All of it is also ignored when read, so this only keeps the tables small; missing a run
/// changes nothing but their size.
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

    /// Adds a clean-up that returns how many rows it removed; call before `start`.
    func add(_ name: String, _ job: @escaping @Sendable () throws -> Int) {
        lock.lock(); jobs.append((name, job)); lock.unlock()
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
        do {
            let removed = (try sessions.purgeExpired(), try throttle.purgeStale())
            if removed.0 + removed.1 > 0 {
                logger.info("maintenance", ["expired_sessions": String(removed.0), "stale_throttle_rows": String(removed.1)])
            }
            lock.lock(); let extra = jobs; lock.unlock()
            for job in extra {
                let count = try job.run()
                if count > 0 { logger.info("maintenance", [job.name: String(count)]) }
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
