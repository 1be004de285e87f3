import Crypto
import Foundation
import Support

/// An access token that verified: signed by one of the service's keys, `typ` at+jwt, this issuer, not expired.
public struct VerifiedAccessToken: Sendable, Equatable {
    /// `sub`: the citizen's public id, or the client id for client credentials.
    public let subject: String
    /// `client_id`.
    public let clientID: String
    /// `scope`.
    public let scopes: [Scope]
    /// `jti`.
    public let jti: String
    /// The grant the token was issued from; nil for client credentials.
    public let grantID: String?
    /// `iat`.
    public let issuedAt: Date
    /// `exp`.
    public let expiresAt: Date
}

/// Checks access tokens, remembering the ones that verified (by SHA-256 of the token, until they expire) so a token
/// presented again costs a hash and a dictionary lookup instead of a signature check; revocation is checked every time.
final class AccessTokenVerifier: Sendable {
    /// Tokens remembered at most; past this the cache is emptied of expired entries, then of all.
    static let cacheLimit = 100_000

    private let issuer: String
    private let keys: SigningKeyStore
    private let revocations: RevocationList
    private let cache = Locked<[[UInt8]: VerifiedAccessToken]>([:])

    init(issuer: String, keys: SigningKeyStore, revocations: RevocationList) {
        self.issuer = issuer
        self.keys = keys
        self.revocations = revocations
    }

    /// The token's claims when it is valid and not revoked at `now`; nil otherwise (the caller answers `invalid_token`
    /// or `active: false` without saying why).
    func verify(_ token: String, now: Date) throws -> VerifiedAccessToken? {
        guard token.utf8.count <= 8_192 else { return nil }
        let digest = Digest.sha256(token)
        let cached = cache.withLock { $0[digest] }
        let verified: VerifiedAccessToken
        if let cached {
            verified = cached
        } else {
            guard let checked = check(token, now: now) else { return nil }
            verified = checked
            insert(digest, checked, now: now)
        }
        guard now < verified.expiresAt else { return nil }
        var keys = [RevocationList.tokenKey(verified.jti)]
        if let grantID = verified.grantID { keys.append(RevocationList.grantKey(grantID)) }
        return try revocations.contains(anyOf: keys, now: now) ? nil : verified
    }

    /// Remembers a token this process has just signed, so the portal's first userinfo call with it costs no signature
    /// check. Only citizens' tokens come here: client credentials tokens are issued far more often than they are
    /// presented, and would push the others out.
    func remember(_ token: String, as claims: VerifiedAccessToken, now: Date) {
        let digest = Digest.sha256(token)
        insert(digest, claims, now: now)
    }

    private func insert(_ digest: [UInt8], _ claims: VerifiedAccessToken, now: Date) {
        cache.withLock { cache in
            if cache.count >= Self.cacheLimit {
                cache = cache.filter { $0.value.expiresAt > now }
                if cache.count >= Self.cacheLimit { cache.removeAll() }
            }
            cache[digest] = claims
        }
    }

    private func check(_ token: String, now: Date) -> VerifiedAccessToken? {
        guard let jws = try? JWS.parse(token), jws.type == "at+jwt", let keyID = jws.keyID,
              let verifier = try? keys.verifier(keyID: keyID, at: now), (try? verifier.verify(jws)) != nil,
              let claims = try? JWT.claims(of: jws), (try? claims.validate(JWTValidationRules(issuer: issuer, audience: issuer, leeway: 0), now: now)) != nil,
              let subject = try? claims.subject(), let clientID = try? claims.string("client_id"), let jti = try? claims.string("jti"),
              let scope = try? claims.string("scope"), let scopes = try? ScopeList.parse(scope),
              let issuedAt = try? claims.issuedAt(), let expiresAt = try? claims.expiresAt() else { return nil }
        let parts = jti.split(separator: ".", omittingEmptySubsequences: false)
        let grantID = parts.count == 2 ? String(parts[0]) : nil
        return VerifiedAccessToken(subject: subject, clientID: clientID, scopes: scopes, jti: jti, grantID: grantID,
                                   issuedAt: issuedAt, expiresAt: expiresAt)
    }
}
