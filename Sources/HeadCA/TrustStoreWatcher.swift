import Foundation
import Support

/// Reloads the trust store when the database changed under it — `openesia ca …` commands run in their own
/// process — checking every `interval` seconds (one small read).
public final class TrustStoreWatcher: @unchecked Sendable {
    private let trustStore: TrustStore
    private let interval: TimeInterval
    private let logger: Logger
    private let wake = DispatchSemaphore(value: 0)
    private let finished = DispatchSemaphore(value: 0)
    private let lock = NSLock()
    private var running = false

    /// A watcher; `start` begins the checks.
    public init(trustStore: TrustStore, interval: TimeInterval = 5, logger: Logger) {
        self.trustStore = trustStore
        self.interval = interval
        self.logger = logger
    }

    /// Starts the checking thread.
    public func start() {
        lock.lock(); running = true; lock.unlock()
        let thread = Thread { [self] in
            while true {
                _ = self.wake.wait(timeout: .now() + self.interval)
                guard self.isRunning else { break }
                do {
                    if try self.trustStore.reloadIfChanged() { self.logger.info("trust store reloaded") }
                } catch {
                    self.logger.warning("trust store reload failed; the previous snapshot stays", ["error": String(describing: error)])
                }
            }
            self.finished.signal()
        }
        thread.name = "trust-store-watcher"
        thread.start()
    }

    /// Stops the thread.
    public func stop() {
        lock.lock()
        let wasRunning = running
        running = false
        lock.unlock()
        guard wasRunning else { return }
        wake.signal()
        finished.wait()
    }

    private var isRunning: Bool {
        lock.lock(); defer { lock.unlock() }
        return running
    }
}
