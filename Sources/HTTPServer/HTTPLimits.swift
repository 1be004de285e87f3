/// The hard limits of the server. Every one is configurable; the defaults are the service's.
public struct HTTPLimits: Sendable {
    /// Longest request line, CRLF included; longer gets 414 (RFC 9112 §3).
    public var maxRequestLineBytes = 8 * 1024
    /// Largest header section in total; larger gets 431 (RFC 6585 §5).
    public var maxHeaderBytes = 16 * 1024
    /// Most header fields; more gets 431.
    public var maxHeaderCount = 100
    /// Largest body unless a route says otherwise; larger gets 413.
    public var maxBodyBytes = 1024 * 1024
    /// Time allowed from the first byte of a request to its last header line, and between body reads; then 408.
    public var headerReadTimeout: Double = 10
    /// Time an idle keep-alive connection is kept; then 408 and close.
    public var idleTimeout: Double = 60
    /// Open connections across all event loops; beyond it new ones get 503 with `Retry-After` and are closed.
    public var maxConnections = 10_000
    /// Time in-flight requests get to finish on shutdown.
    public var shutdownGracePeriod: Double = 10

    public init() {}
}
