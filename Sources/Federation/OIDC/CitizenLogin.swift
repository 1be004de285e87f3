import Citizens
import Foundation

/// The browser's citizen login as the provider needs it: who, at which level, since when and how. The server builds it
/// from the session cookie and the citizen's profile.
public struct CitizenLogin: Sendable, Equatable {
    /// The citizen's internal id.
    public var citizenID: Int64
    /// The stable public identifier: the `sub` claim (and the ESIA dialect's oid).
    public var publicID: String
    /// The account level now.
    public var level: AccountLevel
    /// When the citizen logged in (the session's start): `auth_time`.
    public var authenticatedAt: Date
    /// The session's authentication method as Citizens records it ("pwd", "cert", ...).
    public var method: String
    /// The session's public handle; grants remember it so logout knows which portals the session served.
    public var sessionHandle: String

    /// Makes a value.
    public init(citizenID: Int64, publicID: String, level: AccountLevel, authenticatedAt: Date, method: String, sessionHandle: String) {
        self.citizenID = citizenID
        self.publicID = publicID
        self.level = level
        self.authenticatedAt = authenticatedAt
        self.method = method
        self.sessionHandle = sessionHandle
    }

    /// The `amr` values (RFC 8176): `signature` for an e-signature certificate login (Citizens records "signature";
    /// "cert" is taken as the same), `pwd` otherwise (a password login, or the session a password registration opened).
    public var amr: [String] {
        method == "signature" || method == "cert" ? ["signature"] : ["pwd"]
    }
}
