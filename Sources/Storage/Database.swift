import Support

/// A SQLite database: one group-committing writer thread and a pool of read-only connections.
///
/// Writes are queued to the single writer and acknowledged only once their batch is durably committed
/// (WAL, synchronous=FULL). Reads run on pooled connections, each closure inside one read transaction.
/// Both block the calling thread; call them from worker threads, not from Swift concurrency's pool.
public final class Database: Sendable {
    /// Sizes and limits.
    public struct Options: Sendable {
        /// How many read-only connections the pool holds.
        public var readers: Int
        /// How long a connection waits for a lock held by another process before failing with `.busy`.
        public var busyTimeoutMilliseconds: Int
        /// The most writes committed in one transaction.
        public var maxBatchSize: Int

        /// Options with the given values; the defaults suit a server.
        public init(readers: Int = 4, busyTimeoutMilliseconds: Int = 5000, maxBatchSize: Int = 256) {
            self.readers = readers
            self.busyTimeoutMilliseconds = busyTimeoutMilliseconds
            self.maxBatchSize = maxBatchSize
        }
    }

    private let writer: GroupCommitWriter
    private let readers: ReaderPool
    private let logger: Logger?
    private let clock: any WallClock

    /// Opens (creating if needed) the database file at `path` and starts the writer thread.
    /// `clock` stamps applied migrations.
    public init(path: String, options: Options = .init(), logger: Logger? = nil, clock: any WallClock = SystemClock()) throws {
        // The writer connection comes first: it switches the file to WAL before the readers open it.
        let connection = try SQLiteConnection(path: path, role: .writer,
                                              busyTimeoutMilliseconds: options.busyTimeoutMilliseconds)
        try connection.exec(Migrator.createTable)
        readers = try ReaderPool(path: path, count: options.readers,
                                 busyTimeoutMilliseconds: options.busyTimeoutMilliseconds)
        writer = GroupCommitWriter(connection: connection, maxBatchSize: options.maxBatchSize, logger: logger)
        self.logger = logger
        self.clock = clock
        logger?.info("storage: database opened", ["readers": String(max(1, options.readers))])
    }

    deinit { close() }

    /// Runs a read-only closure on a pooled reader connection (blocks until one is free).
    ///
    /// All queries of one closure see the same snapshot. Do not call `read` again from inside it:
    /// with every connection checked out, the inner call would wait forever.
    public func read<T>(_ body: (any SQLExecutor) throws -> T) throws -> T {
        try readers.read(body)
    }

    /// Queues a write to the single writer; returns once it is committed durably (group commit).
    ///
    /// The closure runs on the writer thread under its own savepoint: if it throws, only its changes
    /// are rolled back and the error comes back here. It must not call `write` (that throws `.misuse`),
    /// must not block on other threads' writes, and should be short, since it holds up the batch.
    /// A `read` from inside it sees the last committed state, not the batch's pending changes.
    @discardableResult
    public func write<T: Sendable>(_ body: @escaping @Sendable (any SQLExecutor) throws -> T) throws -> T {
        let result = ResultSlot<T>()
        try writer.submit(WriteJob(.batched { executor in result.value = try body(executor) }))
        return result.value!
    }

    /// Applies the pending migrations, each in its own transaction, and returns the versions applied now.
    ///
    /// Versions must be strictly increasing. A database newer than the last migration throws
    /// `.schemaTooNew` and nothing is applied; a failing migration is rolled back completely and
    /// throws `.migrationFailed` naming it (the ones before it stay applied).
    @discardableResult
    public func migrate(_ migrations: [Migration]) throws -> [Int] {
        try Migrator.validate(migrations)
        let result = ResultSlot<[Int]>()
        try writer.submit(WriteJob(.exclusive { [clock, logger] connection in
            result.value = try Migrator.apply(migrations, on: connection, clock: clock, logger: logger)
        }))
        return result.value!
    }

    /// The highest applied migration version, 0 when none has been applied.
    public func currentSchemaVersion() throws -> Int {
        try read { try Migrator.currentVersion($0) }
    }

    /// Whether a reader can run `SELECT 1`; for readiness probes.
    public func isReachable() -> Bool {
        (try? read { try $0.queryOne("SELECT 1", [])?.int(0) }) == 1
    }

    /// Counts of writes, batches and failures since opening.
    public var statistics: WriteStatistics { writer.statistics }

    /// Commits the queued writes, then closes every connection; later calls throw `.closed`. Idempotent.
    public func close() {
        readers.close()
        writer.close()
    }
}

/// Carries a closure's result from the writer thread back to the caller; the job's lock orders the accesses.
private final class ResultSlot<T>: @unchecked Sendable {
    var value: T?
}
