import Audit
import Crypto
import Foundation
import HeadCA
import PKI
import Storage
import Support

/// The head CA trust store and the jobs that keep it current, built from the `headca` configuration section.
public final class HeadCAComponents: Sendable {
    /// Verifies certificates against the head CA roots, accredited CAs and CRLs; for the e-signature login.
    public let trustStore: TrustStore
    /// Accredit, suspend, terminate, trusted-list import.
    public let accreditations: AccreditationRegistry
    /// CRL import and the refresh addresses.
    public let crls: CRLRegistry
    let refresher: CRLRefresher
    let watcher: TrustStoreWatcher

    private init(trustStore: TrustStore, accreditations: AccreditationRegistry, crls: CRLRegistry, refresher: CRLRefresher,
                 watcher: TrustStoreWatcher) {
        self.trustStore = trustStore
        self.accreditations = accreditations
        self.crls = crls
        self.refresher = refresher
        self.watcher = watcher
    }

    /// Loads the roots and the store; starts nothing. Unreadable or unusable root files throw `ConfigurationError`.
    static func make(configuration: Configuration, database: Database, audit: AuditLog, clock: any WallClock, logger: Logger,
                     fetcher: any CRLFetching = HTTPCRLFetcher()) throws -> HeadCAComponents {
        let section = configuration.headca
        var settings = TrustSettings()
        settings.revocation = switch section.revocation {
        case .require: .require
        case .ifAvailable: .ifAvailable
        case .off: .off
        }
        settings.maxCRLAge = TimeInterval(section.maxCRLAgeHours) * 3600
        let ifAvailableRoots = try loadRoots(section.rootsRevocationIfAvailable, key: "headca.rootsRevocationIfAvailable")
        let uncheckedRoots = try loadRoots(section.rootsRevocationOff, key: "headca.rootsRevocationOff")
        for root in ifAvailableRoots { settings.revocationByRoot[root.sha1ThumbprintHex] = .ifAvailable }
        for root in uncheckedRoots { settings.revocationByRoot[root.sha1ThumbprintHex] = .off }
        let roots = try loadRoots(section.roots) + ifAvailableRoots + uncheckedRoots
        let store = try TrustStore(database: database, roots: roots, settings: settings)
        let crls = CRLRegistry(database: database, trustStore: store, audit: audit, clock: clock)
        return HeadCAComponents(
            trustStore: store, accreditations: AccreditationRegistry(database: database, trustStore: store, audit: audit, clock: clock),
            crls: crls,
            refresher: CRLRefresher(registry: crls, fetcher: fetcher, interval: TimeInterval(section.crlRefreshMinutes) * 60, logger: logger),
            watcher: TrustStoreWatcher(trustStore: store, logger: logger))
    }

    /// Every certificate of every root file; each must be a CA certificate. All problems are reported together.
    static func loadRoots(_ files: [String], key: String = "headca.roots") throws -> [Certificate] {
        try? GOSTEngine.load()  // GOST roots need the engine to decode their keys
        var roots: [Certificate] = []
        var problems: [ConfigurationProblem] = []
        for file in files {
            do {
                for certificate in try Certificate.loadChain(pemFile: file) {
                    guard certificate.isCA else {
                        problems.append(ConfigurationProblem(key: key, message: "\(file): \(certificate.subjectDescription) is not a CA certificate"))
                        continue
                    }
                    roots.append(certificate)
                }
            } catch {
                problems.append(ConfigurationProblem(key: key, message: "\(file) holds no readable PEM certificate (\(error))"))
            }
        }
        if !problems.isEmpty { throw ConfigurationError(code: .invalid, problems: problems) }
        return roots
    }

    /// The trust store's migrations.
    static var migrations: [Migration] { HeadCAMigrations.all }

    func start() {
        watcher.start()
        refresher.start()
    }

    func stop() {
        refresher.stop()
        watcher.stop()
    }
}
