import Foundation

/// How signing keys rotate; from the `federation` configuration section.
public struct SigningKeySettings: Sendable, Equatable {
    /// Seconds a new key is published in the JWKS before it signs anything, so portals that cache the key set
    /// (and other nodes that cache the keys, see `refreshInterval`) know it before the first token names it. Default 0.
    public var publishLead: TimeInterval = 0
    /// The longest lifetime of any token the service signs; a key that stopped signing stays in the JWKS this long. Default 3600.
    public var maxTokenLifetime: TimeInterval = 3_600
    /// Seconds a node keeps its in-memory copy of the keys before reading the table again, so a rotation made by
    /// another process (`openesia keys rotate`) is seen. Keep it well below `publishLead` in production. Default 60.
    public var refreshInterval: TimeInterval = 60
    /// Size of new RSA keys. Default 2048.
    public var rsaBits = 2_048

    /// The defaults.
    public init() {}
}
