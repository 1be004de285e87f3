import Citizens
import Foundation
import Storage

/// A portal with access to a citizen's data, for the account page.
public struct PortalAccess: Sendable, Equatable {
    /// The portal's client id.
    public var clientID: String
    /// Its name.
    public var name: String
    /// The scopes consented to.
    public var scopes: [Scope]
    /// When consent was first given.
    public var grantedAt: Date
}

extension OpenIDProvider {
    /// The portals the citizen consented to, oldest first.
    public func portalsWithAccess(citizenID: Int64) throws -> [PortalAccess] {
        try database.read { db in try ConsentStore.list(citizenID: citizenID, db) }.map {
            PortalAccess(clientID: $0.clientID, name: portalName($0.clientID), scopes: $0.scopes, grantedAt: $0.grantedAt)
        }
    }

    /// Withdraws the citizen's consent for a portal: the consent is deleted and every grant of the portal for this
    /// citizen revoked (refresh tokens at once, access tokens through the revocation list), with `oauth.consent.revoked`
    /// in the same write. Returns false when there was no consent (nothing changes then).
    @discardableResult
    public func revokeConsent(citizenID: Int64, clientID: String, source: RequestSource?) throws -> Bool {
        let now = clock.now()
        let lifetime = settings.accessTokenLifetime
        let citizen = "citizen:\(citizenID)"
        let revoked = try database.write { [self] db -> Bool in
            guard try ConsentStore.delete(citizenID: citizenID, clientID: clientID, db) else { return false }
            var grants = 0
            for grantID in try GrantStore.liveGrantIDs(citizenID: citizenID, clientID: clientID, db)
            where try GrantStore.revoke(grantID: grantID, now: now, accessTokenLifetime: lifetime, db) {
                grants += 1
            }
            try record("oauth.consent.revoked", actor: citizen, subject: citizen, source: source,
                       details: ["client": clientID, "grantsRevoked": String(grants)], db)
            return true
        }
        if revoked { try revocations.refresh() }
        return revoked
    }
}
