import Foundation

/// How logout deliveries are made and retried.
public struct BackchannelSettings: Sendable, Equatable {
    /// Seconds a logout token is valid (`exp` − `iat`); short, since it is signed again for every attempt. Default 120.
    public var tokenLifetime: TimeInterval = 120
    /// Attempts before a delivery is dropped. Default 8.
    public var maxAttempts = 8
    /// Seconds before the first retry; each further retry waits twice as long, up to `maxRetryDelay`. Default 5.
    public var firstRetryDelay: TimeInterval = 5
    /// The longest wait between two attempts. Default 600.
    public var maxRetryDelay: TimeInterval = 600
    /// Seconds after the logout when a delivery not made yet is dropped, attempts left or not (a portal down for
    /// hours no longer needs to hear of a logout whose sessions it has long timed out). Default 3600.
    public var maxAge: TimeInterval = 3_600
    /// Seconds delivered and dropped rows are kept (for support) before the clean-up job deletes them. Default 86400.
    public var retention: TimeInterval = 86_400
    /// Deliveries one pass of the worker reads; a full pass is followed by another at once. Default 50.
    public var batchSize = 50
    /// Seconds the worker sleeps between passes when nothing wakes it. Default 5.
    public var pollInterval: TimeInterval = 5

    /// The defaults.
    public init() {}

    /// The wait before the next attempt after `attempts` failed ones: `firstRetryDelay` doubling, capped.
    public func retryDelay(afterAttempts attempts: Int) -> TimeInterval {
        let doublings = min(max(0, attempts - 1), 30)
        return min(maxRetryDelay, firstRetryDelay * Double(1 << doublings))
    }
}
