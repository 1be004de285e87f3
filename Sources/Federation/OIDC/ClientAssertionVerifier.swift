import Crypto
import Foundation
import PKI
import Support

/// `private_key_jwt` (OpenID Connect Core §9, RFC 7523 §3): the portal signs a short JWT with its own key instead of
/// sending a secret.
///
/// The assertion must be ES256 or RS256, signed by a key of the portal's registered inline JWKS or of the set it
/// publishes at its `jwks_uri` (by `kid`, or the only key when the set has one; see `PortalKeySets`) or by the key of its
/// registered certificate, which must be valid now and, unless pinned,
/// trusted by the head CA trust store (as the ESIA dialect's portal certificates); `iss` and `sub` are the client id,
/// `aud` names this issuer or its token endpoint, `exp` lies at most `maxLifetime` ahead, and its `jti` is used once.
/// Used `jti`s are remembered in this node's memory until the assertion expires, so a replay to another node of a
/// cluster is not caught.
final class ClientAssertionVerifier: Sendable {
    static let assertionType = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
    /// The longest an assertion may live: they are made per request.
    static let maxLifetime: TimeInterval = 600

    private let registry: PortalRegistry
    private let trust: (any PortalCertificateTrust)?
    private let keySets: PortalKeySets
    private let audiences: Set<String>
    private let clock: any WallClock
    private let leeway: TimeInterval
    private let seen = Locked<[String: Date]>([:])

    init(registry: PortalRegistry, trust: (any PortalCertificateTrust)?, jwksFetcher: (any JWKSFetching)?, issuer: String,
         tokenEndpoint: String, clock: any WallClock, leeway: TimeInterval) {
        self.registry = registry
        self.trust = trust
        keySets = PortalKeySets(fetcher: jwksFetcher)
        audiences = [issuer, tokenEndpoint]
        self.clock = clock
        self.leeway = leeway
    }

    func authenticate(_ assertion: String, type: String?, clientID formClientID: String?) throws(OAuthError) -> Portal {
        let failure = OAuthError.invalidClient(triedBasic: false)
        guard type == Self.assertionType else { throw OAuthError.invalidRequest("client_assertion_type must be \(Self.assertionType).") }
        guard let jws = try? JWS.parse(assertion), jws.algorithm == .es256 || jws.algorithm == .rs256,
              let unverified = try? JWT.claims(of: jws), let clientID = try? unverified.issuer(),
              formClientID == nil || formClientID == clientID,
              let portal = try? registry.portal(clientID: clientID), portal.enabled, portal.settings.dialect == .oidc,
              portal.settings.authMethods.contains(.privateKeyJWT) else { throw failure }
        let now = clock.now()
        let published = portal.settings.jwksURI.flatMap { keySets.key(uri: $0, kid: jws.keyID, now: now) }
        guard let key = Self.key(for: jws, in: portal) ?? published ?? certificateKey(of: portal, at: now),
              (try? jws.verify(with: key)) != nil else {
            throw failure
        }
        guard (try? unverified.subject()) == clientID, let audiences = try? unverified.audiences(), audiences.contains(where: self.audiences.contains),
              (try? unverified.validate(JWTValidationRules(leeway: leeway), now: now)) != nil,
              let expiry = try? unverified.expiresAt(), expiry.timeIntervalSince(now) <= Self.maxLifetime,
              let jti = try? unverified.string("jti"), !jti.isEmpty, jti.utf8.count <= 256 else { throw failure }
        guard remember(clientID + "\u{0}" + jti, until: expiry.addingTimeInterval(leeway), now: now) else { throw failure }
        return portal
    }

    /// The portal's key for this assertion: from its inline JWKS, by `kid`, or its only key.
    static func key(for jws: ParsedJWS, in portal: Portal) -> PublicKey? {
        guard let text = portal.settings.jwks, let set = try? JSONValue.parse(text), let keys = set["keys"]?.arrayValue else { return nil }
        return PortalKeySets.choose(jws.keyID, in: keys.compactMap { try? JSONWebKey(json: $0) })
    }

    /// The key of the portal's registered certificate, when it is valid at `now` and pinned or trusted.
    private func certificateKey(of portal: Portal, at now: Date) -> PublicKey? {
        guard let registered = portal.settings.certificate, let certificate = try? Certificate(der: registered.der) else { return nil }
        if portal.settings.certificatePinned {
            guard certificate.notBefore <= now, now <= certificate.notAfter else { return nil }
        } else {
            guard let trust, trust.failures(of: certificate, intermediates: [], at: now).isEmpty else { return nil }
        }
        return certificate.publicKey
    }

    /// Records a jti; false when it was seen and has not expired yet.
    private func remember(_ key: String, until expiry: Date, now: Date) -> Bool {
        seen.withLock { seen in
            if let until = seen[key], until > now { return false }
            if seen.count > 100_000 { seen = seen.filter { $0.value > now } }
            seen[key] = expiry
            return true
        }
    }
}
