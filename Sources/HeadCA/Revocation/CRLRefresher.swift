import Dispatch
import Foundation
import Support
import Synchronization

/// What one refresh round did, address by address.
public struct CRLRefreshReport: Sendable {
    /// What happened at one address.
    public enum Result: Sendable, Equatable {
        /// Fetched; what the registry made of it.
        case fetched(CRLImportOutcome)
        /// The download failed; the stored CRL stays.
        case failed(String)
    }

    /// Each address in the order tried.
    public var results: [(url: String, result: Result)] = []

    /// An empty report.
    public init() {}

    /// How many CRLs were accepted.
    public var accepted: Int { results.filter { if case .fetched(.accepted) = $0.result { true } else { false } }.count }
    /// How many were rejected.
    public var rejected: Int { results.filter { if case .fetched(.rejected) = $0.result { true } else { false } }.count }
    /// How many downloads failed.
    public var failed: Int { results.filter { if case .failed = $0.result { true } else { false } }.count }
}

/// Fetches the CRLs of the head CA roots and accredited CAs every `interval` and hands them to the registry,
/// which keeps the old CRL when a download fails or the new one is rejected.
public final class CRLRefresher: Sendable {
    private let registry: CRLRegistry
    private let fetcher: any CRLFetching
    private let interval: TimeInterval
    private let logger: Logger
    private let task = Mutex<Task<Void, Never>?>(nil)
    private let finished = DispatchSemaphore(value: 0)

    /// A refresher; `start` begins the rounds.
    public init(registry: CRLRegistry, fetcher: any CRLFetching, interval: TimeInterval, logger: Logger) {
        self.registry = registry
        self.fetcher = fetcher
        self.interval = interval
        self.logger = logger
    }

    /// One round over `CRLRegistry.refreshURLs()`, one address after another.
    public func refreshOnce(actor: String = "system") async -> CRLRefreshReport {
        var report = CRLRefreshReport()
        let registry = self.registry
        for url in registry.refreshURLs() {
            if Task.isCancelled { break }
            let bytes: [UInt8]
            do {
                bytes = try await fetcher.fetch(url: url)
            } catch {
                logger.warning("CRL download failed; the stored CRL stays", ["url": url, "error": String(describing: error)])
                report.results.append((url, .failed(String(describing: error))))
                continue
            }
            do {
                // The registry blocks on the database: run it on a Dispatch thread, not on Swift concurrency's pool.
                let outcome = try await Self.offPool { try registry.importCRL(bytes, source: url, actor: actor) }
                switch outcome {
                case .accepted(let issuer, let thisUpdate):
                    logger.info("CRL accepted", ["url": url, "issuer": issuer, "this_update": Timestamp.iso8601(thisUpdate)])
                case .unchanged:
                    logger.debug("CRL unchanged", ["url": url])
                case .rejected(let rejection):
                    logger.warning("CRL rejected; the stored CRL stays", ["url": url, "reason": rejection.description])
                }
                report.results.append((url, .fetched(outcome)))
            } catch {
                logger.error("CRL could not be stored", ["url": url, "error": String(describing: error)])
                report.results.append((url, .failed(String(describing: error))))
            }
        }
        return report
    }

    /// Starts rounds now and then every `interval` seconds.
    public func start() {
        let interval = self.interval
        let newTask = Task.detached { [self] in
            while !Task.isCancelled {
                let report = await self.refreshOnce()
                if !report.results.isEmpty {
                    self.logger.info("CRL refresh done", ["accepted": String(report.accepted), "rejected": String(report.rejected),
                                                          "failed": String(report.failed), "addresses": String(report.results.count)])
                }
                try? await Task.sleep(nanoseconds: UInt64(interval * 1e9))
            }
            self.finished.signal()
        }
        task.withLock { $0 = newTask }
    }

    /// Stops after the download in progress, waiting at most `timeout` seconds for it.
    public func stop(timeout: TimeInterval = 10) {
        guard let running = task.withLock({ current -> Task<Void, Never>? in
            defer { current = nil }
            return current
        }) else { return }
        running.cancel()
        if finished.wait(timeout: .now() + timeout) == .timedOut {
            logger.warning("CRL refresher still busy at shutdown; not waiting for it")
        }
    }

    private static func offPool<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(with: Result { try body() }) }
        }
    }
}
