import Citizens
import Crypto
import Foundation
import Support

/// An ESIA access token that verified.
public struct ESIAAccessToken: Sendable, Equatable {
    /// `urn:esia:sbj_id`.
    public let oid: Int64
    /// `client_id`.
    public let clientID: String
    /// The scope names, without their `?oid=` suffixes.
    public let scopes: Set<String>
    /// `jti`.
    public let jti: String
}

/// Why the person resources refuse a bearer token (answered 401 with `WWW-Authenticate: Bearer error="invalid_token"`).
public struct ESIAInvalidToken: Error, Sendable, Equatable {
    /// The one refusal.
    public init() {}
}

/// A checked `/idp/ext/Logout` request.
public struct ESIALogoutRequest: Sendable, Equatable {
    /// The portal asking.
    public let clientID: String
    /// Where the browser goes afterwards; nil for the service's own page.
    public let redirect: String?
}

extension ESIAProvider {
    /// The person resources the bearer `token` may read about `oid` (the path's).
    /// - Throws: `ESIAInvalidToken` for a token that is not a live ESIA access token of an enabled portal;
    ///   `ESIAResourceError.wrongSubject` when `oid` is not the token's subject, `.notFound` when the account is gone.
    public func resources(token: String, oid: String) throws -> ESIAPersonResources {
        let access = try verifyAccessToken(token)
        guard String(access.oid) == oid else { throw ESIAResourceError.wrongSubject }
        guard let person = try personData(oid) else { throw ESIAResourceError.notFound }
        return ESIAPersonResources(data: person, oid: access.oid, scopes: access.scopes, baseURL: settings.baseURL)
    }

    /// Checks an ESIA access token: one of the service's keys signed it (the key's own algorithm, never the header's),
    /// header `typ` JWT and `sbt` access, this dialect's issuer, within `nbf`–`exp`, a citizen subject, the portal still
    /// enabled, and neither the token nor its grant revoked. OpenID Connect access tokens (`at+jwt`) are not accepted.
    public func verifyAccessToken(_ token: String) throws -> ESIAAccessToken {
        let now = provider.clock.now()
        guard token.utf8.count <= 8_192, let jws = try? JWS.parse(token), jws.type == "JWT", jws.header["sbt"] == "access",
              let keyID = jws.keyID, let verifier = try? provider.keys.verifier(keyID: keyID, at: now), (try? verifier.verify(jws)) != nil,
              let claims = try? JWT.claims(of: jws), (try? claims.issuer()) == settings.issuer,
              let expires = try? claims.expiresAt(), now < expires,
              let notBefore = try? claims.notBefore(), notBefore <= now.addingTimeInterval(provider.settings.leeway),
              let oid = claims["urn:esia:sbj_id"]?.integerValue, let clientID = try? claims.string("client_id"),
              let jti = try? claims.string("jti"), let scope = try? claims.string("scope")
        else { throw ESIAInvalidToken() }
        guard let portal = try? provider.portals.portal(clientID: clientID), portal.enabled else { throw ESIAInvalidToken() }
        var revocationKeys = [RevocationList.tokenKey(jti)]
        if let grantID = jti.split(separator: ".").first, jti.contains(".") { revocationKeys.append(RevocationList.grantKey(String(grantID))) }
        guard try !provider.revocations.contains(anyOf: revocationKeys, now: now) else { throw ESIAInvalidToken() }
        let scopes = Set(scope.split(separator: " ").map { String($0.split(separator: "?", maxSplits: 1).first ?? $0) })
        return ESIAAccessToken(oid: oid, clientID: clientID, scopes: scopes, jti: jti)
    }

    // MARK: - Logout

    /// Checks `/idp/ext/Logout?client_id=…&redirect_url=…`: the portal must be an enabled ESIA portal, and `redirect_url`
    /// (optional) one of its registered post-logout or redirect URIs, compared exactly. Failures are pages, never redirects.
    public func validateLogout(_ parameters: [(name: String, value: String)]) throws(ESIAError) -> ESIALogoutRequest {
        var fields: [String: String] = [:]
        for (name, value) in parameters where !value.isEmpty {
            guard fields[name] == nil else { throw ESIAError(.invalidParameter, "\(name) is given more than once") }
            fields[name] = value
        }
        guard let clientID = fields["client_id"] else { throw ESIAError(.missingParameter, "client_id is required") }
        guard let portal = try? provider.portals.portal(clientID: clientID), portal.enabled, portal.settings.dialect == .esia else {
            throw ESIAError(.unknownClient, "no active information system has this client_id")
        }
        guard let url = fields["redirect_url"] else { return ESIALogoutRequest(clientID: clientID, redirect: nil) }
        guard portal.settings.postLogoutRedirectURIs.contains(url) || portal.settings.redirectURIs.contains(url) else {
            throw ESIAError(.redirectURINotAllowed, "redirect_url is not registered for this information system")
        }
        return ESIALogoutRequest(clientID: clientID, redirect: url)
    }
}
