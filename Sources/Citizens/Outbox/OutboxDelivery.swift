import Foundation
import Storage
import Support

/// The background worker that sends the outbox's messages through a transport.
///
/// Each pass reads the due messages on a reader, delivers each outside any transaction (a slow mail
/// program must not hold up the writer), then records the outcome in a write: delivered (body
/// blanked), retry later with exponential back-off, or given up after `maxAttempts` (body blanked).
///
/// Delivery is at least once: a crash, or a failing write, between delivering a message and recording
/// it sends the message again on the next pass. One worker per database: two would send the same
/// messages twice.
///
/// Logs name the message id, channel and attempt, and a failure's reason; never the recipient or body.
public final class OutboxDelivery: Sendable {
    /// How many messages one pass reads; a full pass is followed by another at once.
    static let batchSize = 100

    private let database: Database
    private let outbox: Outbox
    private let transport: any MessageTransport
    private let clock: any WallClock
    private let logger: Logger
    private let pollInterval: Double
    private let maxAttempts: Int
    private let state = WorkerLoop()

    /// A worker; nothing runs until `start()` or `deliverDue()`.
    public init(database: Database, outbox: Outbox, transport: any MessageTransport, clock: any WallClock,
                logger: Logger, pollInterval: Double = 1, maxAttempts: Int = 10) {
        self.database = database
        self.outbox = outbox
        self.transport = transport
        self.clock = clock
        self.logger = logger
        self.pollInterval = max(0.01, pollInterval)
        self.maxAttempts = max(1, maxAttempts)
    }

    /// Starts the worker thread: it delivers what is due, then sleeps `pollInterval` or until `notify()`.
    /// Does nothing when already running.
    public func start() {
        guard state.begin() else { return }
        let thread = Thread { [self] in
            while !state.isStopping {
                let pass = runPass()
                // A full batch means more may be due: go on without sleeping.
                if pass.processed == Self.batchSize { continue }
                state.waitForWork(seconds: pollInterval)
            }
            state.finish()
        }
        thread.name = "outbox-delivery"
        thread.start()
    }

    /// Stops the worker: the message being delivered is finished and recorded, then this returns.
    public func stop() {
        state.stopAndWait()
    }

    /// Wakes the worker at once; call after committing a write that enqueued a message.
    public func notify() {
        state.wake()
    }

    /// Whether the worker thread is running.
    public var isRunning: Bool { state.isRunning }

    /// Runs one pass now, on the calling thread, and returns how many messages were delivered.
    @discardableResult
    public func deliverDue() -> Int {
        runPass().delivered
    }

    /// The delay before retrying after `attempts` failed attempts: 5 s doubling up to 1 h, ±20 % jitter
    /// (so messages that failed together do not all come back in the same second).
    public static func retryDelay(afterAttempts attempts: Int) -> Double {
        let base = attempts >= 11 ? 3600 : min(3600, 5 * Double(1 << max(0, attempts - 1)))
        let jitter = 0.8 + Double(SecureRandom.uniform(400_001)) / 1_000_000
        return base * jitter
    }

    private func runPass() -> (delivered: Int, processed: Int) {
        // The worker thread and a direct `deliverDue()` must not both send the same message.
        state.passLock.lock()
        defer { state.passLock.unlock() }
        let due: [StoredMessage]
        do {
            due = try database.read { [outbox] in try outbox.pending(limit: Self.batchSize, using: $0) }
        } catch {
            logger.error("outbox: could not read due messages", ["error": Self.safeDescription(error)])
            return (0, 0)
        }
        var delivered = 0, processed = 0
        for stored in due {
            if state.isStopping { break }
            processed += 1
            if deliver(stored) { delivered += 1 }
        }
        return (delivered, processed)
    }

    /// Delivers one message and records the outcome; returns whether it was delivered.
    private func deliver(_ stored: StoredMessage) -> Bool {
        let attempt = stored.attempts + 1
        let fields: KeyValuePairs<String, String> = [
            "id": String(stored.id), "channel": stored.message.channel.rawValue, "attempt": String(attempt),
        ]
        var failure: (any Error)?
        do {
            try transport.deliver(stored.message)
        } catch {
            failure = error
        }
        let now = clock.now()
        do {
            if let failure {
                let giveUp = attempt >= maxAttempts
                let retryAt = giveUp ? nil : now.addingTimeInterval(Self.retryDelay(afterAttempts: attempt))
                // The row keeps a command's stderr (already truncated); other errors only by their kind,
                // since an unknown error's description might quote the message.
                let detail = (failure as? TransportError)?.description ?? Self.safeDescription(failure)
                try database.write { [outbox] in
                    try outbox.recordFailure(id: stored.id, error: detail, retryAt: retryAt, at: now, using: $0)
                }
                let reason = Self.safeDescription(failure)
                logger.log(giveUp ? .error : .warning,
                           giveUp ? "outbox: delivery failed, giving up" : "outbox: delivery failed, will retry",
                           ["id": String(stored.id), "channel": stored.message.channel.rawValue,
                            "attempt": String(attempt), "reason": reason])
                return false
            }
            try database.write { [outbox] in try outbox.recordDelivered(id: stored.id, at: now, using: $0) }
            logger.info("outbox: delivered", fields)
            return true
        } catch {
            // The message may have gone out; it will be sent again (at least once).
            logger.error("outbox: could not record the outcome",
                         ["id": String(stored.id), "channel": stored.message.channel.rawValue,
                          "attempt": String(attempt), "error": Self.safeDescription(error)])
            return false
        }
    }

    /// An error for logs: only the kinds known to carry no message text are described.
    static func safeDescription(_ error: any Error) -> String {
        switch error {
        case let error as TransportError: error.summary
        case let error as StorageError: error.description
        case let error as OutboxError: "invalid message (\(error))"
        default: String(describing: type(of: error))
        }
    }
}
