import Audit
import Federation
import Foundation
import HeadCA
import HTTPServer
import Storage
import Support

/// The running service: database, routes and HTTP server, wired from a configuration.
public final class Application: Sendable {
    public let configuration: Configuration
    public let database: Database
    public let server: HTTPServer
    let citizens: CitizenComponents
    let activation: ActivationComponents
    let portals: PortalRegistry
    /// Token-signing keys; every algorithm has a key from the first start on.
    let signingKeys: SigningKeyStore
    /// The head CA trust store (`application.headCA.trustStore.verify(…)`) and its registries.
    public let headCA: HeadCAComponents
    /// The OpenID Connect provider.
    let provider: OpenIDProvider
    /// Sends the queued back-channel logout tokens.
    let logoutDelivery: LogoutDeliveryWorker
    private let logger: Logger

    /// The port the server listens on (useful when the configuration asked for port 0).
    public var port: Int { server.port }

    private init(configuration: Configuration, database: Database, server: HTTPServer, citizens: CitizenComponents,
                 activation: ActivationComponents, headCA: HeadCAComponents, portals: PortalRegistry, signingKeys: SigningKeyStore,
                 provider: OpenIDProvider, logoutDelivery: LogoutDeliveryWorker, logger: Logger) {
        self.configuration = configuration
        self.database = database
        self.server = server
        self.citizens = citizens
        self.activation = activation
        self.portals = portals
        self.signingKeys = signingKeys
        self.headCA = headCA
        self.provider = provider
        self.logoutDelivery = logoutDelivery
        self.logger = logger
    }

    /// Opens the database, applies migrations, and starts serving.
    /// - Parameter accessLog: where request lines go when `http.accessLog` is on (stdout by default).
    public static func start(configuration: Configuration, logger: Logger, accessLog: any LogSink = FileDescriptorSink(),
                             clock: any WallClock = SystemClock()) throws -> Application {
        let database = try openDatabase(configuration, logger: logger)
        do {
            let applied = try database.migrate(Migrations.all)
            let citizens = try CitizenComponents.make(configuration: configuration, database: database, clock: clock, logger: logger)
            let activation = try ActivationComponents.make(configuration: configuration, citizens: citizens, clock: clock, logger: logger)
            let headCA = try HeadCAComponents.make(configuration: configuration, database: database, audit: citizens.audit, clock: clock,
                                                   logger: logger)
            let portals = try PortalRegistry.make(configuration: configuration, database: database, audit: citizens.audit, clock: clock)
            let signatures = try SignatureLogin.make(configuration: configuration, database: database, trustStore: headCA.trustStore,
                                                     audit: citizens.audit, clock: clock)
            citizens.maintenance.add(table: "signature_registration_offers") { _ in try signatures.purgeExpiredOffers() }
            let signingKeys = try FederationKeyCommands.makeStore(configuration: configuration, database: database, audit: citizens.audit)
            for key in try signingKeys.ensureKeys(at: clock.now()) {
                logger.info("signing key created", ["algorithm": key.algorithm.rawValue, "kid": key.keyID])
            }
            // Opens every live key now, so a missing data key stops the start instead of the first token.
            _ = try signingKeys.jwks(at: clock.now())
            if !applied.isEmpty { logger.info("migrations applied", ["versions": applied.map(String.init).joined(separator: ",")]) }
            let logoutDelivery = LogoutDeliveryWorker.make(configuration: configuration, database: database, audit: citizens.audit,
                                                           portals: portals, keys: signingKeys, clock: clock, logger: logger)
            let backchannel = BackchannelLogout(database: database, portals: portals, worker: logoutDelivery, clock: clock, logger: logger)
            let provider = try OpenIDProvider.make(configuration: configuration, database: database, audit: citizens.audit, portals: portals,
                                                   keys: signingKeys, citizens: citizens.service, clock: clock, logoutHooks: [backchannel],
                                                   certificateTrust: headCA.trustStore)
            addCleanUp(to: citizens.maintenance, provider: provider, logoutDelivery: logoutDelivery, database: database, clock: clock,
                       audit: citizens.audit, logger: logger)
            let esia = ESIAProvider.make(configuration: configuration, provider: provider, trustStore: headCA.trustStore,
                                         citizens: citizens.service)
            citizens.maintenance.add(table: "esia_used_states") { _ in try esia.purgeExpired() }
            let errors = ErrorMapping(logger: logger)
            var router = Router(errorResponse: { error, request in errors.response(for: error, to: request) })
            let metrics = MetricsSource()
            OperationsRoutes.add(to: &router, database: database, metrics: metrics)
            CitizenAPIRoutes(service: citizens.service).add(to: &router)
            WebRoutes(service: citizens.service, provider: provider).add(to: &router)
            OIDCRoutes(provider: provider).add(to: &router)
            let authorization = AuthorizationRoutes(service: citizens.service, provider: provider)
            authorization.add(to: &router)
            ESIARoutes(esia: esia, authorization: authorization, service: citizens.service).add(to: &router)
            LogoutRoutes(service: citizens.service, provider: provider).add(to: &router)
            ActivationPageRoutes(service: citizens.service, activation: activation.activation).add(to: &router)
            ActivationAPIRoutes(service: citizens.service, activation: activation.activation, centres: activation.centres).add(to: &router)
            CentrePageRoutes(centres: activation.centres).add(to: &router)
            SignatureLoginRoutes(login: signatures, service: citizens.service).add(to: &router)
            StaffRoutes(citizens: citizens, activation: activation, signatures: signatures).add(to: &router)
            StaffAPIRoutes(staff: activation.staff, activation: activation.activation).add(to: &router)
            let staffAPI = StaffAPIRoutes(staff: activation.staff, activation: activation.activation)
            SignatureAPIRoutes(login: signatures, citizens: citizens.service, staffAPI: staffAPI, provider: provider).add(to: &router)
            PortalAPIRoutes(staffAPI: staffAPI, portals: portals, provider: provider).add(to: &router)

            var http = HTTPServerConfiguration()
            http.host = configuration.http.host
            http.port = configuration.http.port
            http.eventLoops = configuration.http.eventLoops
            http.workerThreads = configuration.http.workerThreads
            http.workerQueueCapacity = configuration.http.workerQueueCapacity
            http.workerQueueTimeout = configuration.http.workerQueueTimeoutSeconds
            http.limits = configuration.http.limits
            http.accessLog = configuration.http.accessLog ? accessLog : nil
            if configuration.tls.isEnabled {
                let mode = ClientCertificateMode(rawValue: configuration.tls.clientCertificate.rawValue) ?? .none
                http.useTLS(try TLSContext.server(
                    certificateChainFile: configuration.tls.certificateFile, privateKeyFile: configuration.tls.privateKeyFile,
                    clientCertificates: mode, clientCAFile: configuration.tls.clientCAFile.isEmpty ? nil : configuration.tls.clientCAFile))
            }
            let server = try HTTPServer.start(configuration: http, responder: router, logger: logger)
            metrics.attach(server)
            citizens.start()
            headCA.start()
            logoutDelivery.start()
            return Application(configuration: configuration, database: database, server: server, citizens: citizens, activation: activation,
                               headCA: headCA, portals: portals, signingKeys: signingKeys, provider: provider, logoutDelivery: logoutDelivery,
                               logger: logger)
        } catch {
            database.close()
            throw error
        }
    }

    /// Opens the database and applies pending migrations, without serving; for `openesia migrate`.
    public static func migrate(configuration: Configuration, logger: Logger) throws -> [Int] {
        let database = try openDatabase(configuration, logger: logger)
        defer { database.close() }
        return try database.migrate(Migrations.all)
    }

    /// Begins a graceful shutdown; returns at once.
    public func shutdown() { server.shutdown() }

    /// Waits for the server to stop, then closes the database.
    public func waitUntilStopped() {
        server.waitUntilStopped()
        logoutDelivery.stop()
        headCA.stop()
        citizens.stop()
        database.close()
    }

    /// The clean-up jobs of the federation and e-signature tables (the citizens' own are added where they are built).
    private static func addCleanUp(to maintenance: Maintenance, provider: OpenIDProvider, logoutDelivery: LogoutDeliveryWorker,
                                   database: Database, clock: any WallClock, audit: AuditLog, logger: Logger) {
        maintenance.add("oauth") { try provider.purgeExpiredByTable(limit: $0) }
        maintenance.add(table: "logout_deliveries") { try logoutDelivery.purgeFinished(limit: $0) }
        // Not a clean-up: the audit log's head in the process log every round. Shipped elsewhere, those lines are the
        // anchors `openesia audit verify --anchor` needs to tell a log cut short from a shorter one.
        maintenance.add("audit head") { [audit, logger] _ in
            if let head = try audit.head(database: database) {
                logger.info("audit head", ["sequence": String(head.sequence), "hash": Hex.encode(head.hash)])
            }
            return []
        }
        // Kept ten minutes past expiry, so a late answer to a used challenge still hears "already used", not "unknown".
        maintenance.add(table: "signature_challenges") {
            try SignatureChallenges.purgeExpired(before: clock.now().addingTimeInterval(-600), limit: $0, database: database)
        }
    }

    private static func openDatabase(_ configuration: Configuration, logger: Logger) throws -> Database {
        var options = Database.Options()
        options.readers = configuration.database.readers
        options.busyTimeoutMilliseconds = configuration.database.busyTimeoutMilliseconds
        return try Database(path: configuration.database.path, options: options, logger: logger)
    }
}
