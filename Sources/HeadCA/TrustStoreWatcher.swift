import Foundation
import Support

/// Reloads the trust store when the database changed under it — `openesia ca …` commands run in their own
/// process — checking every `interval` seconds (one small read).
public final class TrustStoreWatcher: Sendable {
    private let trustStore: TrustStore
    private let interval: TimeInterval
    private let logger: Logger
    private let loop = WorkerLoop()

    /// A watcher; `start` begins the checks.
    public init(trustStore: TrustStore, interval: TimeInterval = 5, logger: Logger) {
        self.trustStore = trustStore
        self.interval = interval
        self.logger = logger
    }

    /// Starts the checking thread; a second call while it runs does nothing.
    public func start() {
        guard loop.begin() else { return }
        let thread = Thread { [self] in
            while true {
                loop.waitForWork(seconds: interval)
                if loop.isStopping { break }
                do {
                    if try trustStore.reloadIfChanged() { logger.info("trust store reloaded") }
                } catch {
                    logger.warning("trust store reload failed; the previous snapshot stays", ["error": String(describing: error)])
                }
            }
            loop.finish()
        }
        thread.name = "trust-store-watcher"
        thread.start()
    }

    /// Stops the thread and waits for it.
    public func stop() {
        loop.stopAndWait()
    }
}
