import Audit
import Citizens
import Crypto
import Foundation
import Storage
import Support

/// The OpenID Connect / OAuth 2.0 provider for ordinary OIDC portals: plain values in, plain values out.
///
/// The server turns HTTP requests into the parameter lists and values these methods take and turns their results
/// (redirect URLs, JSON values, `OAuthError`s) into responses. The parts:
/// - authorization: `validateAuthorization`, `nextStep`, pending requests, `approve` / `deny` (+Authorization.swift);
/// - the token endpoint: `token` with its three grants (+Token.swift);
/// - userinfo, introspection, revocation (+Resources.swift); consent on the account page (+Consent.swift);
/// - RP-initiated logout and the logout hooks (+Logout.swift).
///
/// Methods block on the database and sign with OpenSSL: call them from worker threads.
public final class OpenIDProvider: Sendable {
    /// The provider's tables (versions 430–469).
    public static let migrations: [Migration] = OIDCMigrations.all

    /// The settings in force.
    public let settings: ProviderSettings
    let database: Database
    let audit: AuditLog
    let portals: PortalRegistry
    let keys: SigningKeyStore
    let hasher: TokenHasher
    let clock: any WallClock
    let personData: @Sendable (String) throws -> CitizenPersonData?
    let logoutHooks: [any LogoutHook]
    let revocations: RevocationList
    let verifier: AccessTokenVerifier
    let issuer: TokenIssuer
    let pending: PendingAuthorizations
    let clients: ClientAuthentication

    /// A provider over `database` (migrated with `migrations`).
    /// - Parameters:
    ///   - tokenKey: the key directory's token-hash key; codes, refresh tokens and pending ids are stored as HMACs under it.
    ///   - personData: the citizen with a public id (`CitizenService.personData(publicID:)`), for userinfo.
    ///   - logoutHooks: told about every session that ends (back-channel logout plugs in here).
    public init(settings: ProviderSettings, database: Database, audit: AuditLog, portals: PortalRegistry, keys: SigningKeyStore,
                tokenKey: SymmetricKey, clock: any WallClock, personData: @escaping @Sendable (String) throws -> CitizenPersonData?,
                logoutHooks: [any LogoutHook] = [], certificateTrust: (any PortalCertificateTrust)? = nil,
                jwksFetcher: (any JWKSFetching)? = nil) {
        self.settings = settings
        self.database = database
        self.audit = audit
        self.portals = portals
        self.keys = keys
        hasher = TokenHasher(key: tokenKey.bytes)
        self.clock = clock
        self.personData = personData
        self.logoutHooks = logoutHooks
        revocations = RevocationList(database: database, refreshInterval: settings.revocationRefreshInterval)
        verifier = AccessTokenVerifier(issuer: settings.issuer, keys: keys, revocations: revocations)
        issuer = TokenIssuer(issuer: settings.issuer, keys: keys, accessTokenLifetime: settings.accessTokenLifetime)
        pending = PendingAuthorizations(database: database, hasher: hasher, lifetime: settings.pendingLifetime)
        let assertions = ClientAssertionVerifier(registry: portals, trust: certificateTrust, jwksFetcher: jwksFetcher, issuer: settings.issuer, tokenEndpoint: settings.issuer + Discovery.Path.token,
                                                 clock: clock, leeway: settings.leeway)
        clients = ClientAuthentication(registry: portals, assertions: assertions)
    }

    /// The discovery document.
    public func discovery() -> JSONValue {
        Discovery.document(issuer: settings.issuer)
    }

    /// Whether a browser script at `origin` may read the answers of the token, revocation and userinfo endpoints
    /// (CORS): the origin of one of `clientID`'s redirect URIs, or of any enabled OIDC portal's when `clientID` is nil.
    public func allowsWebOrigin(_ origin: String, clientID: String?) -> Bool {
        WebOrigins(registry: portals).allows(origin, clientID: clientID)
    }

    /// The JWK Set of the signing keys in use (current, next and previous ES256 and RS256 keys).
    public func jwks() throws -> JSONValue {
        try keys.jwks(at: clock.now())
    }

    /// The `sid` claim of a login session.
    public func sid(sessionHandle: String) -> String {
        hasher.sid(sessionHandle: sessionHandle)
    }

    /// Deletes expired pending requests, codes, refresh tokens, revocation entries and spent grants, at most `limit` rows
    /// per table, each table in its own write; for the periodic clean-up job. Returns the total removed.
    @discardableResult
    public func purgeExpired(limit: Int = 10_000) throws -> Int {
        try purgeExpiredByTable(limit: limit).reduce(0) { $0 + $1.removed }
    }

    /// `purgeExpired`, with the rows removed by table.
    public func purgeExpiredByTable(limit: Int = 10_000) throws -> [(table: String, removed: Int)] {
        let retention = settings.refreshTokenLifetime + settings.accessTokenLifetime
        return try GrantStore.purgeExpired(now: clock.now(), grantRetention: retention, limit: limit, database: database)
    }

    func record(_ kind: String, actor: String, subject: String?, source: RequestSource?, details: [String: String],
                _ db: any SQLExecutor) throws {
        try audit.append(AuditEvent(kind: kind, actor: actor, subject: subject, sourceAddress: source?.address, details: details), using: db)
    }
}
