import Citizens
import Crypto
import Foundation
import Storage
import Support

/// Why an ESIA authorization request failed: a page for the citizen, or an error for the portal at its redirect URI.
public enum ESIAAuthorizationFailure: Error, Sendable, Equatable {
    /// Shown to the citizen; the browser is not sent anywhere (unknown client, unregistered redirect URI).
    case page(ESIAError)
    /// Sent to the registered redirect URI as `?error=…&error_description=ESIA-0070xx: …&state=…`.
    case redirect(ESIAError, redirectURI: String, state: String?)
}

/// A refused ESIA token request: answered as JSON `{error, error_description, state}` with `Cache-Control: no-store`.
public struct ESIATokenFailure: Error, Sendable, Equatable {
    /// What was wrong.
    public let error: ESIAError
    /// The request's `state`, echoed when it had one.
    public let state: String?

    /// A failure with `error`, echoing `state`.
    public init(error: ESIAError, state: String?) {
        self.error = error
        self.state = state
    }

    /// The JSON body.
    public var json: JSONValue {
        var body: [String: JSONValue] = ["error": .string(error.oauthError), "error_description": .string(error.errorDescription)]
        if let state { body["state"] = .string(state) }
        return .object(body)
    }
}

/// The ESIA-compatible dialect (docs/esia.md) on the OpenID provider's data: the same pending requests, consents,
/// grants, codes (single use, a replay revokes the grant), refresh-token families, revocation list and SSO sessions,
/// with ESIA's request signatures, parameters, tokens, errors and person resources.
///
/// Methods block on the database and on OpenSSL: call them from worker threads.
public final class ESIAProvider: Sendable {
    /// The dialect's tables (versions 470–489).
    public static let migrations: [Migration] = ESIAMigrations.all

    /// The settings in force.
    public let settings: ESIASettings
    /// The signing certificates published for client libraries.
    public let certificates: ESIASigningCertificates
    let provider: OpenIDProvider
    let authenticator: ESIAClientAuthenticator
    let ledger: ESIAStateLedger
    let personData: @Sendable (String) throws -> CitizenPersonData?

    /// The dialect over `provider`'s data.
    /// - Parameters:
    ///   - trust: checks portal certificates that are not pinned (the head CA trust store); nil refuses them.
    ///   - personData: the citizen with a public id (`CitizenService.personData(publicID:)`), for the person resources.
    public init(settings: ESIASettings, provider: OpenIDProvider, trust: (any PortalCertificateTrust)?,
                personData: @escaping @Sendable (String) throws -> CitizenPersonData?) {
        self.settings = settings
        self.provider = provider
        authenticator = ESIAClientAuthenticator(trust: trust)
        ledger = ESIAStateLedger(retention: settings.stateRetention)
        certificates = ESIASigningCertificates(database: provider.database, keys: provider.keys)
        self.personData = personData
    }

    /// The OpenID provider underneath: pending requests, `nextStep`, `approve`, `deny` and logout are shared.
    public var openID: OpenIDProvider { provider }

    // MARK: - Authorization

    /// Checks an authorization request of `/aas/oauth2/ac` (`.legacy`) or `/aas/oauth2/v2/ac` (`.current`) and records its
    /// `state` as used. The order: client and redirect URI (pages), then parameters, timestamp, signature, state (redirects).
    public func validateAuthorization(_ parameters: [(name: String, value: String)], flow: ESIAFlow) throws(ESIAAuthorizationFailure)
        -> AuthorizationRequest {
        let values = Dictionary(parameters.filter { !$0.value.isEmpty }.map { ($0.name, [$0.value]) }, uniquingKeysWith: +)
        func one(_ name: String) -> String? { values[name]?.first }
        guard (values["client_id"]?.count ?? 0) <= 1, (values["redirect_uri"]?.count ?? 0) <= 1 else {
            throw .page(ESIAError(.invalidParameter, "client_id or redirect_uri is given more than once"))
        }
        guard let clientID = one("client_id") else { throw .page(ESIAError(.missingParameter, "client_id is required")) }
        let portal = try? provider.portals.portal(clientID: clientID)
        do { _ = try ESIAClientAuthenticator.certificate(of: portal) } catch { throw .page(error) }
        guard let portal else { throw .page(ESIAError(.unknownClient, "no active information system has this client_id")) }
        guard let redirectURI = one("redirect_uri") else { throw .page(ESIAError(.missingParameter, "redirect_uri is required")) }
        guard portal.settings.redirectURIs.contains(redirectURI) else {
            throw .page(ESIAError(.redirectURINotAllowed, "redirect_uri is not registered for this information system"))
        }
        let rawState = one("state")
        do {
            if let repeated = values.first(where: { $0.value.count > 1 }) {
                throw ESIAError(.invalidParameter, "\(repeated.key) is given more than once")
            }
            guard let responseType = one("response_type") else { throw ESIAError(.missingParameter, "response_type is required") }
            guard responseType == "code" else { throw ESIAError(.unsupportedResponseType, "only response_type=code is supported") }
            let scopeText = one("scope") ?? ""
            let scopes = try Self.scopes(scopeText, portal: portal)
            let state = try ESIAStateLedger.normalise(rawState)
            let timestamp = try checkTimestamp(one("timestamp"))
            let accessType = try Self.accessType(one("access_type"))
            switch flow {
            case .legacy:
                try authenticator.verifyCMS(clientSecret: one("client_secret"),
                                            message: ESIASignedMessage.legacy(scope: scopeText, timestamp: timestamp.text, clientID: clientID,
                                                                              state: rawState ?? ""),
                                            portal: portal, at: provider.clock.now())
            case .current:
                let message = ESIASignedMessage.currentAuthorization(clientID: clientID, scope: scopeText, scopeOrg: one("scope_org") ?? "",
                                                                     timestamp: timestamp.text, state: rawState ?? "", redirectURI: redirectURI)
                try authenticator.verifyRawGOST(clientSecret: one("client_secret"), certificateHash: one("client_certificate_hash"),
                                                message: message, portal: portal, at: provider.clock.now())
            }
            try useState(state, kind: .authorization, clientID: clientID, own: nil)
            return AuthorizationRequest(clientID: clientID, redirectURI: redirectURI, scopes: scopes, state: rawState,
                                        esia: ESIAAuthorization(flow: flow, accessType: accessType, state: state))
        } catch let error as ESIAError {
            throw .redirect(error, redirectURI: redirectURI, state: rawState)
        } catch {
            throw .redirect(ESIAError(.internalError, "the request could not be checked"), redirectURI: redirectURI, state: rawState)
        }
    }

    /// The URL that sends an ESIA error to the portal: `error`, `error_description` (`ESIA-0070xx: …`) and `state`.
    public static func errorRedirect(_ error: ESIAError, redirectURI: String, state: String?) -> String {
        RedirectURL.build(redirectURI, [("error", error.oauthError), ("error_description", error.errorDescription), ("state", state)])
    }

    /// The scopes of an ESIA `scope` parameter: ESIA-007013 when empty, 007006 for a name OpenESIA does not know or
    /// without `openid`, 007019 for one the portal is not allowed.
    static func scopes(_ text: String, portal: Portal) throws(ESIAError) -> [Scope] {
        let words = text.split(separator: " ").map(String.init)
        guard !words.isEmpty else { throw ESIAError(.noScope, "scope is required") }
        var scopes: [Scope] = []
        for word in words {
            guard let scope = Scope(rawValue: word), !scope.isServiceScope else {
                throw ESIAError(.invalidScope, "unknown scope \(word.prefix(64))")
            }
            guard portal.settings.allowedScopes.contains(scope) else {
                throw ESIAError(.scopeNotAllowed, "the information system is not allowed the scope \(word)")
            }
            if !scopes.contains(scope) { scopes.append(scope) }
        }
        guard scopes.contains(.openid) else { throw ESIAError(.invalidScope, "scope must include openid") }
        return Scope.allCases.filter(scopes.contains)
    }

    static func accessType(_ text: String?) throws(ESIAError) -> ESIAAccessType {
        guard let text else { return .online }
        guard let type = ESIAAccessType(rawValue: text) else { throw ESIAError(.invalidParameter, "access_type must be online or offline") }
        return type
    }

    private func checkTimestamp(_ text: String?) throws(ESIAError) -> ESIATimestamp {
        guard let text else { throw ESIAError(.missingParameter, "timestamp is required") }
        let timestamp = try ESIATimestamp(parsing: text)
        try timestamp.check(now: provider.clock.now(), window: settings.timestampWindow)
        return timestamp
    }

    private func useState(_ state: String, kind: ESIARequestKind, clientID: String, own: String?) throws {
        let now = provider.clock.now()
        try provider.database.write { [ledger] db in
            try ledger.use(state, kind: kind, clientID: clientID, ownAuthorizationState: own, now: now, using: db)
        }
    }

    // MARK: - Token

    /// The token endpoint of `/aas/oauth2/te` (`.legacy`: authorization_code, refresh_token) and `/aas/oauth2/v3/te`
    /// (`.current`: also client_credentials). Returns ESIA's token JSON (ESIA-PROTOCOL §6.1).
    public func token(_ form: [(name: String, value: String)], flow: ESIAFlow, source: RequestSource?) throws(ESIATokenFailure) -> JSONValue {
        var fields: [String: String] = [:]
        var repeated: String?
        for (name, value) in form where !value.isEmpty {
            if fields[name] != nil { repeated = repeated ?? name }
            fields[name] = value
        }
        let rawState = fields["state"]
        do {
            if let repeated { throw ESIAError(.invalidParameter, "\(repeated) is given more than once") }
            return try token(fields, flow: flow, source: source)
        } catch let error as ESIAError {
            throw ESIATokenFailure(error: error, state: rawState)
        } catch let error as OAuthError {
            throw ESIATokenFailure(error: ESIAError(grantFailure: error), state: rawState)
        } catch {
            throw ESIATokenFailure(error: ESIAError(.internalError, "the request could not be completed"), state: rawState)
        }
    }

    private func token(_ fields: [String: String], flow: ESIAFlow, source: RequestSource?) throws -> JSONValue {
        guard let clientID = fields["client_id"] else { throw ESIAError(.missingParameter, "client_id is required") }
        let portal = try provider.portals.portal(clientID: clientID)
        _ = try ESIAClientAuthenticator.certificate(of: portal)
        guard let portal else { throw ESIAError(.unknownClient, "no active information system has this client_id") }
        guard let grantType = fields["grant_type"] else { throw ESIAError(.missingParameter, "grant_type is required") }
        let grants = flow == .legacy ? ["authorization_code", "refresh_token"] : ["authorization_code", "refresh_token", "client_credentials"]
        guard grants.contains(grantType) else { throw ESIAError(.unsupportedGrant, "grant_type \(grantType.prefix(40)) is not supported here") }
        if let tokenType = fields["token_type"], tokenType.lowercased() != "bearer" {
            throw ESIAError(.invalidParameter, "only token_type=Bearer is supported")
        }
        let rawState = fields["state"]
        let state = try ESIAStateLedger.normalise(rawState)
        let timestamp = try checkTimestamp(fields["timestamp"])
        guard let scope = fields["scope"] else { throw ESIAError(.missingParameter, "scope is required") }
        let redirectURI = fields["redirect_uri"]
        let now = provider.clock.now()

        // The signature first, so an unauthenticated request can neither spend a state nor touch a code.
        switch flow {
        case .legacy:
            let message = ESIASignedMessage.legacy(scope: scope, timestamp: timestamp.text, clientID: clientID, state: rawState ?? "")
            try authenticator.verifyCMS(clientSecret: fields["client_secret"], message: message, portal: portal, at: now)
        case .current:
            let scopeOrg = fields["scope_org"] ?? ""
            let message: [UInt8] = switch grantType {
            case "authorization_code":
                ESIASignedMessage.currentCodeExchange(clientID: clientID, scope: scope, scopeOrg: scopeOrg, timestamp: timestamp.text,
                                                      state: rawState ?? "", redirectURI: redirectURI ?? "", code: fields["code"] ?? "")
            case "refresh_token":
                ESIASignedMessage.currentRefresh(clientID: clientID, scope: scope, scopeOrg: scopeOrg, timestamp: timestamp.text,
                                                 state: rawState ?? "", redirectURI: redirectURI ?? "")
            default:
                ESIASignedMessage.currentClientCredentials(clientID: clientID, scope: scope, timestamp: timestamp.text, state: rawState ?? "",
                                                           redirectURI: redirectURI ?? "")
            }
            try authenticator.verifyRawGOST(clientSecret: fields["client_secret"], certificateHash: fields["client_certificate_hash"],
                                            message: message, portal: portal, at: now)
        }

        let lifetime = provider.settings.accessTokenLifetime
        var response: [String: JSONValue] = ["token_type": "Bearer", "expires_in": .integer(Int64(lifetime))]
        if let rawState { response["state"] = .string(rawState) }
        let signer = try self.signer(for: portal, at: now)
        switch grantType {
        case "authorization_code":
            guard let code = fields["code"] else { throw ESIAError(.missingParameter, "code is required") }
            guard let redirectURI else { throw ESIAError(.missingParameter, "redirect_uri is required") }
            let codeHash = provider.hasher.hash("code", code)
            let esia = code.utf8.count <= 128 ? try provider.database.read { db in try ESIAGrants.forCode(hash: codeHash, db) } : nil
            try useState(state, kind: .token, clientID: clientID, own: esia?.state)
            let redeemed = try provider.redeemCode(code, redirectURI: redirectURI, verifier: nil, portal: portal,
                                                   issueRefreshToken: esia?.accessType == .offline, now: now, source: source)
            try addTokens(for: redeemed.grant, scopes: redeemed.grant.scopes, clientID: clientID, signer: signer, now: now, to: &response)
            if let refreshToken = redeemed.refreshToken { response["refresh_token"] = .string(refreshToken) }
        case "refresh_token":
            guard let presented = fields["refresh_token"] else { throw ESIAError(.missingParameter, "refresh_token is required") }
            try useState(state, kind: .token, clientID: clientID, own: nil)
            let rotated = try provider.rotateRefreshToken(presented, requested: nil, portal: portal, now: now, source: source)
            try addTokens(for: rotated.grant, scopes: rotated.scopes, clientID: clientID, signer: signer, now: now, to: &response)
            response["refresh_token"] = .string(rotated.next)
        default:
            let scopes = try clientCredentialScopes(scope, portal: portal)
            try useState(state, kind: .token, clientID: clientID, own: nil)
            let iat = Int64(now.timeIntervalSince1970.rounded(.down))
            let claims: [String: JSONValue] = [
                "nbf": .integer(iat), "exp": .integer(iat + Int64(lifetime)), "iat": .integer(iat),
                "iss": .string(settings.issuer), "client_id": .string(clientID), "scope": .string(scopes.joined(separator: " ")),
                "jti": .string(TokenHasher.identifier()),
            ]
            response["access_token"] = .string(try ESIATokenClaims.sign(claims, subtype: "access", with: signer))
        }
        return .object(response)
    }

    /// The access token and ID token of a citizen's grant, in ESIA's form; the access token's `jti` starts with the grant
    /// id, so revoking the grant (code replay, refresh reuse, consent withdrawn) reaches it as it reaches OIDC tokens.
    private func addTokens(for grant: Grant, scopes: [Scope], clientID: String, signer: JWSSigner, now: Date,
                           to response: inout [String: JSONValue]) throws {
        guard let oid = Int64(grant.publicID) else { throw ESIAError(.internalError, "the account has no numeric oid") }
        let subject = ESIATokenSubject(oid: oid, sessionID: grant.sid, level: grant.acr, authenticatedAt: grant.authTime,
                                       method: grant.amr.contains("pwd") ? .password : .signature)
        let access = ESIATokenClaims.access(issuer: settings.issuer, clientID: clientID, subject: subject, scopes: scopes.map(\.rawValue),
                                            issuedAt: now, lifetime: provider.settings.accessTokenLifetime,
                                            tokenID: grant.grantID + "." + TokenHasher.identifier())
        response["access_token"] = .string(try ESIATokenClaims.sign(access, subtype: "access", with: signer))
        if scopes.contains(.openid) {
            let id = ESIATokenClaims.id(issuer: settings.issuer, clientID: clientID, subject: subject, issuedAt: now,
                                        lifetime: provider.settings.accessTokenLifetime)
            response["id_token"] = .string(try ESIATokenClaims.sign(id, subtype: "id", with: signer))
        }
    }

    /// client_credentials: the portal's own token; every scope must be allowed and none may need a citizen (`openid`).
    private func clientCredentialScopes(_ text: String, portal: Portal) throws(ESIAError) -> [String] {
        var scopes: [String] = []
        for word in text.split(separator: " ").map(String.init) {
            guard let scope = Scope(rawValue: word), !scope.isServiceScope else {
                throw ESIAError(.invalidScope, "unknown scope \(word.prefix(64))")
            }
            guard scope != .openid, portal.settings.allowedScopes.contains(scope) else {
                throw ESIAError(.scopeNotAllowed, "the scope \(word) is not allowed for this grant")
            }
            if !scopes.contains(word) { scopes.append(word) }
        }
        return scopes
    }

    private func signer(for portal: Portal, at now: Date) throws -> JWSSigner {
        guard let algorithm = JWSAlgorithm(rawValue: portal.settings.signingAlgorithm.rawValue) else {
            throw ESIAError(.internalError, "no signing key for the information system's algorithm")
        }
        return try provider.keys.currentSigner(algorithm: algorithm, at: now)
    }

    /// Deletes used states past their retention; for the periodic clean-up.
    @discardableResult
    public func purgeExpired() throws -> Int {
        let now = provider.clock.now()
        return try provider.database.write { [ledger] db in try ledger.purge(now: now, using: db) }
    }
}

extension ESIAError {
    /// The ESIA error for a refusal of the shared grant logic (`invalid_grant` → 007011, `invalid_scope` → 007006).
    init(grantFailure error: OAuthError) {
        switch error.code {
        case .invalidGrant: self.init(.invalidGrant, "the code or refresh token is invalid, expired, used, revoked or another's")
        case .invalidScope: self.init(.invalidScope, "the scope is wider than the one granted")
        case .invalidRequest: self.init(.invalidParameter, "the request is malformed")
        default: self.init(.internalError, "the request could not be completed")
        }
    }

    /// The ESIA error for an authorization the citizen's side refused: the level is too low (007055) or consent was
    /// refused (007004).
    init(denial error: OAuthError) {
        if error.code == .accessDenied, error.detail.lowercased().contains("level") {
            self.init(.levelTooLow, "the citizen's account level is below the level the information system requires")
        } else if error.code == .accessDenied {
            self.init(.accessDenied, "the citizen refused access")
        } else {
            self.init(.internalError, "the authorization could not be completed")
        }
    }
}
