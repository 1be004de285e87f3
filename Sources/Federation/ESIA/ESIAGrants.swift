import Foundation
import Storage

/// The two generations of the ESIA protocol (ESIA-PROTOCOL §2).
public enum ESIAFlow: String, Sendable, Codable, CaseIterable {
    /// `/aas/oauth2/ac` + `/aas/oauth2/te`: `client_secret` is a detached CMS signature.
    case legacy
    /// `/aas/oauth2/v2/ac` + `/aas/oauth2/v3/te`: a raw GOST signature plus `client_certificate_hash`.
    case current
}

/// `access_type`: whether the portal gets a refresh token.
public enum ESIAAccessType: String, Sendable, Codable, CaseIterable {
    /// Access only while the citizen is present: no refresh token (the default when absent).
    case online
    /// A refresh token with the access token.
    case offline
}

/// What an ESIA authorization request adds to the shared `AuthorizationRequest`; kept with the grant it becomes.
public struct ESIAAuthorization: Sendable, Equatable, Codable {
    /// Which endpoint took the request.
    public var flow: ESIAFlow
    /// Whether a refresh token is issued.
    public var accessType: ESIAAccessType
    /// The request's `state`, normalised (lower-case UUID): the token request for this code may carry it again.
    public var state: String

    /// Makes a value.
    public init(flow: ESIAFlow, accessType: ESIAAccessType, state: String) {
        self.flow = flow
        self.accessType = accessType
        self.state = state
    }
}

/// The ESIA facts of grants made through the ESIA endpoints (`esia_grants`), one row per grant, written in the same
/// transaction as the grant itself (`OpenIDProvider.approve`) and deleted with it.
enum ESIAGrants {
    static func insert(grantID: String, _ esia: ESIAAuthorization, _ db: any SQLExecutor) throws {
        try db.execute("INSERT INTO esia_grants (grant_id, flow, access_type, authorization_state) VALUES (?, ?, ?, ?)",
                       [.text(grantID), .text(esia.flow.rawValue), .text(esia.accessType.rawValue), .text(esia.state)])
    }

    /// The ESIA facts of the grant behind the code with keyed hash `codeHash`; nil when the code or the row is unknown.
    static func forCode(hash codeHash: [UInt8], _ db: any SQLExecutor) throws -> ESIAAuthorization? {
        try db.queryOne("""
            SELECT e.flow, e.access_type, e.authorization_state FROM oauth_codes c JOIN esia_grants e ON e.grant_id = c.grant_id
            WHERE c.code_hash = ?
            """, [.blob(codeHash)]).flatMap { row in
            guard let flow = ESIAFlow(rawValue: try row.string("flow")),
                  let accessType = ESIAAccessType(rawValue: try row.string("access_type")) else { return nil }
            return ESIAAuthorization(flow: flow, accessType: accessType, state: try row.string("authorization_state"))
        }
    }
}
