import Citizens
import Crypto
import Foundation
import Support

/// Signs ID tokens and access tokens with the service's current key of the portal's algorithm. Signing reads no
/// database: the signers come from `SigningKeyStore`'s in-memory copy.
struct TokenIssuer: Sendable {
    let issuer: String
    let keys: SigningKeyStore
    let accessTokenLifetime: TimeInterval

    /// An access token issued now.
    struct AccessToken: Sendable {
        let token: String
        let jti: String
        let expiresIn: Int
        /// What verifying the token would give, so the verifier can remember it without checking the signature.
        let claims: VerifiedAccessToken
    }

    /// The signer for a portal's algorithm (OIDC portals sign with ES256 or RS256).
    func signer(_ algorithm: SigningAlgorithm, now: Date) throws -> JWSSigner {
        guard let jws = JWSAlgorithm(rawValue: algorithm.rawValue) else { throw OAuthError(.serverError, "No signing key for the client's algorithm.") }
        return try keys.currentSigner(algorithm: jws, at: now)
    }

    /// The ID token (OpenID Connect Core §2) for `grant`, with `nonce` when the authorization request had one.
    func idToken(_ grant: Grant, nonce: String?, algorithm: SigningAlgorithm, now: Date) throws -> String {
        let iat = OAuthTime.seconds(now)
        var claims: [String: JSONValue] = [
            "iss": .string(issuer), "sub": .string(grant.publicID), "aud": .string(grant.clientID),
            "iat": .integer(iat), "exp": .integer(iat + Int64(accessTokenLifetime)),
            "auth_time": .integer(OAuthTime.seconds(grant.authTime)), "acr": .string(grant.acr.rawValue),
            "amr": .array(grant.amr.map(JSONValue.string)), "sid": .string(grant.sid),
        ]
        if let nonce { claims["nonce"] = .string(nonce) }
        return try JWT.sign(claims: claims, with: try signer(algorithm, now: now))
    }

    /// An access token (RFC 9068): `typ` at+jwt; `jti` is `<grant id>.<random>` for a citizen's grant, so revoking the
    /// grant reaches every access token issued from it, and `<random>` for client credentials. The audience is this
    /// service (its userinfo and introspection endpoints are the resource servers).
    func accessToken(subject: String, clientID: String, scopes: [Scope], grant: Grant?, algorithm: SigningAlgorithm,
                     now: Date) throws -> AccessToken {
        let iat = OAuthTime.seconds(now)
        let jti = grant.map { $0.grantID + "." + TokenHasher.identifier() } ?? TokenHasher.identifier()
        var claims: [String: JSONValue] = [
            "iss": .string(issuer), "sub": .string(subject), "aud": .string(issuer), "client_id": .string(clientID),
            "iat": .integer(iat), "exp": .integer(iat + Int64(accessTokenLifetime)), "jti": .string(jti),
            "scope": .string(ScopeList.format(scopes)),
        ]
        if let grant {
            claims["auth_time"] = .integer(OAuthTime.seconds(grant.authTime))
            claims["acr"] = .string(grant.acr.rawValue)
        }
        let token = try JWT.sign(claims: claims, with: try signer(algorithm, now: now), extraHeader: ["typ": "at+jwt"])
        let verified = VerifiedAccessToken(subject: subject, clientID: clientID, scopes: scopes, jti: jti, grantID: grant?.grantID,
                                           issuedAt: Date(timeIntervalSince1970: TimeInterval(iat)),
                                           expiresAt: Date(timeIntervalSince1970: TimeInterval(iat + Int64(accessTokenLifetime))))
        return AccessToken(token: token, jti: jti, expiresIn: Int(accessTokenLifetime), claims: verified)
    }

    /// A logout token (OpenID Connect Back-Channel Logout 1.0 §2.4): header `typ` logout+jwt; `iss`, `aud`, `iat`, `exp`
    /// (`lifetime` seconds), `jti`, `sid`, `sub` when known, and the back-channel logout event. Never a `nonce` (§2.4
    /// forbids it, so a logout token cannot pass for an ID token).
    func logoutToken(clientID: String, subject: String?, sid: String, jti: String, algorithm: SigningAlgorithm, lifetime: TimeInterval,
                     now: Date) throws -> String {
        let iat = OAuthTime.seconds(now)
        var claims: [String: JSONValue] = [
            "iss": .string(issuer), "aud": .string(clientID), "iat": .integer(iat), "exp": .integer(iat + Int64(lifetime)),
            "jti": .string(jti), "sid": .string(sid),
            "events": .object(["http://schemas.openid.net/event/backchannel-logout": .object([:])]),
        ]
        if let subject { claims["sub"] = .string(subject) }
        return try JWT.sign(claims: claims, with: try signer(algorithm, now: now), extraHeader: ["typ": "logout+jwt"])
    }
}
