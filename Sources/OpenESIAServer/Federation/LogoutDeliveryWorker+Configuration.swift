import Audit
import Federation
import Storage
import Support

extension LogoutDeliveryWorker {
    /// The worker with the `federation.backchannelLogout*` settings, posting through the HTTP client.
    static func make(configuration: Configuration, database: Database, audit: AuditLog, portals: PortalRegistry, keys: SigningKeyStore,
                     clock: any WallClock, logger: Logger) -> LogoutDeliveryWorker {
        var settings = BackchannelSettings()
        settings.maxAttempts = configuration.federation.backchannelLogoutMaxAttempts
        settings.firstRetryDelay = configuration.federation.backchannelLogoutRetrySeconds
        settings.maxAge = configuration.federation.backchannelLogoutMaxAgeSeconds
        // A short first delay (tests, impatient operators) also wakes the worker often enough to honour it.
        settings.pollInterval = min(settings.pollInterval, settings.firstRetryDelay)
        return LogoutDeliveryWorker(database: database, audit: audit, portals: portals, keys: keys, issuerURL: configuration.service.issuer,
                                    delivering: HTTPLogoutDelivery(timeout: configuration.federation.backchannelLogoutTimeoutSeconds),
                                    settings: settings, clock: clock, logger: logger)
    }
}
