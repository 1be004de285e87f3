import Storage
import Support
import Synchronization

/// Every portal in memory, because a portal is looked up on every token request.
///
/// The whole table is small (a region has hundreds of portals), so it is loaded at once: unknown client ids are
/// answered from memory too. Changes made through this process's registry drop the copy at once. Changes made by
/// another process (`openesia portal disable` beside a running server, another node) are seen within
/// `revalidationInterval`: after that much time a lookup reads the one-row generation counter, which every change
/// bumps, and reloads the table only when it moved.
final class PortalCache: Sendable {
    /// One consistent copy of the table.
    struct Snapshot: Sendable {
        let generation: Int64
        let rows: [String: PortalRow]
        let ordered: [PortalRow]
        let checkedAt: UInt64
    }

    private struct State: Sendable {
        var snapshot: Snapshot?
        /// Bumped by `invalidate`, so a load that raced with a local change cannot store what it read before it.
        var epoch: UInt64 = 0
    }

    private let database: Database
    private let revalidationNanoseconds: UInt64
    private let state = Locked(State())
    /// How many times the table was read in full; for tests of the invalidation.
    let loads = Atomic<Int>(0)

    init(database: Database, revalidationInterval: Double) {
        self.database = database
        revalidationNanoseconds = UInt64(max(0, revalidationInterval) * 1e9)
    }

    /// The current copy, revalidated or reloaded when it is older than the interval.
    func snapshot() throws -> Snapshot {
        let now = MonotonicTime.nanoseconds()
        let (current, epoch) = state.withLock { ($0.snapshot, $0.epoch) }
        if let current, now &- current.checkedAt < revalidationNanoseconds { return current }
        let fresh: Snapshot = try database.read { db in
            let generation = try PortalRow.generation(db)
            if let current, current.generation == generation {
                return Snapshot(generation: generation, rows: current.rows, ordered: current.ordered, checkedAt: now)
            }
            let ordered = try PortalRow.all(db)
            loads.add(1, ordering: .relaxed)
            return Snapshot(generation: generation, rows: Dictionary(uniqueKeysWithValues: ordered.map { ($0.portal.clientID, $0) }),
                            ordered: ordered, checkedAt: now)
        }
        state.withLock { if $0.epoch == epoch { $0.snapshot = fresh } }
        return fresh
    }

    /// Drops the copy; the next lookup reloads. Called after every change this process makes.
    func invalidate() {
        state.withLock {
            $0.snapshot = nil
            $0.epoch &+= 1
        }
    }
}
