import Audit
import Foundation
import Storage
import Support
import Synchronization

/// The background worker that sends queued logout tokens (OpenID Connect Back-Channel Logout 1.0 §2.5).
///
/// Each pass reads the due deliveries on a reader, signs a fresh logout token for each with the portal's algorithm,
/// posts them concurrently outside any transaction (a slow portal must not hold the writer), then records every outcome
/// in one write: delivered (a 2xx answer), retried later with doubling delays (any other status, a timeout, no answer),
/// or dropped and audited (`oauth.logout.dropped`) after `maxAttempts`, after `maxAge`, or when the portal was disabled
/// or no longer takes back-channel logout. At least once: a crash between posting and recording sends again.
/// One worker per database.
public final class LogoutDeliveryWorker: Sendable {
    private let database: Database
    private let audit: AuditLog
    private let portals: PortalRegistry
    private let issuer: TokenIssuer
    private let delivering: any LogoutDelivering
    private let settings: BackchannelSettings
    private let clock: any WallClock
    private let logger: Logger
    private let state = WorkerLoop()

    /// A worker; nothing runs until `start()` or `deliverDue()`.
    /// - Parameter issuerURL: the `iss` of the logout tokens (the provider's issuer).
    public init(database: Database, audit: AuditLog, portals: PortalRegistry, keys: SigningKeyStore, issuerURL: String,
                delivering: any LogoutDelivering, settings: BackchannelSettings = .init(), clock: any WallClock, logger: Logger) {
        self.database = database
        self.audit = audit
        self.portals = portals
        issuer = TokenIssuer(issuer: issuerURL, keys: keys, accessTokenLifetime: settings.tokenLifetime)
        self.delivering = delivering
        self.settings = settings
        self.clock = clock
        self.logger = logger
    }

    /// The worker's migrations (version 490).
    public static let migrations: [Migration] = LogoutDeliveryMigrations.all

    /// Starts the worker thread: a pass, then sleep `pollInterval` or until `notify()`. Does nothing when running.
    public func start() {
        guard state.begin() else { return }
        let thread = Thread { [self] in
            while !state.isStopping {
                let processed = runPass().processed
                if processed == settings.batchSize { continue }
                state.waitForWork(seconds: settings.pollInterval)
            }
            state.finish()
        }
        thread.name = "logout-delivery"
        thread.start()
    }

    /// Stops the worker after the pass under way; returns when it has.
    public func stop() { state.stopAndWait() }

    /// Wakes the worker at once; the hook calls it after queueing.
    public func notify() { state.wake() }

    /// One pass now, on the calling thread.
    @discardableResult
    public func deliverDue() -> (delivered: Int, retried: Int, dropped: Int) {
        let pass = runPass()
        return (pass.delivered, pass.retried, pass.dropped)
    }

    /// Every delivery, oldest first; for support and tests.
    public func deliveries() throws -> [LogoutDelivery] {
        try database.read { db in try LogoutQueue.all(db) }
    }

    /// Deletes at most `limit` delivered or dropped rows older than `settings.retention`; for the clean-up job.
    public func purgeFinished(limit: Int) throws -> Int {
        let cutoff = clock.now().addingTimeInterval(-settings.retention)
        return try database.write { db in try LogoutQueue.purgeFinished(before: cutoff, limit: limit, db) }
    }

    private enum Outcome: Sendable {
        case delivered
        case failed(String)
        case drop(String, attempted: Bool)
    }

    private func runPass() -> (processed: Int, delivered: Int, retried: Int, dropped: Int) {
        state.passLock.lock()
        defer { state.passLock.unlock() }
        let now = clock.now()
        let due: [LogoutDelivery]
        do {
            due = try database.read { db in try LogoutQueue.due(now: now, limit: settings.batchSize, db) }
        } catch {
            logger.error("back-channel logout: could not read the queue", ["error_type": String(describing: type(of: error))])
            return (0, 0, 0, 0)
        }
        guard !due.isEmpty else { return (0, 0, 0, 0) }
        let outcomes = Mutex([Outcome?](repeating: nil, count: due.count))
        DispatchQueue.concurrentPerform(iterations: due.count) { index in
            let outcome = attempt(due[index], now: now)
            outcomes.withLock { $0[index] = outcome }
        }
        let results = outcomes.withLock { $0 }.map { $0 ?? .failed("no outcome") }
        return record(due, results)
    }

    /// Checks, signs and posts one delivery.
    private func attempt(_ delivery: LogoutDelivery, now: Date) -> Outcome {
        if now.timeIntervalSince(delivery.createdAt) > settings.maxAge { return .drop("too old", attempted: false) }
        guard let portal = try? portals.portal(clientID: delivery.clientID), portal.enabled else {
            return .drop("portal disabled or removed", attempted: false)
        }
        guard portal.settings.backchannelLogoutURI == delivery.uri else {
            return .drop("back-channel logout URI changed", attempted: false)
        }
        let token: String
        do {
            token = try issuer.logoutToken(clientID: delivery.clientID, subject: delivery.subject, sid: delivery.sid, jti: delivery.jti,
                                           algorithm: portal.settings.signingAlgorithm, lifetime: settings.tokenLifetime, now: clock.now())
        } catch {
            return .drop("cannot sign for \(portal.settings.signingAlgorithm.rawValue)", attempted: false)
        }
        do {
            let status = try delivering.post(logoutToken: token, to: delivery.uri)
            // §2.8: 200 (or 204) on success; anything else, 400 included, is a failure worth another try.
            return (200..<300).contains(status) ? .delivered : .failed("HTTP \(status)")
        } catch {
            return .failed(String(describing: error).prefix(200).description)
        }
    }

    private func record(_ due: [LogoutDelivery], _ outcomes: [Outcome]) -> (processed: Int, delivered: Int, retried: Int, dropped: Int) {
        let now = clock.now()
        var delivered = 0, retried = 0, dropped = 0
        var decided: [(LogoutDelivery, Outcome)] = []
        for (delivery, outcome) in zip(due, outcomes) {
            var final = outcome
            if case .failed(let reason) = outcome, delivery.attempts + 1 >= settings.maxAttempts {
                final = .drop("\(reason) (attempt \(delivery.attempts + 1) of \(settings.maxAttempts))", attempted: true)
            }
            switch final {
            case .delivered: delivered += 1
            case .failed: retried += 1
            case .drop: dropped += 1
            }
            decided.append((delivery, final))
        }
        let settings = self.settings
        let audit = self.audit
        let decisions = decided
        do {
            try database.write { db in
                for (delivery, outcome) in decisions {
                    switch outcome {
                    case .delivered:
                        try LogoutQueue.recordDelivered(id: delivery.id, now: now, db)
                    case .failed(let reason):
                        let retryAt = now.addingTimeInterval(settings.retryDelay(afterAttempts: delivery.attempts + 1))
                        try LogoutQueue.recordFailure(id: delivery.id, error: reason, retryAt: retryAt, db)
                    case .drop(let reason, let attempted):
                        try LogoutQueue.recordDropped(id: delivery.id, reason: reason, attempted: attempted, now: now, db)
                        try audit.append(AuditEvent(
                            kind: "oauth.logout.dropped", actor: "system", subject: "portal:\(delivery.clientID)", sourceAddress: nil,
                            details: ["delivery": String(delivery.id), "attempts": String(delivery.attempts + (attempted ? 1 : 0)),
                                      "reason": reason]), using: db)
                    }
                }
            }
        } catch {
            logger.error("back-channel logout: could not record outcomes", ["error_type": String(describing: type(of: error))])
            return (due.count, 0, 0, 0)
        }
        for (delivery, outcome) in decisions {
            let id = String(delivery.id), attempt = String(delivery.attempts + 1)
            switch outcome {
            case .delivered:
                logger.info("back-channel logout: delivered", ["id": id, "client_id": delivery.clientID, "attempt": attempt])
            case .failed(let reason):
                logger.warning("back-channel logout: failed, will retry", ["id": id, "client_id": delivery.clientID, "attempt": attempt, "reason": reason])
            case .drop(let reason, _):
                logger.error("back-channel logout: dropped", ["id": id, "client_id": delivery.clientID, "attempt": attempt, "reason": reason])
            }
        }
        return (due.count, delivered, retried, dropped)
    }
}
