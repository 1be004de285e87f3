import Activation
import Citizens
import Foundation
import HeadCA
import OpenESIAServer
import Support

/// Runs a parsed command and turns every outcome into an exit status.
enum Commands {
    /// Parses and runs; the whole of `main`.
    static func main(_ arguments: [String], environment: [String: String], console: Console,
                     currentDirectory: String = FileManager.default.currentDirectoryPath) -> Int32 {
        let command: Command
        do {
            command = try CommandLineArguments.parse(arguments)
        } catch {
            console.err("openesia: \(error.message)\n")
            console.err(error.command.map { "Run 'openesia help \($0)' for its options.\n" }
                ?? "Run 'openesia help' for the list of commands.\n")
            return ExitCode.usage.rawValue
        }
        return run(command, environment: environment, console: console, currentDirectory: currentDirectory)
    }

    /// Runs one command.
    static func run(_ command: Command, environment: [String: String], console: Console, currentDirectory: String) -> Int32 {
        switch command {
        case .version:
            console.out("openesia \(openESIAVersion)\n")
            return ExitCode.ok.rawValue
        case .help(let topic):
            console.out(topic.flatMap(CommandSpec.named).map(Usage.command) ?? Usage.general)
            return ExitCode.ok.rawValue
        case .configDocs:
            console.out(Configuration.documentationPage)
            return ExitCode.ok.rawValue
        case .serve(let file):
            return withConfiguration(file, environment, console, currentDirectory) { configuration, logger in
                try runServer(configuration: configuration, logger: logger)
            }
        case .migrate(let file):
            return withConfiguration(file, environment, console, currentDirectory) { configuration, logger in
                let applied = try runMigrations(configuration: configuration, logger: logger)
                logger.info("migrations done", ["applied": applied.map(String.init).joined(separator: ",")])
                return ExitCode.ok.rawValue
            }
        case .initialize(let options):
            return initialize(options, console: console, currentDirectory: currentDirectory)
        case .registryImport(let file, let csv):
            return withConfiguration(file, environment, console, currentDirectory) { configuration, logger in
                let path = csv.hasPrefix("/") ? csv : currentDirectory + "/" + csv
                let count = try AdminCommands.importRegistry(configuration: configuration, logger: logger, csvFile: path)
                console.out("Imported \(count) people into the reference registry.\n")
                return ExitCode.ok.rawValue
            }
        case .rotateDataKey(let file):
            return withConfiguration(file, environment, console, currentDirectory) { configuration, logger in
                let (keyID, rows, signingKeys, staff) = try AdminCommands.rotateDataKey(configuration: configuration, logger: logger)
                console.out("New data key \(keyID) is current; re-encrypted \(rows) document rows and re-sealed \(signingKeys) signing keys "
                            + "and the secrets of \(staff) staff accounts. Keep the old keys until backups age out.\n")
                return ExitCode.ok.rawValue
            }
        case .keysRotate(let file, let algorithms):
            return withConfiguration(file, environment, console, currentDirectory) { configuration, logger in
                let keys = try FederationKeyCommands.rotate(configuration: configuration, logger: logger, algorithms: algorithms)
                console.out(FederationKeyCommands.summary(of: keys))
                return ExitCode.ok.rawValue
            }
        case .keysList(let file):
            return withConfiguration(file, environment, console, currentDirectory) { configuration, logger in
                console.out(FederationKeyCommands.table(try FederationKeyCommands.list(configuration: configuration, logger: logger)))
                return ExitCode.ok.rawValue
            }
        case .auditHead(let file):
            return withConfiguration(file, environment, console, currentDirectory) { configuration, logger in
                guard let head = try AdminCommands.auditHead(configuration: configuration, logger: logger) else {
                    console.out("The audit log is empty.\n")
                    return ExitCode.ok.rawValue
                }
                console.out("\(head.sequence):\(Hex.encode(head.hash))\n")
                return ExitCode.ok.rawValue
            }
        case .auditVerify(let file, let anchorText):
            return withConfiguration(file, environment, console, currentDirectory) { configuration, logger in
                var anchor: (sequence: Int64, hash: [UInt8])?
                if let anchorText {
                    let parts = anchorText.split(separator: ":")
                    guard parts.count == 2, let sequence = Int64(parts[0]), sequence > 0, let hash = Hex.decode(String(parts[1])), hash.count == 32 else {
                        console.err("--anchor must be SEQ:HASH as `openesia audit head` prints it.\n")
                        return ExitCode.usage.rawValue
                    }
                    anchor = (sequence, hash)
                }
                switch try AdminCommands.verifyAudit(configuration: configuration, logger: logger, anchor: anchor) {
                case .intact(let records):
                    console.out("Audit log intact: \(records) records.\n")
                    return ExitCode.ok.rawValue
                case .broken(let sequence, let reason):
                    console.err("Audit log BROKEN at record \(sequence): \(reason)\n")
                    return ExitCode.dataError.rawValue
                }
            }
        case .centresImport(let file, let csv):
            return withConfiguration(file, environment, console, currentDirectory) { configuration, logger in
                let path = csv.hasPrefix("/") ? csv : currentDirectory + "/" + csv
                let count = try StaffCommands.importCentres(configuration: configuration, logger: logger, csvFile: path)
                console.out("Imported \(count) service centres.\n")
                return ExitCode.ok.rawValue
            }
        case .staffAdd(let file, let options):
            return withConfiguration(file, environment, console, currentDirectory) { configuration, logger in
                guard let password = console.readSecret("Password for \(options.login) (12+ characters): "), !password.isEmpty else {
                    console.err("openesia: staff add reads the password from the first line of standard input; none was given\n")
                    return ExitCode.noInput.rawValue
                }
                let enrolment = try StaffCommands.addStaff(configuration: configuration, logger: logger, login: options.login,
                                                           displayName: options.name, role: options.role, centreID: options.centre,
                                                           snils: options.snils, password: password)
                let place = options.centre.map { " at \($0.uppercased())" } ?? ""
                console.out("""
                    Created staff account \(enrolment.staffID): \(options.login.lowercased()), \(options.role)\(place).

                    Enrol the authenticator app now: this URI holds the TOTP secret and is shown only this once
                    (if it is lost, an administrator resets the TOTP). Open it on the phone or turn it into a QR code:

                      \(enrolment.totpURI)

                    """)
                return ExitCode.ok.rawValue
            }
        case .portalAdd(let file, let options):
            return withConfiguration(file, environment, console, currentDirectory) { configuration, logger in
                let added = try PortalCommands.add(configuration: configuration, logger: logger, options: options, currentDirectory: currentDirectory)
                console.out("Registered portal \(added.clientID) (\(added.summary)).\n")
                if let secret = added.secret {
                    console.out("""

                        Client secret, shown only this once: only a keyed hash of it is stored, so it cannot be shown again
                        (if it is lost, make a new one with 'openesia portal rotate-secret \(added.clientID)'):

                          \(secret)

                        """)
                } else {
                    console.out("It authenticates without a client secret.\n")
                }
                return ExitCode.ok.rawValue
            }
        case .portalList(let file):
            return withConfiguration(file, environment, console, currentDirectory) { configuration, logger in
                console.out(try PortalCommands.list(configuration: configuration, logger: logger))
                return ExitCode.ok.rawValue
            }
        case .portalShow(let file, let clientID):
            return withConfiguration(file, environment, console, currentDirectory) { configuration, logger in
                console.out(try PortalCommands.show(configuration: configuration, logger: logger, clientID: clientID))
                return ExitCode.ok.rawValue
            }
        case .portalDisable(let file, let clientID), .portalEnable(let file, let clientID):
            let enable: Bool = if case .portalEnable = command { true } else { false }
            return withConfiguration(file, environment, console, currentDirectory) { configuration, logger in
                let changed = try PortalCommands.setEnabled(enable, configuration: configuration, logger: logger, clientID: clientID)
                let state = enable ? "enabled" : "disabled"
                console.out(changed ? "Portal \(clientID) is \(state).\n" : "Portal \(clientID) was already \(state); nothing changed.\n")
                return ExitCode.ok.rawValue
            }
        case .portalRotateSecret(let file, let clientID, let grace):
            return withConfiguration(file, environment, console, currentDirectory) { configuration, logger in
                let rotated = try PortalCommands.rotateSecret(configuration: configuration, logger: logger, clientID: clientID, graceSeconds: grace)
                let previous = rotated.previousValidUntil.map { "The previous secret keeps working until \(Timestamp.iso8601($0)).\n" }
                    ?? "The previous secret no longer works.\n"
                console.out("""
                    New client secret for \(clientID), shown only this once:

                      \(rotated.secret)

                    \(previous)
                    """)
                return ExitCode.ok.rawValue
            }
        case .devSeed(let file, let count, let password):
            return withConfiguration(file, environment, console, currentDirectory) { configuration, logger in
                let (created, seconds) = try AdminCommands.seedCitizens(configuration: configuration, logger: logger, count: count,
                                                                        password: password)
                let rate = seconds > 0 ? Int(Double(created) / seconds) : created
                console.out("Seeded \(created) citizens in \(String(format: "%.1f", seconds)) s (\(rate)/s).\n")
                return ExitCode.ok.rawValue
            }
        case .lettersExport(let file, let folder):
            return withConfiguration(file, environment, console, currentDirectory) { configuration, logger in
                let path = folder.hasPrefix("/") ? folder : currentDirectory + "/" + folder
                guard let batch = try ActivationCommands.exportLetters(configuration: configuration, logger: logger, outputDirectory: path) else {
                    console.out("No pending letter orders; nothing written.\n")
                    return ExitCode.ok.rawValue
                }
                console.out("Batch \(batch.id): \(batch.letters) letters\n  \(batch.csvFile)\n  \(batch.htmlFile)\n")
                if batch.requeued > 0 { console.out("Reissued \(batch.requeued) letters of an unfinished earlier export.\n") }
                if batch.withoutAddress > 0 { console.out("Cancelled \(batch.withoutAddress) orders without a postal address.\n") }
                if !batch.voided.isEmpty {
                    console.err("Do NOT post these letters (cancelled during export): \(batch.voided.map(String.init).joined(separator: ", "))\n")
                }
                return ExitCode.ok.rawValue
            }
        case .lettersMark(let file, let id, let state, let tracking):
            return withConfiguration(file, environment, console, currentDirectory) { configuration, logger in
                try ActivationCommands.markLetter(configuration: configuration, logger: logger, letterID: id, state: state, trackingNumber: tracking)
                console.out("Letter \(id) is \(state.rawValue).\n")
                return ExitCode.ok.rawValue
            }
        case .devRequestLetters(let file):
            return withConfiguration(file, environment, console, currentDirectory) { configuration, logger in
                let started = Date()
                let count = try ActivationCommands.requestLettersForAll(configuration: configuration, logger: logger)
                console.out("Ordered \(count) letters in \(String(format: "%.1f", Date().timeIntervalSince(started))) s.\n")
                return ExitCode.ok.rawValue
            }
        case .devMeasureCodeChecks(let file, let seconds, let threads):
            return withConfiguration(file, environment, console, currentDirectory) { configuration, logger in
                let result = try ActivationCommands.measureCodeChecks(configuration: configuration, logger: logger, seconds: seconds, threads: threads)
                console.out("\(result.checks) code checks on \(result.threads) threads in \(String(format: "%.2f", result.seconds)) s: "
                    + "\(Int(result.perSecond))/s\n")
                return ExitCode.ok.rawValue
            }
        case .devMeasureLookups(let file, let samples):
            return withConfiguration(file, environment, console, currentDirectory) { configuration, logger in
                let measured = try AdminCommands.measureLookups(configuration: configuration, logger: logger, samples: samples)
                console.out(measured.json + "\n")
                return measured.found == measured.samples && measured.samples > 0 ? ExitCode.ok.rawValue : ExitCode.dataError.rawValue
            }
        case .devCA(let devCA):
            return runDevCA(devCA, console: console, currentDirectory: currentDirectory)
        case .signature(let signature):
            return runSignature(signature, console: console, currentDirectory: currentDirectory)
        case .devMeasureJWS(let seconds):
            do {
                for measurement in try FederationKeyCommands.measureJWS(seconds: seconds) { console.out(measurement.json + "\n") }
                return ExitCode.ok.rawValue
            } catch {
                console.err("openesia dev measure-jws: \(error)\n")
                return ExitCode.software.rawValue
            }
        case .caAccredit, .caSuspend, .caTerminate, .caList, .caImportTSL, .caImportCRL, .caFetchCRLs:
            return runCA(command, environment: environment, console: console, currentDirectory: currentDirectory)
        case .devScryptReference(let seconds, let threads, let costLog2):
            do {
                let (hashes, elapsed) = try AdminCommands.scryptReference(seconds: Double(seconds), threads: threads, costLog2: costLog2)
                let rate = String(format: "%.2f", Double(hashes) / elapsed)
                console.out("{\"threads\":\(threads),\"cost_log2\":\(costLog2),\"hashes\":\(hashes),"
                            + "\"seconds\":\(String(format: "%.3f", elapsed)),\"hashes_per_second\":\(rate)}\n")
                return ExitCode.ok.rawValue
            } catch {
                console.err("openesia dev scrypt-reference: \(error)\n")
                return ExitCode.software.rawValue
            }
        }
    }

    /// Loads the configuration (problems go to stderr, status 78), logs its warnings, then runs `body`.
    private static func withConfiguration(_ file: String, _ environment: [String: String], _ console: Console, _ currentDirectory: String,
                                          _ body: (Configuration, Logger) throws -> Int32) -> Int32 {
        let loaded: LoadedConfiguration
        do {
            loaded = try ConfigurationLoader.load(file: file, environment: environment, currentDirectory: currentDirectory)
        } catch {
            console.err(error.code == .invalid ? "openesia: configuration problems:\n" : "openesia: configuration:\n")
            for problem in error.problems { console.err("  \(problem)\n") }
            return ExitCode.configuration.rawValue
        }
        let logger = Logger(minimumLevel: loaded.configuration.log.level, sink: console.logSink)
        for warning in loaded.warnings { logger.warning(warning) }
        do {
            return try body(loaded.configuration, logger)
        } catch let error as ConfigurationError {
            logger.error("configuration error", ["problems": error.description])
            return ExitCode.configuration.rawValue
        } catch let error as ActivationError {
            console.err("openesia: \(activationMessage(error.code))\n")
            switch error.code {
            case .exportFailed: return ExitCode.ioError.rawValue
            case .exportInProgress: return ExitCode.unavailable.rawValue
            default: return ExitCode.dataError.rawValue
            }
        } catch let error as RegistryImportError {
            console.err("openesia: the file was not imported; nothing changed:\n\(error.description)\n")
            return ExitCode.dataError.rawValue
        } catch let error as CentreImportError {
            console.err("openesia: \(error.description)\n")
            return ExitCode.dataError.rawValue
        } catch let error as HeadCAError {
            console.err("openesia: \(error.description)\n")
            return ExitCode.dataError.rawValue
        } catch let error where FederationKeyCommands.message(for: error) != nil {
            console.err("openesia: \(FederationKeyCommands.message(for: error)!)\n")
            return ExitCode.dataError.rawValue
        } catch let error as StaffError {
            console.err("openesia: \(StaffCommands.explain(error))\n")
            return ExitCode.dataError.rawValue
        } catch let error as PortalCommandError {
            console.err("openesia: \(error.message)\n")
            switch error.kind {
            case .invalid: return ExitCode.dataError.rawValue
            case .duplicate: return ExitCode.cannotCreate.rawValue
            case .notFound: return ExitCode.noInput.rawValue
            }
        } catch let error as CocoaError where error.code == .fileReadNoSuchFile || error.code == .fileNoSuchFile {
            console.err("openesia: no such file: \(error.userInfo[NSFilePathErrorKey] ?? "")\n")
            return ExitCode.noInput.rawValue
        } catch let error as CocoaError where error.code == .fileReadUnknownStringEncoding || error.code == .fileReadInapplicableStringEncoding {
            console.err("openesia: the file is not UTF-8 text\n")
            return ExitCode.dataError.rawValue
        } catch {
            logger.error("stopped by an error", ["error": String(describing: error)])
            return ExitCode.software.rawValue
        }
    }

    /// The trust-store commands (`openesia ca …`).
    private static func runCA(_ command: Command, environment: [String: String], console: Console, currentDirectory: String) -> Int32 {
        func absolute(_ path: String) -> String { path.hasPrefix("/") ? path : currentDirectory + "/" + path }
        func describe(_ ca: AccreditedCA) -> String {
            let periods = ca.periods.map { HeadCA.formatDate($0.from) + ".." + ($0.until.map(HeadCA.formatDate) ?? "open") }
            return "CA \(ca.id) (\(ca.thumbprint)): \(ca.subject)\n  periods: \(periods.isEmpty ? "-" : periods.joined(separator: ", "))\n"
        }
        switch command {
        case .caAccredit(let file, let certificate, let from, let until):
            return withConfiguration(file, environment, console, currentDirectory) { configuration, logger in
                let ca = try HeadCACommands.accredit(configuration: configuration, logger: logger, certificateFile: absolute(certificate),
                                                     from: from, until: until)
                console.out("Accredited " + describe(ca))
                return ExitCode.ok.rawValue
            }
        case .caSuspend(let file, let reference), .caTerminate(let file, let reference):
            let terminate = if case .caTerminate = command { true } else { false }
            return withConfiguration(file, environment, console, currentDirectory) { configuration, logger in
                let ca = terminate
                    ? try HeadCACommands.terminate(configuration: configuration, logger: logger, reference: reference)
                    : try HeadCACommands.suspend(configuration: configuration, logger: logger, reference: reference)
                console.out((terminate ? "Terminated " : "Suspended ") + describe(ca)
                    + (terminate ? "It cannot be accredited again.\n" : "Accredit it again to open a new period.\n"))
                return ExitCode.ok.rawValue
            }
        case .caList(let file):
            return withConfiguration(file, environment, console, currentDirectory) { configuration, logger in
                console.out(try HeadCACommands.list(configuration: configuration, logger: logger))
                return ExitCode.ok.rawValue
            }
        case .caImportTSL(let file, let xml):
            return withConfiguration(file, environment, console, currentDirectory) { configuration, logger in
                console.out(try HeadCACommands.importTrustedList(configuration: configuration, logger: logger, file: absolute(xml)).summary)
                return ExitCode.ok.rawValue
            }
        case .caImportCRL(let file, let crl):
            return withConfiguration(file, environment, console, currentDirectory) { configuration, logger in
                switch try HeadCACommands.importCRL(configuration: configuration, logger: logger, file: absolute(crl)) {
                case .accepted(let issuer, let thisUpdate):
                    console.out("Accepted the CRL of \(issuer) issued \(HeadCA.formatDate(thisUpdate)).\n")
                    return ExitCode.ok.rawValue
                case .unchanged(let issuer):
                    console.out("The CRL of \(issuer) is already stored (same or same age); nothing changed.\n")
                    return ExitCode.ok.rawValue
                case .rejected(let rejection):
                    console.err("openesia: CRL rejected, the stored CRL stays: \(rejection.description)\n")
                    return ExitCode.dataError.rawValue
                }
            }
        case .caFetchCRLs(let file):
            return withConfiguration(file, environment, console, currentDirectory) { configuration, logger in
                let report = try HeadCACommands.fetchCRLs(configuration: configuration, logger: logger)
                for (url, result) in report.results {
                    switch result {
                    case .fetched(.accepted(let issuer, _)): console.out("accepted   \(url)  \(issuer)\n")
                    case .fetched(.unchanged): console.out("unchanged  \(url)\n")
                    case .fetched(.rejected(let rejection)): console.out("rejected   \(url)  \(rejection.description)\n")
                    case .failed(let reason): console.out("failed     \(url)  \(reason)\n")
                    }
                }
                console.out("\(report.results.count) addresses: \(report.accepted) accepted, \(report.rejected) rejected, \(report.failed) failed.\n")
                if report.failed > 0 { return ExitCode.unavailable.rawValue }
                return report.rejected > 0 ? ExitCode.dataError.rawValue : ExitCode.ok.rawValue
            }
        default:
            return ExitCode.software.rawValue
        }
    }

    /// One line for an activation error an operator can act on.
    private static func activationMessage(_ code: ActivationError.Code) -> String {
        switch code {
        case .notFound: "no such letter"
        case .invalidTransition(let from, let to): "a \(from.rawValue) letter cannot become \(to.rawValue); letters only move forward"
        case .invalidTrackingNumber: "not a Russian Post tracking number (14 digits, or S10 like RA123456785RU)"
        case .exportInProgress: "another export is running (its batch wrote a page in the last two minutes); try again later"
        case .exportFailed(let reason): "export failed, nothing of the unfinished page was marked printed: \(reason)"
        default: "\(code)"
        }
    }

    private static func initialize(_ options: InitOptions, console: Console, currentDirectory: String) -> Int32 {
        let keys: DataFolder.KeySource = options.generateKeys ? .generate : .copy(from: options.keysFrom ?? InitOptions.defaultKeysFolder)
        let created: DataFolder.Created
        do {
            created = try DataFolder.create(at: options.dataFolder, keys: keys, force: options.force, currentDirectory: currentDirectory)
        } catch {
            console.err("openesia init: \(error.message)\n")
            switch error.code {
            case .alreadyExists: return ExitCode.cannotCreate.rawValue
            case .keysNotFound: return ExitCode.noInput.rawValue
            case .keyGenerationFailed: return ExitCode.software.rawValue
            default: return ExitCode.ioError.rawValue
            }
        }
        console.out("""
            Created \(created.folder)
              config.json  defaults: plain HTTP on 127.0.0.1:8080, database openesia.sqlite3
              keys/        \(created.keyFiles.count) files

            Next: openesia migrate --config \(options.dataFolder)/config.json
                  openesia serve --config \(options.dataFolder)/config.json

            """)
        if created.developmentKeys {
            console.err("warning: keys/ holds the public development keys; never use them in production\n")
        }
        return ExitCode.ok.rawValue
    }
}
