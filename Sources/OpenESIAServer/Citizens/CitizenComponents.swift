import Audit
import Citizens
import Crypto
import Foundation
import HTTPServer
import Storage
import Support

/// The citizens' services and background workers, built from the configuration and the key directory.
final class CitizenComponents: Sendable {
    let database: Database
    let service: CitizenService
    let audit: AuditLog
    let referenceRegistry: ReferenceRegistry
    let outboxDelivery: OutboxDelivery
    let registryWorker: RegistryWorker
    let maintenance: Maintenance

    private init(database: Database, service: CitizenService, audit: AuditLog, referenceRegistry: ReferenceRegistry, outboxDelivery: OutboxDelivery,
                 registryWorker: RegistryWorker, maintenance: Maintenance) {
        self.database = database
        self.service = service
        self.audit = audit
        self.referenceRegistry = referenceRegistry
        self.outboxDelivery = outboxDelivery
        self.registryWorker = registryWorker
        self.maintenance = maintenance
    }

    /// Loads keys and builds the services; starts nothing.
    static func make(configuration: Configuration, database: Database, clock: any WallClock, logger: Logger) throws -> CitizenComponents {
        let keys = configuration.keys.directory
        let dataKeys = try DataKeyRing.load(directory: keys)
        let indexKey = try KeyDirectory.secret(.blindIndex, in: keys)
        let auditKey = try KeyDirectory.secret(.audit, in: keys)
        let tokenKey = try KeyDirectory.secret(.tokenHash, in: keys)
        let audit = try AuditLog(key: auditKey.bytes, clock: clock)
        let outbox = Outbox(clock: clock)
        var sessionPolicy = SessionPolicy()
        sessionPolicy.idleTimeout = configuration.citizens.sessionIdleTimeoutSeconds
        sessionPolicy.absoluteTimeout = configuration.citizens.sessionAbsoluteTimeoutSeconds
        let sessions = SessionStore(database: database, hashKey: tokenKey.bytes, policy: sessionPolicy, clock: clock)
        let throttle = LoginThrottle(database: database, policy: ThrottlePolicy(), clock: clock)
        var settings = CitizenSettings()
        settings.passwordParameters = ScryptParameters(logN: configuration.citizens.passwordCostLog2, r: 8, p: 1)
        settings.contactCodeLifetime = configuration.citizens.contactCodeLifetimeSeconds
        settings.freshSignatureWindow = Double(configuration.citizens.freshSignatureMinutes) * 60

        let transport: any MessageTransport = configuration.outbox.command.isEmpty
            ? FileTransport(path: configuration.outbox.file)
            : try CommandTransport(arguments: configuration.outbox.command.split(separator: " ").map(String.init))
        let delivery = OutboxDelivery(database: database, outbox: outbox, transport: transport, clock: clock, logger: logger)
        let reference = ReferenceRegistry(database: database, indexKey: indexKey.bytes)
        let adapter: any RegistryAdapter = configuration.registry.adapter == .http
            ? HTTPRegistryAdapter(url: configuration.registry.url, poster: ClientJSONPoster(), timeout: configuration.registry.timeoutSeconds)
            : reference
        let box = WorkerBox()
        let service = CitizenService(
            database: database, vault: PersonalDataVault(keys: dataKeys, indexKey: indexKey), audit: audit, outbox: outbox,
            sessions: sessions, throttle: throttle, codeKey: tokenKey, settings: settings, clock: clock, logger: logger,
            messageQueued: { delivery.notify() }, documentsSubmitted: { box.worker?.notify() })
        let worker = RegistryWorker(service: service, adapter: adapter)
        box.worker = worker
        let maintenance = Maintenance(logger: logger, interval: configuration.maintenance.purgeIntervalSeconds,
                                      batchRows: configuration.maintenance.purgeBatchRows)
        maintenance.add(table: "sessions") { try sessions.purgeExpired(limit: $0) }
        maintenance.add(table: "login_throttle") { try throttle.purgeStale(limit: $0) }
        return CitizenComponents(database: database, service: service, audit: audit, referenceRegistry: reference, outboxDelivery: delivery, registryWorker: worker,
                                 maintenance: maintenance)
    }

    /// Every migration of the modules built here.
    static var migrations: [Migration] { AuditLog.migrations + CitizenService.migrations }

    func start() {
        outboxDelivery.start()
        registryWorker.start()
        maintenance.start()
    }

    func stop() {
        maintenance.stop()
        registryWorker.stop()
        outboxDelivery.stop()
    }
}

/// Lets the service's callback reach the worker built after it.
private final class WorkerBox: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: RegistryWorker?
    var worker: RegistryWorker? {
        get { lock.lock(); defer { lock.unlock() }; return stored }
        set { lock.lock(); stored = newValue; lock.unlock() }
    }
}

/// The registry adapter's view of the HTTP client.
struct ClientJSONPoster: JSONPoster {
    func postJSON(url: String, body: [UInt8], timeout: Double) throws -> (status: Int, body: [UInt8]) {
        var options = HTTPClient.Options()
        options.totalTimeout = timeout
        options.connectTimeout = min(timeout, 5)
        options.maxResponseBodyBytes = 1 << 20
        let response = try HTTPClient(options: options).post(url, body: body, contentType: "application/json",
                                                             headers: ["Accept": "application/json"])
        return (response.status.code, response.body)
    }
}
