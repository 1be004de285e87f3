/// How long login sessions live and how often their last use is written.
public struct SessionPolicy: Sendable, Equatable {
    /// Seconds without a request after which a session ends.
    public var idleTimeout: Double = 30 * 60
    /// Seconds after login after which a session ends however busy it is.
    public var absoluteTimeout: Double = 12 * 3600
    /// Seconds between writes of last_seen_at; keeps every request from being a write.
    /// The idle timeout is counted from the last write, so a session may end up to this much early.
    public var touchInterval: Double = 60

    /// A policy with the given values; the defaults suit citizens' sessions.
    public init(idleTimeout: Double = 30 * 60, absoluteTimeout: Double = 12 * 3600, touchInterval: Double = 60) {
        self.idleTimeout = idleTimeout
        self.absoluteTimeout = absoluteTimeout
        self.touchInterval = touchInterval
    }
}
