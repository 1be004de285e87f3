import Citizens
import Crypto
import Foundation
import Support

/// How the citizen logged in, as ESIA names it in `amr` and `urn:esia:amd`.
public enum ESIAAuthenticationMethod: String, Sendable {
    /// Password.
    case password = "PWD"
    /// Qualified electronic signature.
    case signature = "DS"
}

/// Who a token is about: the facts the ESIA claims are made from.
public struct ESIATokenSubject: Sendable, Equatable {
    /// The citizen's oid: the numeric public id, the same number as OpenID Connect's `sub`.
    public var oid: Int64
    /// The SSO session the login belongs to (`urn:esia:sid`).
    public var sessionID: String
    /// The account level now.
    public var level: AccountLevel
    /// When the citizen authenticated.
    public var authenticatedAt: Date
    /// How.
    public var method: ESIAAuthenticationMethod

    /// A subject from its parts.
    public init(oid: Int64, sessionID: String, level: AccountLevel, authenticatedAt: Date, method: ESIAAuthenticationMethod) {
        self.oid = oid
        self.sessionID = sessionID
        self.level = level
        self.authenticatedAt = authenticatedAt
        self.method = method
    }
}

/// The ESIA dialect's JWTs (ESIA-PROTOCOL §6.2–6.4), shaped as ESIA's own so existing client libraries read them:
/// integer oids, `amr` as a string, `client_id` instead of `aud` in access tokens, scopes suffixed with `?oid=`.
///
/// Deliberate differences: `auth_time` is in seconds (ESIA's 2015 tokens had milliseconds there, against RFC 7519),
/// and the header carries a `kid`, so portals can pick the right certificate during a key rollover.
public enum ESIATokenClaims {
    /// Access tokens and ID tokens live an hour by default, as ESIA's do (`expires_in: 3600`).
    public static let lifetime: TimeInterval = 3_600

    /// The JWS header members besides `alg` and `kid`: `{"typ":"JWT","sbt":subtype,"ver":1}`.
    public static func header(subtype: String) -> [String: JSONValue] {
        ["typ": "JWT", "sbt": .string(subtype), "ver": 1]
    }

    /// The claims of an access token: `nbf`, `exp`, `iat`, `iss`, `client_id`, `urn:esia:sbj_id`, `urn:esia:sid`,
    /// `scope` (each granted scope but `openid` suffixed with `?oid=<oid>`), and `jti` when given.
    public static func access(issuer: String, clientID: String, subject: ESIATokenSubject, scopes: [String], issuedAt: Date,
                              lifetime: TimeInterval = lifetime, tokenID: String? = nil) -> [String: JSONValue] {
        let now = seconds(issuedAt)
        var claims: [String: JSONValue] = [
            "nbf": .integer(now), "exp": .integer(now + Int64(lifetime)), "iat": .integer(now), "iss": .string(issuer),
            "client_id": .string(clientID), "urn:esia:sbj_id": .integer(subject.oid), "urn:esia:sid": .string(subject.sessionID),
            "scope": .string(scopeClaim(scopes, oid: subject.oid)),
        ]
        if let tokenID { claims["jti"] = .string(tokenID) }
        return claims
    }

    /// The claims of an ID token: `iss`, `aud` (the client id), `sub` (the oid, an integer as ESIA sends it), `nbf`,
    /// `exp`, `iat`, `auth_time`, `amr` and `urn:esia:amd` (`PWD` or `DS`), `urn:esia:sid` and `urn:esia:sbj` with
    /// `typ` `P`, the oid, `nam` `OID.<oid>`, `lvl` (`PR` confirmed, `P` otherwise) and `is_tru: true` only when confirmed.
    public static func id(issuer: String, clientID: String, subject: ESIATokenSubject, issuedAt: Date,
                          lifetime: TimeInterval = lifetime) -> [String: JSONValue] {
        let now = seconds(issuedAt)
        var person: [String: JSONValue] = [
            "urn:esia:sbj:typ": "P", "urn:esia:sbj:oid": .integer(subject.oid), "urn:esia:sbj:nam": .string("OID.\(subject.oid)"),
            "urn:esia:sbj:lvl": subject.level == .confirmed ? "PR" : "P",
        ]
        if subject.level == .confirmed { person["urn:esia:sbj:is_tru"] = true }
        return [
            "iss": .string(issuer), "aud": .string(clientID), "sub": .integer(subject.oid),
            "nbf": .integer(now), "exp": .integer(now + Int64(lifetime)), "iat": .integer(now),
            "auth_time": .integer(seconds(subject.authenticatedAt)),
            "amr": .string(subject.method.rawValue), "urn:esia:amd": .string(subject.method.rawValue),
            "urn:esia:sid": .string(subject.sessionID), "urn:esia:sbj": .object(person),
        ]
    }

    /// `fullname?oid=1000323031 openid email?oid=1000323031`: the granted scopes in order, `openid` bare.
    public static func scopeClaim(_ scopes: [String], oid: Int64) -> String {
        scopes.map { $0 == "openid" ? $0 : "\($0)?oid=\(oid)" }.joined(separator: " ")
    }

    /// Signs `claims` with `signer` under ESIA's header for `subtype` (`access` or `id`).
    public static func sign(_ claims: [String: JSONValue], subtype: String, with signer: JWSSigner) throws(JWSError) -> String {
        try signer.sign(payload: JSONValue.object(claims).encoded(), extraHeader: header(subtype: subtype))
    }

    private static func seconds(_ date: Date) -> Int64 { Int64(date.timeIntervalSince1970.rounded(.down)) }
}
