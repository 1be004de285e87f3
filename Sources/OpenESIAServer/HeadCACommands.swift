import Audit
import Crypto
import Foundation
import HeadCA
import PKI
import Storage
import Support

/// The operator's trust-store commands (`openesia ca …`): each opens the database (applying migrations), does one
/// job and closes it. Safe beside a running server, which notices the change within seconds (TrustStoreWatcher).
public enum HeadCACommands {
    /// `openesia ca accredit CERT [--from DATE] [--until DATE]`: CERT in PEM or DER.
    public static func accredit(configuration: Configuration, logger: Logger, certificateFile: String, from: Date?, until: Date?) throws
        -> AccreditedCA {
        let certificate = try readCertificate(certificateFile)
        return try withComponents(configuration, logger) { try $0.accreditations.accredit(certificate, from: from, until: until) }
    }

    /// `openesia ca suspend ID|THUMBPRINT`.
    public static func suspend(configuration: Configuration, logger: Logger, reference: CAReference) throws -> AccreditedCA {
        try withComponents(configuration, logger) { try $0.accreditations.suspend(reference) }
    }

    /// `openesia ca terminate ID|THUMBPRINT`.
    public static func terminate(configuration: Configuration, logger: Logger, reference: CAReference) throws -> AccreditedCA {
        try withComponents(configuration, logger) { try $0.accreditations.terminate(reference) }
    }

    /// `openesia ca list`: the table of CAs as of now.
    public static func list(configuration: Configuration, logger: Logger) throws -> String {
        try withComponents(configuration, logger) { components in
            let version = try components.accreditations.trustedListVersion()
            return table(try components.accreditations.list(), at: Date())
                + "Head CA roots: \(components.trustStore.roots.count); trusted list version: \(version.map(String.init) ?? "none")\n"
        }
    }

    /// `openesia ca import-tsl FILE.xml`.
    public static func importTrustedList(configuration: Configuration, logger: Logger, file: String) throws -> TrustedListImportReport {
        let xml = [UInt8](try Data(contentsOf: URL(fileURLWithPath: file)))
        return try withComponents(configuration, logger) { try $0.accreditations.importTrustedList(xml) }
    }

    /// `openesia ca import-crl FILE`: DER or PEM.
    public static func importCRL(configuration: Configuration, logger: Logger, file: String) throws -> CRLImportOutcome {
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: file)))
        return try withComponents(configuration, logger) { try $0.crls.importCRL(bytes, source: file) }
    }

    /// `openesia ca fetch-crls`: one refresh round now.
    public static func fetchCRLs(configuration: Configuration, logger: Logger) throws -> CRLRefreshReport {
        try withComponents(configuration, logger) { components in
            let done = DispatchSemaphore(value: 0)
            let slot = ReportSlot()
            let refresher = components.refresher
            Task.detached {
                slot.report = await refresher.refreshOnce(actor: "operator")
                done.signal()
            }
            done.wait()
            return slot.report ?? CRLRefreshReport()
        }
    }

    /// The table `ca list` prints: id, thumbprint, subject, state at `now`, periods.
    public static func table(_ cas: [AccreditedCA], at now: Date) -> String {
        let header = ["ID", "THUMBPRINT (SHA-1)", "SUBJECT", "STATE", "PERIODS"]
        let rows = cas.map { ca -> [String] in
            let periods = ca.periods.map { HeadCA.formatDate($0.from) + ".." + ($0.until.map(HeadCA.formatDate) ?? "open") }
            var state = ca.state(at: now).rawValue
            if let terminatedAt = ca.terminatedAt { state += " " + HeadCA.formatDate(terminatedAt) }
            return [String(ca.id), ca.thumbprint, ca.name.map { "\($0) (\(ca.subject))" } ?? ca.subject, state,
                    periods.isEmpty ? "-" : periods.joined(separator: ", ")]
        }
        guard !rows.isEmpty else { return "No CAs in the trust store.\n" }
        let widths = (0..<header.count - 1).map { column in ([header] + rows).map { $0[column].count }.max() ?? 0 }
        return ([header] + rows).map { row in
            row.enumerated().map { index, cell in
                index < widths.count ? cell.padding(toLength: widths[index], withPad: " ", startingAt: 0) : cell
            }.joined(separator: "  ")
        }.joined(separator: "\n") + "\n"
    }

    /// A certificate file in PEM (first certificate) or DER.
    static func readCertificate(_ file: String) throws -> Certificate {
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: file)))
        try? GOSTEngine.load()
        do {
            if bytes.starts(with: Array("-----BEGIN".utf8)) { return try Certificate(pem: String(decoding: bytes, as: UTF8.self)) }
            return try Certificate(der: bytes)
        } catch {
            throw HeadCAError(.unreadableCertificate("\(file): \(error)"))
        }
    }

    private static func withComponents<T>(_ configuration: Configuration, _ logger: Logger, _ body: (HeadCAComponents) throws -> T) throws -> T {
        var options = Database.Options()
        options.readers = configuration.database.readers
        options.busyTimeoutMilliseconds = configuration.database.busyTimeoutMilliseconds
        let database = try Database(path: configuration.database.path, options: options, logger: logger)
        defer { database.close() }
        try database.migrate(Migrations.all)
        let clock = SystemClock()
        let audit = try AuditLog(key: try KeyDirectory.secret(.audit, in: configuration.keys.directory).bytes, clock: clock)
        let components = try HeadCAComponents.make(configuration: configuration, database: database, audit: audit, clock: clock, logger: logger)
        return try body(components)
    }
}

/// Carries the refresh report from the task back to the waiting command.
private final class ReportSlot: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: CRLRefreshReport?
    var report: CRLRefreshReport? {
        get { lock.lock(); defer { lock.unlock() }; return stored }
        set { lock.lock(); stored = newValue; lock.unlock() }
    }
}
