import Audit
import Citizens
import Crypto
import Federation
import Storage
import Support

extension OpenIDProvider {
    /// The provider over the service's database: issuer and lifetimes from the configuration, codes and tokens hashed
    /// with the key directory's token-hash key, citizens' data from `citizens`; `private_key_jwt` certificates that are not
    /// pinned checked by `certificateTrust` (the head CA trust store).
    static func make(configuration: Configuration, database: Database, audit: AuditLog, portals: PortalRegistry, keys: SigningKeyStore,
                     citizens: CitizenService, clock: any WallClock, logoutHooks: [any LogoutHook] = [],
                     certificateTrust: (any PortalCertificateTrust)? = nil) throws -> OpenIDProvider {
        var settings = ProviderSettings()
        settings.issuer = configuration.service.issuer
        settings.codeLifetime = configuration.federation.authorizationCodeLifetimeSeconds
        settings.accessTokenLifetime = configuration.federation.accessTokenLifetimeSeconds
        settings.refreshTokenLifetime = configuration.federation.refreshTokenLifetimeSeconds
        settings.pendingLifetime = configuration.federation.pendingAuthorizationLifetimeSeconds
        return OpenIDProvider(settings: settings, database: database, audit: audit, portals: portals, keys: keys,
                              tokenKey: try KeyDirectory.secret(.tokenHash, in: configuration.keys.directory), clock: clock,
                              personData: { try citizens.personData(publicID: $0) }, logoutHooks: logoutHooks,
                              certificateTrust: certificateTrust, jwksFetcher: HTTPJWKSFetcher())
    }
}
