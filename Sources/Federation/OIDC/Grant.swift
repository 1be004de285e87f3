import Citizens
import Foundation

/// One authorization a citizen gave a portal: made with its code, shared by every token issued from it.
public struct Grant: Sendable, Equatable {
    /// Random; access tokens carry it as the first part of their `jti`, so revoking the grant reaches them.
    public var grantID: String
    /// The citizen's internal id.
    public var citizenID: Int64
    /// The `sub` claim.
    public var publicID: String
    /// The portal.
    public var clientID: String
    /// The consented scopes the tokens carry.
    public var scopes: [Scope]
    /// The login session that made it.
    public var sessionHandle: String
    /// The `sid` claim.
    public var sid: String
    /// `auth_time`: when the citizen logged in.
    public var authTime: Date
    /// The account level at authorization: the `acr` claim.
    public var acr: AccountLevel
    /// The `amr` claim.
    public var amr: [String]
    /// When it was made.
    public var createdAt: Date
}
