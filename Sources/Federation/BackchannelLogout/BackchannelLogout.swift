import Foundation
import Storage
import Support

/// The logout hook of OpenID Connect Back-Channel Logout 1.0: when a login session ends, queues a logout token for every
/// portal the session served that registered a `backchannelLogoutURI`, in one write, and wakes the worker.
///
/// The hook runs right after the session's own write (the provider calls hooks once the session is gone), not inside
/// it: a crash between the two loses these deliveries, the same as a portal never hearing of a timed-out session.
public final class BackchannelLogout: LogoutHook {
    private let database: Database
    private let portals: PortalRegistry
    private let worker: LogoutDeliveryWorker
    private let clock: any WallClock
    private let logger: Logger

    /// A hook that queues into `database` and wakes `worker`.
    public init(database: Database, portals: PortalRegistry, worker: LogoutDeliveryWorker, clock: any WallClock, logger: Logger) {
        self.database = database
        self.portals = portals
        self.worker = worker
        self.clock = clock
        self.logger = logger
    }

    public func sessionEnded(_ logout: SessionLogout) {
        let targets: [(clientID: String, uri: String)] = logout.portals.compactMap { clientID in
            guard let portal = try? portals.portal(clientID: clientID), portal.enabled,
                  let uri = portal.settings.backchannelLogoutURI else { return nil }
            return (clientID, uri)
        }
        guard !targets.isEmpty else { return }
        let now = clock.now()
        do {
            try database.write { db in
                for target in targets {
                    try LogoutQueue.enqueue(clientID: target.clientID, uri: target.uri, sid: logout.sid, subject: logout.subject, now: now, db)
                }
            }
            worker.notify()
        } catch {
            logger.error("back-channel logout: could not queue", ["portals": String(targets.count), "error_type": String(describing: type(of: error))])
        }
    }
}
