import Foundation
import Testing
@testable import openesia
import OpenESIAServer
import Support

private func parse(_ line: String) throws(UsageError) -> Command {
    try CommandLineArguments.parse(line.split(separator: " ").map(String.init))
}

private func usageError(_ line: String) -> UsageError? {
    do {
        _ = try parse(line)
        return nil
    } catch {
        return error
    }
}

/// Captures what a command writes.
private final class Output {
    var out = ""
    var err = ""
    let log = MemorySink()
    var console: Console { Console(out: { self.out += $0 }, err: { self.err += $0 }, logSink: log) }
}

private func temporaryFolder() -> String {
    var template = Array((NSTemporaryDirectory() + "/openesia-cli-XXXXXX").utf8CString)
    let made = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
    return (String(cString: made!) as NSString).standardizingPath
}

@Suite struct CommandLineTests {
    @Test func eachCommandParses() throws {
        #expect(try parse("serve") == .serve(configFile: "data/config.json"))
        #expect(try parse("serve --config x.json") == .serve(configFile: "x.json"))
        #expect(try parse("serve --config=x.json") == .serve(configFile: "x.json"))
        #expect(try parse("migrate --config /etc/openesia.json") == .migrate(configFile: "/etc/openesia.json"))
        #expect(try parse("init") == .initialize(InitOptions()))
        #expect(try parse("init --data d --keys-from k --force")
            == .initialize(InitOptions(dataFolder: "d", keysFrom: "k", generateKeys: false, force: true)))
        #expect(try parse("init --generate-keys") == .initialize(InitOptions(generateKeys: true)))
        #expect(try parse("version") == .version)
        #expect(try parse("--version") == .version)
        #expect(try parse("help") == .help(topic: nil))
        #expect(try parse("help init") == .help(topic: "init"))
        #expect(try parse("help config") == .help(topic: "config docs"))
        #expect(try parse("help config docs") == .help(topic: "config docs"))
        #expect(try parse("config docs") == .configDocs)
    }

    @Test func operatorSubcommandsParse() throws {
        #expect(try parse("registry import people.csv") == .registryImport(configFile: "data/config.json", csvFile: "people.csv"))
        #expect(try parse("registry import --config c.json people.csv") == .registryImport(configFile: "c.json", csvFile: "people.csv"))
        #expect(try parse("keys rotate-data-key") == .rotateDataKey(configFile: "data/config.json"))
        #expect(try parse("audit verify --config c.json") == .auditVerify(configFile: "c.json", anchor: nil))
        #expect(try parse("audit verify --anchor 12:ab") == .auditVerify(configFile: "data/config.json", anchor: "12:ab"))
        #expect(try parse("audit head") == .auditHead(configFile: "data/config.json"))
        #expect(try parse("dev seed --citizens 1000") == .devSeed(configFile: "data/config.json", citizens: 1000, password: "Seed-Password-2026"))
    }

    @Test func operatorSubcommandsRefuseBadInput() {
        #expect(usageError("registry import")?.message == "missing FILE for registry import")
        #expect(usageError("registry import a.csv b.csv")?.message == "unexpected argument b.csv for registry import")
        #expect(usageError("registry")?.message.hasPrefix("registry needs a subcommand") == true)
        #expect(usageError("keys rotate-data-ky")?.message.contains("did you mean rotate-data-key?") == true)
        #expect(usageError("dev seed")?.message == "--citizens needs a number from 1 to 10000000")
        #expect(usageError("dev seed --citizens 0")?.message == "--citizens needs a number from 1 to 10000000")
        #expect(usageError("dev seed --citizens many")?.message == "--citizens needs a number from 1 to 10000000")
    }

    @Test func helpFlagWorksOnEveryCommand() throws {
        #expect(try parse("--help") == .help(topic: nil))
        #expect(try parse("-h") == .help(topic: nil))
        for name in ["serve", "migrate", "init", "version", "help"] {
            #expect(try parse("\(name) --help") == .help(topic: name))
            #expect(try parse("\(name) -h") == .help(topic: name))
        }
        #expect(try parse("config docs --help") == .help(topic: "config docs"))
        #expect(try parse("config --help") == .help(topic: "config docs"))
        #expect(try parse("serve --bogus --help") == .help(topic: "serve"))
    }

    @Test func usageErrorsNameTheProblem() {
        #expect(usageError("")?.message == "missing command")
        #expect(usageError("serv")?.message == "unknown command serv; did you mean serve?")
        #expect(usageError("frobnicate")?.message == "unknown command frobnicate")
        #expect(usageError("serve --confg x")?.message == "unknown option --confg for serve; did you mean --config?")
        #expect(usageError("serve --config")?.message == "missing value for --config PATH")
        #expect(usageError("serve --config --force")?.message == "missing value for --config PATH")
        #expect(usageError("serve --config=")?.message == "empty value for --config")
        #expect(usageError("serve --config a --config b")?.message == "--config given more than once")
        #expect(usageError("serve extra")?.message == "unexpected argument extra for serve")
        #expect(usageError("init --force=yes")?.message == "--force takes no value")
        #expect(usageError("init --generate-keys --keys-from k")?.message == "--keys-from and --generate-keys cannot be used together")
        #expect(usageError("version --config x")?.message == "unknown option --config for version")
        #expect(usageError("config")?.message == "config needs a subcommand: docs")
        #expect(usageError("config dosc")?.message == "unknown subcommand config dosc; did you mean docs?")
        #expect(usageError("help nothing")?.message == "unknown command nothing")
        #expect(usageError("--config x")?.message == "expected a command before --config")
        #expect(usageError("serve --prot 1")?.command == "serve")
    }

    @Test func devMeasurementCommandsParse() throws {
        #expect(try parse("dev measure-lookups") == .devMeasureLookups(configFile: "data/config.json", samples: 20_000))
        #expect(try parse("dev measure-lookups --config c.json --samples 500") == .devMeasureLookups(configFile: "c.json", samples: 500))
        #expect(try parse("dev scrypt-reference") == .devScryptReference(seconds: 10, threads: 2, costLog2: 15))
        #expect(try parse("dev scrypt-reference --seconds 3 --threads 4 --cost-log2 12") == .devScryptReference(seconds: 3, threads: 4, costLog2: 12))
        #expect(try parse("dev measure-lookups --help") == .help(topic: "dev measure-lookups"))
        #expect(usageError("dev measure-lookups --samples 0")?.message == "--samples needs a number from 1 to 10000000")
        #expect(usageError("dev scrypt-reference --cost-log2 9")?.message == "--cost-log2 needs a number from 10 to 20")
        #expect(usageError("dev scrypt-reference --threads x")?.message == "--threads needs a number from 1 to 64")
        #expect(usageError("dev scrypt-reference --config c.json")?.message == "unknown option --config for dev scrypt-reference")
        // Hidden benchmark commands are never suggested.
        #expect(usageError("dev measure-lookup")?.message == "unknown subcommand dev measure-lookup")
    }

    @Test func scryptReferencePrintsOneJSONLine() throws {
        let output = Output()
        #expect(Commands.main(["dev", "scrypt-reference", "--seconds", "1", "--threads", "1", "--cost-log2", "10"],
                              environment: [:], console: output.console) == 0)
        let object = try JSONSerialization.jsonObject(with: Data(output.out.utf8)) as? [String: Any]
        #expect((object?["hashes"] as? Int ?? 0) > 0)
        #expect((object?["hashes_per_second"] as? Double ?? 0) > 0)
    }

    @Test func seededCitizensAreFoundByMeasureLookups() throws {
        let folder = temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
        let environment = ["OPENESIA_CITIZENS_PASSWORD_COST_LOG2": "10"]
        let config = folder + "/data/config.json"
        #expect(Commands.main(["init", "--data", folder + "/data", "--keys-from", repository + "/keys-example"], environment: environment,
                              console: Output().console, currentDirectory: folder) == 0)
        let seed = Output()
        #expect(Commands.main(["dev", "seed", "--config", config, "--citizens", "30"], environment: environment, console: seed.console,
                              currentDirectory: folder) == 0)
        #expect(seed.out.hasPrefix("Seeded 30 citizens"))
        let measure = Output()
        #expect(Commands.main(["dev", "measure-lookups", "--config", config, "--samples", "50"], environment: environment,
                              console: measure.console, currentDirectory: folder) == 0)
        let object = try JSONSerialization.jsonObject(with: Data(measure.out.utf8)) as? [String: Any]
        #expect(object?["citizens"] as? Int == 30)
        #expect(object?["found"] as? Int == 50)
    }

    @Test func exitCodesFollowSysexits() {
        #expect(ExitCode.allCases.map(\.rawValue) == [0, 64, 65, 66, 69, 70, 73, 74, 78])
        #expect(Usage.general.contains("78  configuration file missing or invalid (EX_CONFIG)"))
    }

    @Test func usageErrorExitsWith64OnStderr() {
        let output = Output()
        #expect(Commands.main(["serve", "--prot", "1"], environment: [:], console: output.console) == 64)
        #expect(output.out == "")
        #expect(output.err.contains("unknown option --prot for serve"))
        #expect(output.err.contains("openesia help serve"))
    }

    @Test func versionHelpAndDocsPrintToStdout() {
        let output = Output()
        #expect(Commands.main(["version"], environment: [:], console: output.console) == 0)
        #expect(output.out == "openesia \(openESIAVersion)\n")
        let help = Output()
        #expect(Commands.main(["init", "--help"], environment: [:], console: help.console) == 0)
        #expect(help.out.contains("--generate-keys") && help.out.contains("Exit status:"))
        let docs = Output()
        #expect(Commands.main(["config", "docs"], environment: [:], console: docs.console) == 0)
        #expect(docs.out == Configuration.documentationPage)
    }

    @Test func configurationProblemsExitWith78() {
        let folder = temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let output = Output()
        #expect(Commands.main(["serve", "--config", "missing.json"], environment: [:], console: output.console, currentDirectory: folder) == 78)
        #expect(output.err.contains("missing.json: not found"))
        try? Data(#"{"http": {"port": -1}}"#.utf8).write(to: URL(fileURLWithPath: folder + "/config.json"))
        let invalid = Output()
        #expect(Commands.main(["migrate", "--config", "config.json"], environment: ["OPENESIA_LOG_LEVEL": "loud"],
                              console: invalid.console, currentDirectory: folder) == 78)
        #expect(invalid.err.contains("http.port: must be 0...65535, got -1"))
        #expect(invalid.err.contains("OPENESIA_LOG_LEVEL: must be one of"))
    }

    @Test func initThenMigrateLogsTheDevelopmentKeyWarning() throws {
        let folder = temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try FileManager.default.createDirectory(atPath: folder + "/keys-example/tls", withIntermediateDirectories: true)
        try Data("public".utf8).write(to: URL(fileURLWithPath: folder + "/keys-example/DEVELOPMENT-ONLY"))
        try Data("key".utf8).write(to: URL(fileURLWithPath: folder + "/keys-example/tls/localhost.key"))

        let first = Output()
        #expect(Commands.main(["init", "--data", "d"], environment: [:], console: first.console, currentDirectory: folder) == 0)
        #expect(first.out.contains("Created \(folder)/d"))
        #expect(first.err.contains("public development keys"))
        let again = Output()
        #expect(Commands.main(["init", "--data", "d"], environment: [:], console: again.console, currentDirectory: folder) == 73)
        #expect(again.err.contains("--force"))
        #expect(Commands.main(["init", "--data", "d", "--force"], environment: [:], console: Output().console, currentDirectory: folder) == 0)
        #expect(Commands.main(["init", "--data", "e", "--keys-from", "nowhere"], environment: [:],
                              console: Output().console, currentDirectory: folder) == 66)

        // migrate loads the configuration the way serve does, without blocking for a signal.
        let migrate = Output()
        #expect(Commands.main(["migrate", "--config", "d/config.json"], environment: [:], console: migrate.console, currentDirectory: folder) == 0)
        let warnings = migrate.log.lines.filter { $0.contains("\"level\":\"warning\"") && $0.contains("using development keys") }
        #expect(warnings.count == 1)
    }
}

@Suite struct LetterCommandTests {
    @Test func letterCommandsParse() throws {
        #expect(try parse("letters export --out out") == .lettersExport(configFile: "data/config.json", outputDirectory: "out"))
        #expect(try parse("letters export --config c.json --out=/srv/print")
            == .lettersExport(configFile: "c.json", outputDirectory: "/srv/print"))
        #expect(try parse("letters mark 12 --state dispatched --tracking RA123456785RU")
            == .lettersMark(configFile: "data/config.json", letterID: 12, state: .dispatched, trackingNumber: "RA123456785RU"))
        #expect(try parse("letters mark 12 --state returned")
            == .lettersMark(configFile: "data/config.json", letterID: 12, state: .returned, trackingNumber: nil))
        #expect(try parse("dev request-letters") == .devRequestLetters(configFile: "data/config.json"))
        #expect(try parse("dev measure-code-checks --threads 2 --seconds 1.5")
            == .devMeasureCodeChecks(configFile: "data/config.json", seconds: 1.5, threads: 2))
        #expect(try parse("letters export --help") == .help(topic: "letters export"))
    }

    @Test func letterCommandsRefuseBadInput() {
        #expect(usageError("letters")?.message == "letters needs a subcommand: export, mark")
        #expect(usageError("letters export")?.message == "letters export needs --out DIR")
        #expect(usageError("letters mark --state delivered")?.message == "missing ID for letters mark")
        #expect(usageError("letters mark x --state delivered")?.message == "letter ID must be a positive number")
        #expect(usageError("letters mark 1")?.message == "--state needs dispatched, delivered or returned")
        #expect(usageError("letters mark 1 --state printed")?.message == "--state needs dispatched, delivered or returned")
        #expect(usageError("letters mark 1 --state dispatched")?.message == "--state dispatched needs --tracking NUMBER")
        #expect(usageError("letters mark 1 --state delivered --tracking 10100012345678")?.message
            == "--tracking goes only with --state dispatched")
        #expect(usageError("dev measure-code-checks --threads 0")?.message == "--threads needs a number from 1 to 64")
        #expect(usageError("dev")?.message == "dev needs a subcommand: seed")
    }

    @Test func hiddenCommandsStayOutOfTheList() {
        #expect(Usage.general.contains("letters export") && Usage.general.contains("letters mark ID"))
        #expect(!Usage.general.contains("request-letters") && !Usage.general.contains("measure-code-checks"))
    }

    @Test func seedOrderExportAndMarkThroughTheCommandLine() throws {
        let folder = temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let keys = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("keys-example").path
        func run(_ arguments: String) -> (Int32, Output) {
            let output = Output()
            let status = Commands.main(arguments.split(separator: " ").map(String.init), environment: [:], console: output.console,
                                       currentDirectory: folder)
            return (status, output)
        }
        #expect(run("init --data d --keys-from \(keys)").0 == 0)
        #expect(run("dev seed --config d/config.json --citizens 3").0 == 0)
        let ordered = run("dev request-letters --config d/config.json")
        #expect(ordered.0 == 0 && ordered.1.out.hasPrefix("Ordered 3 letters"))
        let exported = run("letters export --config d/config.json --out print")
        #expect(exported.0 == 0 && exported.1.out.contains(" 3 letters"))
        let files = try FileManager.default.contentsOfDirectory(atPath: folder + "/print").sorted()
        #expect(files.count == 2 && files[0].hasSuffix(".csv") && files[1].hasSuffix(".html"))
        let csv = try String(contentsOfFile: folder + "/print/" + files[0], encoding: .utf8)
        let codes = csv.components(separatedBy: "\r\n").dropFirst().filter { !$0.isEmpty }
            .map { String($0.split(separator: ",", omittingEmptySubsequences: false)[9]) }
        #expect(codes.count == 3)
        #expect(run("letters export --config d/config.json --out print").1.out.hasPrefix("No pending letter orders"))
        #expect(run("letters mark 1 --config d/config.json --state dispatched --tracking 10100012345678").0 == 0)
        let backwards = run("letters mark 1 --config d/config.json --state dispatched --tracking 10100012345678")
        #expect(backwards.0 == 65 && backwards.1.err.contains("cannot become dispatched"))
        #expect(run("letters mark 99 --config d/config.json --state delivered").0 == 65)
        let measured = run("dev measure-code-checks --config d/config.json --seconds 0.2")
        #expect(measured.0 == 0 && measured.1.out.contains("code checks on 1 threads"))
        // Codes never reach the command's log lines.
        for output in [ordered.1, exported.1, measured.1] {
            for code in codes { #expect(!output.log.lines.joined().contains(code) && !output.out.contains(code)) }
        }
        #expect(run("audit verify --config d/config.json").0 == 0)
    }
}

extension CommandLineTests {
    @Test func trustStoreCommandsParse() throws {
        #expect(try parse("ca accredit ca.pem") == .caAccredit(configFile: "data/config.json", certificateFile: "ca.pem", from: nil, until: nil))
        #expect(try parse("ca accredit ca.der --from 2026-01-01 --until 2027-01-01T12:00:00Z --config c.json")
            == .caAccredit(configFile: "c.json", certificateFile: "ca.der", from: Date(timeIntervalSince1970: 1_767_225_600),
                           until: Date(timeIntervalSince1970: 1_798_804_800)))
        let thumbprint = String(repeating: "AB", count: 20)
        #expect(try parse("ca suspend 3") == .caSuspend(configFile: "data/config.json", reference: .id(3)))
        #expect(try parse("ca terminate \(thumbprint.lowercased())") == .caTerminate(configFile: "data/config.json", reference: .thumbprint(thumbprint)))
        #expect(try parse("ca list") == .caList(configFile: "data/config.json"))
        #expect(try parse("ca import-tsl tsl.xml") == .caImportTSL(configFile: "data/config.json", file: "tsl.xml"))
        #expect(try parse("ca import-crl root.crl") == .caImportCRL(configFile: "data/config.json", file: "root.crl"))
        #expect(try parse("ca fetch-crls") == .caFetchCRLs(configFile: "data/config.json"))
    }

    @Test func trustStoreCommandsRefuseBadInput() {
        #expect(usageError("ca accredit")?.message == "missing CERT for ca accredit")
        #expect(usageError("ca accredit ca.pem --from tomorrow")?.message.hasPrefix("--from needs an ISO 8601 date") == true)
        #expect(usageError("ca accredit ca.pem --from 2027-01-01 --until 2026-01-01")?.message == "--until must be after --from")
        #expect(usageError("ca suspend abc")?.message.hasPrefix("ca suspend needs a CA id or a SHA-1 thumbprint") == true)
        #expect(usageError("ca")?.message.hasPrefix("ca needs a subcommand") == true)
        #expect(usageError("ca acredit x")?.message == "unknown subcommand ca acredit; did you mean accredit?")
    }

    @Test func staffAndCentreCommandsParse() throws {
        #expect(try parse("centres import centres.csv") == .centresImport(configFile: "data/config.json", csvFile: "centres.csv"))
        #expect(try parse("centres import --config c.json x.csv") == .centresImport(configFile: "c.json", csvFile: "x.csv"))
        let add = try CommandLineArguments.parse(["staff", "add", "--login", "ivan", "--name", "Иван Петров", "--role", "operator",
                                                  "--centre", "MSK-001", "--snils", "112-233-445 95"])
        #expect(add == .staffAdd(configFile: "data/config.json", StaffAddOptions(login: "ivan", name: "Иван Петров", role: "operator",
                                                                                centre: "MSK-001", snils: "112-233-445 95")))
        #expect(try parse("staff add --config c.json --login root --name Root --role=service-admin")
            == .staffAdd(configFile: "c.json", StaffAddOptions(login: "root", name: "Root", role: "service-admin", centre: nil, snils: nil)))
        #expect(try parse("staff add --help") == .help(topic: "staff add"))
        #expect(try parse("help centres import") == .help(topic: "centres import"))
    }

    @Test func staffAndCentreCommandsRefuseBadInput() {
        #expect(usageError("centres import")?.message == "missing FILE for centres import")
        #expect(usageError("centres")?.message.hasPrefix("centres needs a subcommand") == true)
        #expect(usageError("staff")?.message == "staff needs a subcommand: add")
        #expect(usageError("staff ad")?.message == "unknown subcommand staff ad; did you mean add?")
        #expect(usageError("staff add --name N --role operator")?.message == "staff add needs --login")
        #expect(usageError("staff add --login l --role operator")?.message == "staff add needs --name")
        #expect(usageError("staff add --login l --name N")?.message == "staff add needs --role")
        #expect(usageError("staff add --login l --name N --role admin")?.message
            == "--role must be one of operator, centre-admin, service-admin")
        #expect(usageError("staff add --login l --name N --role operater")?.message.hasSuffix("did you mean operator?") == true)
        #expect(usageError("staff add --login l --name N --role operator --password secret")?.message
            == "staff add reads the password from standard input, never from an argument (it would show in ps)")
        #expect(usageError("staff add --login l --name N --role operator --password=secret")?.command == "staff add")
        #expect(usageError("staff add extra --login l --name N --role operator")?.message == "unexpected argument extra for staff add")
    }

    @Test func centresImportThenStaffAddOnARealDataFolder() throws {
        let folder = temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
        #expect(Commands.main(["init", "--data", "d", "--keys-from", root + "/keys-example"], environment: [:],
                              console: Output().console, currentDirectory: folder) == 0)
        let environment = ["OPENESIA_CITIZENS_PASSWORD_COST_LOG2": "10", "OPENESIA_LOG_LEVEL": "warning"]
        func run(_ arguments: [String], password: String? = nil) -> (status: Int32, out: String, err: String) {
            let output = Output()
            var console = output.console
            console.readSecret = { _ in password }
            let status = Commands.main(arguments + ["--config", "d/config.json"], environment: environment, console: console,
                                       currentDirectory: folder)
            return (status, output.out, output.err)
        }

        let imported = run(["centres", "import", root + "/docs/examples/service-centres.csv"])
        #expect(imported.status == 0)
        #expect(imported.out == "Imported 11 service centres.\n")
        try Data("code,name\n".utf8).write(to: URL(fileURLWithPath: folder + "/bad.csv"))
        let bad = run(["centres", "import", "bad.csv"])
        #expect(bad.status == 65)
        #expect(bad.err.contains("line 1: the header must be code,name,region,city,address,opening_hours,latitude,longitude"))
        #expect(run(["centres", "import", "missing.csv"]).status == 66)

        let added = run(["staff", "add", "--login", "Ivan.Petrov", "--name", "Иван Петров", "--role", "operator", "--centre", "msk-001"],
                        password: "correct horse battery")
        #expect(added.status == 0)
        #expect(added.out.contains("Created staff account 1: ivan.petrov, operator at MSK-001."))
        #expect(added.out.contains("otpauth://totp/OpenESIA:ivan.petrov?secret="))
        #expect(!added.out.contains("correct horse battery") && !added.err.contains("correct horse battery"))

        let taken = run(["staff", "add", "--login", "ivan.petrov", "--name", "Другой", "--role", "operator", "--centre", "MSK-002"],
                        password: "correct horse battery")
        #expect(taken.status == 65 && taken.err.contains("another staff account already has this login"))
        let weak = run(["staff", "add", "--login", "root", "--name", "Root", "--role", "service-admin", "--centre", "MSK-001"],
                       password: "short")
        #expect(weak.status == 65)
        #expect(weak.err.contains("--centre: not allowed here"))
        #expect(weak.err.contains("--password (standard input): too short"))
        let unknown = run(["staff", "add", "--login", "petr", "--name", "Пётр", "--role", "operator", "--centre", "XXX-9"],
                          password: "correct horse battery")
        #expect(unknown.status == 65 && unknown.err.contains("no service centre has this id"))
        let none = run(["staff", "add", "--login", "petr", "--name", "Пётр", "--role", "operator", "--centre", "MSK-001"])
        #expect(none.status == 66 && none.err.contains("reads the password from the first line of standard input"))

        // The staff member's centre cannot vanish from the directory under them.
        try Data("code,name,region,city,address,opening_hours,latitude,longitude\nX-1,N,R,C,A,H,,\n".utf8)
            .write(to: URL(fileURLWithPath: folder + "/other.csv"))
        let dropped = run(["centres", "import", "other.csv"])
        #expect(dropped.status == 65 && dropped.err.contains("centre MSK-001 is not in the file but staff accounts are bound to it"))

        // The audit chain holds the imports and the account.
        let verify = run(["audit", "verify"])
        #expect(verify.status == 0 && verify.out.hasPrefix("Audit log intact: 2 records."))
    }
}
