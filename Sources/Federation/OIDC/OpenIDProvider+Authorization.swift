import Citizens
import Foundation
import Storage

extension OpenIDProvider {
    /// Checks an authorization request's parameters (query or form, as sent, duplicates kept).
    /// - Throws: `.page` when the client or redirect URI is wrong (never redirect), `.redirect` for every other error.
    public func validateAuthorization(_ parameters: [(name: String, value: String)]) throws(AuthorizationFailure) -> AuthorizationRequest {
        try AuthorizationValidation.validate(parameters) { [portals] in try portals.portal(clientID: $0) }
    }

    /// What to do with `request` (made at `requestedAt`) for the browser's `login`.
    /// - Throws: `AuthorizationFailure.redirect` when `prompt=none` forbids the page needed, or the portal went away.
    public func nextStep(_ request: AuthorizationRequest, login: CitizenLogin?, requestedAt: Date) throws -> AuthorizationStep {
        guard let portal = try portals.portal(clientID: request.clientID), portal.enabled else {
            throw AuthorizationFailure.page(.unknownClient)
        }
        let consented = try login.map { login in
            try database.read { db in try ConsentStore.consented(citizenID: login.citizenID, clientID: request.clientID, db) }
        } ?? nil
        do {
            return try AuthorizationFlow.nextStep(request, login: login, consented: consented, minimumLevel: portal.settings.minimumLevel,
                                                  requestedAt: requestedAt, now: clock.now())
        } catch {
            throw AuthorizationFailure.redirect(error, redirectURI: request.redirectURI, state: request.state)
        }
    }

    /// Keeps `request` while the citizen logs in or consents; returns its id. `browser` is the value of the browser's
    /// binding cookie: only that browser can resume it.
    public func savePending(_ request: AuthorizationRequest, browser: String) throws -> String {
        try pending.create(request, browser: browser, now: clock.now())
    }

    /// The pending request `id` of the browser holding `browser`; nil when unknown, expired or another browser's.
    public func pendingAuthorization(id: String, browser: String) throws -> PendingAuthorization? {
        try pending.find(id: id, browser: browser, now: clock.now())
    }

    /// The portal's name for pages (consent, level too low); the client id when the portal is gone.
    public func portalName(_ clientID: String) -> String {
        (try? portals.portal(clientID: clientID))?.settings.name ?? clientID
    }

    /// Issues an authorization code for `request` to the citizen of `login` and returns the URL to send the browser to.
    ///
    /// One write: the consent (when `consentGiven`, merged with what was consented before), the grant, the code (only its
    /// keyed hash), the pending request's removal, and the audit records `oauth.consent.granted` and `oauth.authorized`.
    public func approve(_ request: AuthorizationRequest, login: CitizenLogin, consentGiven: Bool, pendingID: String?,
                        source: RequestSource?) throws -> String {
        let now = clock.now()
        let code = TokenHasher.secret()
        let codeHash = hasher.hash("code", code)
        let grant = Grant(grantID: TokenHasher.identifier(), citizenID: login.citizenID, publicID: login.publicID, clientID: request.clientID,
                          scopes: request.scopes, sessionHandle: login.sessionHandle, sid: hasher.sid(sessionHandle: login.sessionHandle),
                          authTime: login.authenticatedAt, acr: login.level, amr: login.amr, createdAt: now)
        let expiresAt = now.addingTimeInterval(settings.codeLifetime)
        let pending = self.pending
        let citizen = "citizen:\(login.citizenID)"
        try database.write { [self] db in
            if consentGiven {
                let added = try ConsentStore.record(citizenID: login.citizenID, clientID: request.clientID, scopes: request.scopes, now: now, db)
                if !added.isEmpty {
                    try record("oauth.consent.granted", actor: citizen, subject: citizen, source: source,
                               details: ["client": request.clientID, "scopes": ScopeList.format(added)], db)
                }
            }
            try GrantStore.insert(grant, db)
            if let esia = request.esia { try ESIAGrants.insert(grantID: grant.grantID, esia, db) }
            try GrantStore.insertCode(hash: codeHash, grantID: grant.grantID, redirectURI: request.redirectURI,
                                      challenge: request.codeChallenge, nonce: request.nonce, expiresAt: expiresAt, db)
            if let pendingID { try pending.delete(id: pendingID, db) }
            try record("oauth.authorized", actor: citizen, subject: citizen, source: source,
                       details: ["client": request.clientID, "scopes": ScopeList.format(request.scopes), "acr": login.level.rawValue,
                                 "grant": grant.grantID], db)
        }
        // ESIA's callback carries only code and state (ESIA-PROTOCOL §4.1).
        return RedirectURL.build(request.redirectURI, [("code", code), ("state", request.state),
                                                       ("iss", request.esia == nil ? settings.issuer : nil)])
    }

    /// Answers `request` with `error` (the citizen refused consent, or their level is too low): removes the pending
    /// request, records `oauth.denied`, and returns the URL that tells the portal.
    public func deny(_ request: AuthorizationRequest, error: OAuthError, login: CitizenLogin?, pendingID: String?,
                     source: RequestSource?) throws -> String {
        let pending = self.pending
        let actor = login.map { "citizen:\($0.citizenID)" } ?? "anonymous"
        try database.write { [self] db in
            if let pendingID { try pending.delete(id: pendingID, db) }
            try record("oauth.denied", actor: actor, subject: login.map { "citizen:\($0.citizenID)" }, source: source,
                       details: ["client": request.clientID, "error": error.code.rawValue], db)
        }
        if request.esia != nil {
            return ESIAProvider.errorRedirect(ESIAError(denial: error), redirectURI: request.redirectURI, state: request.state)
        }
        return errorRedirect(error, redirectURI: request.redirectURI, state: request.state)
    }

    /// The URL that sends an error to the portal (RFC 6749 §4.1.2.1, with `iss` per RFC 9207).
    public func errorRedirect(_ error: OAuthError, redirectURI: String, state: String?) -> String {
        RedirectURL.build(redirectURI, [("error", error.code.rawValue), ("error_description", error.detail), ("state", state),
                                        ("iss", settings.issuer)])
    }
}

extension OpenIDProvider {
    /// What to do when the citizen allowed the consent page of `pending`: the login and level are checked again
    /// (the session may have ended or changed meanwhile), consent counts as given.
    public func stepAfterConsent(_ pending: PendingAuthorization, login: CitizenLogin?) throws -> AuthorizationStep {
        guard let portal = try portals.portal(clientID: pending.request.clientID), portal.enabled else {
            throw AuthorizationFailure.page(.unknownClient)
        }
        var request = pending.request
        request.prompts.removeAll { $0 == .consent || $0 == .none }
        do {
            return try AuthorizationFlow.nextStep(request, login: login, consented: Set(request.scopes), minimumLevel: portal.settings.minimumLevel,
                                                  requestedAt: pending.createdAt, now: clock.now())
        } catch {
            throw AuthorizationFailure.redirect(error, redirectURI: request.redirectURI, state: request.state)
        }
    }
}
