import Audit
import Crypto
import Federation
import Storage
import Support

extension PortalRegistry {
    /// The registry over the service's database, keyed with the key directory's client-secret key.
    static func make(configuration: Configuration, database: Database, audit: AuditLog, clock: any WallClock) throws -> PortalRegistry {
        PortalRegistry(database: database, audit: audit, secretKey: try KeyDirectory.secret(.clientSecret, in: configuration.keys.directory),
                       clock: clock)
    }
}
