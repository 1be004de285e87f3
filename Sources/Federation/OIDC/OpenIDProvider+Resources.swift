import Citizens
import Foundation
import Storage
import Support

extension OpenIDProvider {
    /// The userinfo endpoint (OpenID Connect Core §5.3): the claims of the scopes in the access token, which are the
    /// consented ones. - Throws: `invalid_token` for a token that is not a live citizen token with `openid`.
    public func userinfo(accessToken: String) throws -> [String: JSONValue] {
        guard let token = try verifier.verify(accessToken, now: clock.now()), token.grantID != nil, token.scopes.contains(.openid) else {
            throw OAuthError.invalidToken("The access token is invalid, expired or revoked.")
        }
        guard let person = try personData(token.subject) else { throw OAuthError.invalidToken("The access token is invalid, expired or revoked.") }
        return ClaimsBuilder.claims(for: person, scopes: token.scopes)
    }

    /// A portal's call to one of this service's own APIs (signature verification, portal administration) with a client
    /// credentials access token: returns the calling portal's client id. - Throws: `invalid_token` (401) unless the
    /// token is live, was issued through client credentials (no citizen) and its portal is still enabled;
    /// `insufficient_scope` (403) when it lacks `scope` (RFC 6750 §3.1).
    public func authorizeServiceCall(accessToken: String, scope: Scope) throws -> String {
        let refused = OAuthError.invalidToken("The access token is invalid, expired or revoked.")
        guard let token = try verifier.verify(accessToken, now: clock.now()), token.grantID == nil, token.subject == token.clientID,
              let portal = try? portals.portal(clientID: token.clientID), portal.enabled else { throw refused }
        guard token.scopes.contains(scope) else {
            throw OAuthError(.insufficientScope, "The access token does not carry the scope this API needs.")
        }
        return token.clientID
    }

    /// Token introspection (RFC 7662) for an authenticated portal. `active` is true only for a live token issued to
    /// the asking portal itself: anything revoked, expired, unknown or another portal's is `{"active": false}`.
    public func introspect(_ form: [(name: String, value: String)], authorization: String?) throws -> JSONValue {
        let fields = try TokenRequest.singleValued(form)
        let portal = try clients.authenticate(ClientCredentials(authorization: authorization, form: fields))
        guard let token = fields["token"] else { throw OAuthError.invalidRequest("token is missing.") }
        let inactive: JSONValue = ["active": false]
        let now = clock.now()
        if token.utf8.contains(UInt8(ascii: ".")), let access = try verifier.verify(token, now: now) {
            guard access.clientID == portal.clientID else { return inactive }
            return ["active": true, "token_type": "Bearer", "scope": .string(ScopeList.format(access.scopes)),
                    "client_id": .string(access.clientID), "sub": .string(access.subject), "iss": .string(settings.issuer),
                    "aud": .string(settings.issuer), "exp": .integer(OAuthTime.seconds(access.expiresAt)),
                    "iat": .integer(OAuthTime.seconds(access.issuedAt)), "jti": .string(access.jti)]
        }
        guard !token.utf8.contains(UInt8(ascii: ".")), token.utf8.count <= 128 else { return inactive }
        let hash = hasher.hash("refresh", token)
        guard let row = try database.read({ db in try GrantStore.refresh(hash: hash, db) }), row.clientID == portal.clientID,
              !row.used, !row.revoked, !row.grantRevoked, now < row.expiresAt else { return inactive }
        return ["active": true, "token_type": "refresh_token", "scope": .string(ScopeList.format(row.scopes)),
                "client_id": .string(row.clientID), "sub": .string(row.grant.publicID), "iss": .string(settings.issuer),
                "exp": .integer(OAuthTime.seconds(row.expiresAt))]
    }

    /// Token revocation (RFC 7009) for an authenticated portal. An access token goes on the revocation list; a refresh
    /// token revokes its whole grant, access tokens included (§2.1). Tokens that are unknown, already dead or another
    /// portal's change nothing, and the answer is the same (§2.2), so a portal learns nothing about others' tokens.
    public func revoke(_ form: [(name: String, value: String)], authorization: String?, source: RequestSource?) throws {
        let fields = try TokenRequest.singleValued(form)
        let portal = try clients.authenticate(ClientCredentials(authorization: authorization, form: fields))
        guard let token = fields["token"] else { throw OAuthError.invalidRequest("token is missing.") }
        let now = clock.now()
        let clientID = portal.clientID
        if token.contains(".") {
            guard let access = try verifier.verify(token, now: now), access.clientID == clientID else { return }
            try database.write { [self] db in
                try RevocationList.insert(RevocationList.tokenKey(access.jti), expiresAt: access.expiresAt.addingTimeInterval(settings.leeway), db)
                try record("oauth.token.revoked", actor: "portal:\(clientID)", subject: "portal:\(clientID)",
                           source: source, details: ["client": clientID, "kind": "access", "jti": access.jti], db)
            }
        } else {
            guard token.utf8.count <= 128 else { return }
            let hash = hasher.hash("refresh", token)
            let lifetime = settings.accessTokenLifetime
            let revoked = try database.write { [self] db -> Bool in
                guard let row = try GrantStore.refresh(hash: hash, db), row.clientID == clientID,
                      try GrantStore.revoke(grantID: row.grant.grantID, now: now, accessTokenLifetime: lifetime, db) else { return false }
                try record("oauth.token.revoked", actor: "portal:\(clientID)", subject: "citizen:\(row.grant.citizenID)", source: source,
                           details: ["client": clientID, "kind": "refresh", "grant": row.grant.grantID], db)
                return true
            }
            guard revoked else { return }
        }
        try revocations.refresh()
    }
}
