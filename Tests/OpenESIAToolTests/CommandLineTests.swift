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
        #expect(usageError("dev measure-lookup")?.message == "unknown subcommand dev measure-lookup; did you mean measure-lookups?")
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
