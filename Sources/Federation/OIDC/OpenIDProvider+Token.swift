import Citizens
import Foundation
import Storage

extension OpenIDProvider {
    /// The token endpoint: authenticates the client, then runs the grant.
    ///
    /// - authorization_code and refresh_token: one database write each (the code or old refresh token spent, the new
    ///   refresh token stored, the audit record), then the tokens are signed outside it;
    /// - client_credentials: no database access at all (the portal comes from the registry's memory, the signer from
    ///   the key store's), so it scales with signing speed.
    /// - Throws: `OAuthError` to answer as JSON (RFC 6749 §5.2).
    public func token(_ request: TokenRequest, source: RequestSource?) throws -> TokenResponse {
        let portal = try clients.authenticate(request.credentials)
        switch request.grantType {
        case "authorization_code": return try exchangeCode(request.fields, portal: portal, source: source)
        case "refresh_token": return try refresh(request.fields, portal: portal, source: source)
        case "client_credentials": return try clientCredentials(request.fields, portal: portal)
        default: throw OAuthError(.unsupportedGrantType, "The grant type is not supported.")
        }
    }

    // MARK: authorization_code

    private enum CodeOutcome: Sendable {
        case issued(Grant, nonce: String?, refreshToken: String?)
        case refused(String)
        case replayed
    }

    /// RFC 6749 §4.1.3: the code must have been issued to this client for this redirect URI; PKCE's verifier must match
    /// its challenge (RFC 7636 §4.6). §4.1.2: a code is single use, and if it is used twice, every token issued from
    /// it is revoked: the grant behind it is revoked, with its refresh tokens and (through the revocation list) its
    /// access tokens.
    private func exchangeCode(_ fields: [String: String], portal: Portal, source: RequestSource?) throws -> TokenResponse {
        guard let code = fields["code"] else { throw OAuthError.invalidRequest("code is missing.") }
        guard let redirectURI = fields["redirect_uri"] else { throw OAuthError.invalidRequest("redirect_uri is missing.") }
        let now = clock.now()
        let (grant, nonce, refreshToken) = try redeemCode(code, redirectURI: redirectURI, verifier: fields["code_verifier"], portal: portal,
                                                          issueRefreshToken: !portal.settings.isPublic, now: now, source: source)
        let access = try issuer.accessToken(subject: grant.publicID, clientID: portal.clientID, scopes: grant.scopes, grant: grant,
                                            algorithm: portal.settings.signingAlgorithm, now: now)
        verifier.remember(access.token, as: access.claims, now: now)
        let idToken = try issuer.idToken(grant, nonce: nonce, algorithm: portal.settings.signingAlgorithm, now: now)
        return TokenResponse(accessToken: access.token, expiresIn: access.expiresIn, scope: ScopeList.format(grant.scopes),
                             idToken: idToken, refreshToken: refreshToken)
    }

    /// The rules of the code exchange, shared by the OpenID Connect and ESIA token endpoints: spends `code` in one write
    /// and returns its grant, the nonce, and a new refresh token when `issueRefreshToken`. Throws `invalid_grant`.
    func redeemCode(_ code: String, redirectURI: String, verifier: String?, portal: Portal, issueRefreshToken: Bool, now: Date,
                    source: RequestSource?) throws -> (grant: Grant, nonce: String?, refreshToken: String?) {
        let codeHash = hasher.hash("code", code)
        let refreshToken = issueRefreshToken ? TokenHasher.secret() : nil
        let refreshHash = refreshToken.map { hasher.hash("refresh", $0) }
        let settings = self.settings
        let clientID = portal.clientID
        let outcome: CodeOutcome = try database.write { [self] db in
            guard code.utf8.count <= 128, let row = try GrantStore.code(hash: codeHash, db), row.grant.clientID == clientID else {
                return .refused("The code is unknown, expired or was issued to another client.")
            }
            if row.used {
                if try GrantStore.revoke(grantID: row.grant.grantID, now: now, accessTokenLifetime: settings.accessTokenLifetime, db) {
                    try record("oauth.code.replayed", actor: "portal:\(clientID)", subject: "citizen:\(row.grant.citizenID)", source: source,
                               details: ["client": clientID, "grant": row.grant.grantID], db)
                }
                return .replayed
            }
            guard now < row.expiresAt, !row.grantRevoked else { return .refused("The code is unknown, expired or was issued to another client.") }
            guard row.redirectURI == redirectURI else { return .refused("redirect_uri is not the one of the authorization request.") }
            if let challenge = row.challenge {
                guard let verifier, PKCE.verify(verifier, challenge: challenge) else { return .refused("The PKCE code_verifier does not match.") }
            } else if verifier != nil {
                // A verifier for a code issued without a challenge means the request and the exchange do not belong together.
                return .refused("code_verifier was sent but the authorization request had no code_challenge.")
            }
            try GrantStore.markCodeUsed(hash: codeHash, now: now, db)
            if let refreshHash {
                try GrantStore.insertRefresh(hash: refreshHash, grantID: row.grant.grantID, clientID: clientID, scopes: row.grant.scopes,
                                             now: now, expiresAt: now.addingTimeInterval(settings.refreshTokenLifetime), db)
            }
            try record("oauth.token.issued", actor: "portal:\(clientID)", subject: "citizen:\(row.grant.citizenID)", source: source,
                       details: ["client": clientID, "grant": row.grant.grantID, "flow": "authorization_code",
                                 "refresh": refreshHash == nil ? "no" : "yes"], db)
            return .issued(row.grant, nonce: row.nonce, refreshToken: refreshToken)
        }
        switch outcome {
        case .refused(let reason): throw OAuthError.invalidGrant(reason)
        case .replayed:
            try revocations.refresh()
            throw OAuthError.invalidGrant("The code was already used; the tokens issued from it are revoked.")
        case .issued(let grant, let nonce, let refreshToken):
            return (grant, nonce, refreshToken)
        }
    }

    // MARK: refresh_token

    private enum RefreshOutcome: Sendable {
        case issued(Grant, scopes: [Scope])
        case refused(OAuthError)
        case reused
    }

    /// RFC 6749 §6 and RFC 9700 §4.14.2: refresh tokens rotate on every use; presenting one already used revokes the
    /// whole family (the grant), since either the client or an attacker holds a stolen copy. A narrower `scope` narrows
    /// the access token; the new refresh token keeps the grant's scopes.
    private func refresh(_ fields: [String: String], portal: Portal, source: RequestSource?) throws -> TokenResponse {
        guard let presented = fields["refresh_token"] else { throw OAuthError.invalidRequest("refresh_token is missing.") }
        let requested = try fields["scope"].map { text throws(OAuthError) in try ScopeList.parse(text) }
        let now = clock.now()
        let (grant, scopes, next) = try rotateRefreshToken(presented, requested: requested, portal: portal, now: now, source: source)
        let access = try issuer.accessToken(subject: grant.publicID, clientID: portal.clientID, scopes: scopes, grant: grant,
                                            algorithm: portal.settings.signingAlgorithm, now: now)
        verifier.remember(access.token, as: access.claims, now: now)
        let idToken = scopes.contains(.openid)
            ? try issuer.idToken(grant, nonce: nil, algorithm: portal.settings.signingAlgorithm, now: now) : nil
        return TokenResponse(accessToken: access.token, expiresIn: access.expiresIn, scope: ScopeList.format(scopes),
                             idToken: idToken, refreshToken: next)
    }

    /// The rules of the refresh grant, shared by the OpenID Connect and ESIA token endpoints: spends `presented` and
    /// stores its successor in one write; returns the grant, the scopes of the new access token (`requested` or the
    /// grant's), and the new refresh token. Throws `invalid_grant` or `invalid_scope`.
    func rotateRefreshToken(_ presented: String, requested: [Scope]?, portal: Portal, now: Date,
                            source: RequestSource?) throws -> (grant: Grant, scopes: [Scope], next: String) {
        let oldHash = hasher.hash("refresh", presented)
        let next = TokenHasher.secret()
        let nextHash = hasher.hash("refresh", next)
        let settings = self.settings
        let clientID = portal.clientID
        let outcome: RefreshOutcome = try database.write { [self] db in
            let unknown = RefreshOutcome.refused(.invalidGrant("The refresh token is unknown, expired or revoked."))
            guard presented.utf8.count <= 128, let row = try GrantStore.refresh(hash: oldHash, db), row.clientID == clientID else { return unknown }
            if row.used && !row.revoked && !row.grantRevoked {
                _ = try GrantStore.revoke(grantID: row.grant.grantID, now: now, accessTokenLifetime: settings.accessTokenLifetime, db)
                try record("oauth.refresh.reused", actor: "portal:\(clientID)", subject: "citizen:\(row.grant.citizenID)", source: source,
                           details: ["client": clientID, "grant": row.grant.grantID], db)
                return .reused
            }
            guard !row.used, !row.revoked, !row.grantRevoked, now < row.expiresAt else { return unknown }
            let scopes = requested ?? row.scopes
            guard scopes.allSatisfy(row.scopes.contains) else {
                return .refused(.invalidScope("The scope asked for is wider than the one granted."))
            }
            try GrantStore.markRefreshUsed(hash: oldHash, now: now, db)
            try GrantStore.insertRefresh(hash: nextHash, grantID: row.grant.grantID, clientID: clientID, scopes: row.scopes, now: now,
                                         expiresAt: now.addingTimeInterval(settings.refreshTokenLifetime), db)
            try record("oauth.token.refreshed", actor: "portal:\(clientID)", subject: "citizen:\(row.grant.citizenID)", source: source,
                       details: ["client": clientID, "grant": row.grant.grantID], db)
            return .issued(row.grant, scopes: scopes)
        }
        switch outcome {
        case .refused(let error): throw error
        case .reused:
            try revocations.refresh()
            throw OAuthError.invalidGrant("The refresh token was already used; every token of its grant is revoked.")
        case .issued(let grant, let scopes):
            return (grant, scopes, next)
        }
    }

    // MARK: client_credentials

    /// RFC 6749 §4.4: a confidential portal's own token, for calls between services. The scopes must be among the
    /// portal's allowed ones, `openid` excepted (there is no citizen). Nothing is written: not even an audit record per
    /// token, which at the rates portals use this grant would make the audit log mostly noise.
    private func clientCredentials(_ fields: [String: String], portal: Portal) throws -> TokenResponse {
        guard !portal.settings.isPublic else {
            throw OAuthError(.unauthorizedClient, "A public client cannot use the client_credentials grant.")
        }
        let scopes = try fields["scope"].map { text throws(OAuthError) in try ScopeList.parse(text) } ?? []
        guard !scopes.contains(.openid), scopes.allSatisfy(portal.settings.allowedScopes.contains) else {
            throw OAuthError.invalidScope("A scope is not allowed for this client or needs a citizen.")
        }
        let access = try issuer.accessToken(subject: portal.clientID, clientID: portal.clientID, scopes: scopes, grant: nil,
                                            algorithm: portal.settings.signingAlgorithm, now: clock.now())
        return TokenResponse(accessToken: access.token, expiresIn: access.expiresIn, scope: ScopeList.format(scopes))
    }
}
