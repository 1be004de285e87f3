import Citizens
import Crypto
import Foundation
import Storage

/// Why an RP-initiated logout request is refused with a page (never a redirect).
public enum LogoutPageError: Error, Sendable, Equatable {
    /// `id_token_hint` is not an ID token this service issued.
    case invalidIDTokenHint
    /// `client_id` names no enabled portal, or another one than the hint's audience.
    case unknownClient
    /// `post_logout_redirect_uri` is not registered for the portal, or no portal was named to check it against.
    case unregisteredRedirectURI
    /// A parameter was given more than once.
    case duplicateParameter
}

/// A checked RP-initiated logout request (OpenID Connect RP-Initiated Logout 1.0 §2).
public struct LogoutRequest: Sendable, Equatable {
    /// The portal asking, from `client_id` or the hint's `aud`.
    public var clientID: String?
    /// The hint's `sub`.
    public var subject: String?
    /// The hint's `sid`.
    public var sid: String?
    /// Where to send the browser afterwards (registered, with `state` added); nil for the service's own page.
    public var redirect: String?

    /// Whether the hint names this login session, so the logout needs no confirmation: a third-party page cannot have
    /// an ID token of the citizen's own session.
    public func names(sid current: String) -> Bool { sid == current }
}

extension OpenIDProvider {
    /// Checks the parameters of `GET /oauth2/logout`. The hint may have expired (a logout often comes long after login),
    /// but must carry a valid signature of one of the service's keys and this issuer.
    public func validateLogout(_ parameters: [(name: String, value: String)]) throws(LogoutPageError) -> LogoutRequest {
        var fields: [String: String] = [:]
        for (name, value) in parameters {
            guard fields[name] == nil else { throw .duplicateParameter }
            if !value.isEmpty { fields[name] = value }
        }
        var request = LogoutRequest()
        if let hint = fields["id_token_hint"] {
            let claims = try checkHint(hint)
            request.clientID = claims.audience
            request.subject = claims.subject
            request.sid = claims.sid
        }
        if let clientID = fields["client_id"] {
            guard request.clientID == nil || request.clientID == clientID else { throw .unknownClient }
            request.clientID = clientID
        }
        var portal: Portal?
        if let clientID = request.clientID {
            guard let found = try? portals.portal(clientID: clientID), found.enabled else { throw .unknownClient }
            portal = found
        }
        if let uri = fields["post_logout_redirect_uri"] {
            guard let portal, portal.settings.postLogoutRedirectURIs.contains(uri) else { throw .unregisteredRedirectURI }
            request.redirect = RedirectURL.build(uri, [("state", fields["state"])])
        }
        return request
    }

    private func checkHint(_ hint: String) throws(LogoutPageError) -> (audience: String, subject: String?, sid: String?) {
        guard let jws = try? JWS.parse(hint), let keyID = jws.keyID, let verifier = try? keys.verifier(keyID: keyID, at: clock.now()),
              (try? verifier.verify(jws)) != nil, let claims = try? JWT.claims(of: jws),
              (try? claims.issuer()) == settings.issuer, let audience = (try? claims.audiences())?.first else {
            throw .invalidIDTokenHint
        }
        return (audience, try? claims.subject(), try? claims.string("sid"))
    }

    /// Tells the logout hooks that the login session `handle` of `publicID` ended, with the portals it served.
    public func sessionEnded(handle: String, publicID: String?) {
        let served = (try? database.read { db in try GrantStore.portals(sessionHandle: handle, db) }) ?? []
        let logout = SessionLogout(sessionHandle: handle, sid: hasher.sid(sessionHandle: handle), subject: publicID, portals: served)
        for hook in logoutHooks { hook.sessionEnded(logout) }
    }

    /// The portals that got a code in the login session `handle`.
    public func portalsServed(sessionHandle handle: String) throws -> [String] {
        try database.read { db in try GrantStore.portals(sessionHandle: handle, db) }
    }
}
