import Foundation

/// The OpenID provider's settings; from the `federation` configuration section.
public struct ProviderSettings: Sendable, Equatable {
    /// The issuer identifier (`iss`), an https URL (http for loopback development) without query or fragment.
    /// Default "http://127.0.0.1:8080".
    public var issuer = "http://127.0.0.1:8080"
    /// Seconds an authorization code may be exchanged. Default 60.
    public var codeLifetime: TimeInterval = 60
    /// Seconds access tokens and ID tokens are valid. Default 3600.
    public var accessTokenLifetime: TimeInterval = 3_600
    /// Seconds a refresh token may be used; every use gives a new one with a fresh lifetime. Default 14 days.
    public var refreshTokenLifetime: TimeInterval = 14 * 86_400
    /// Seconds a pending authorization (waiting for login or consent) is kept. Default 600.
    public var pendingLifetime: TimeInterval = 600
    /// Seconds a node trusts its in-memory revocation list before reading the table's new entries. Default 1.
    public var revocationRefreshInterval: TimeInterval = 1
    /// Clock skew tolerated when checking tokens. Default 60.
    public var leeway: TimeInterval = 60

    /// The defaults.
    public init() {}
}
