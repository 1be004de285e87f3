import Activation
import Crypto
import Foundation
import HeadCA
import OpenESIAServer

/// Turns the arguments after the program name into a `Command`; pure, so tests can cover every case.
enum CommandLineArguments {
    /// Parses `arguments` (without the program name, i.e. `CommandLine.arguments.dropFirst()`).
    /// - Throws: `UsageError` naming the problem.
    static func parse(_ arguments: [String]) throws(UsageError) -> Command {
        guard let first = arguments.first else {
            throw UsageError(message: "missing command", command: nil)
        }
        let rest = Array(arguments.dropFirst())
        switch first {
        case "-h", "--help":
            return .help(topic: nil)
        case "--version":
            return .version
        case "help":
            if rest.contains(where: isHelpFlag) { return .help(topic: "help") }
            let parsed = try scan(rest, command: "help", options: [])
            guard parsed.positionals.count <= 2 else {
                throw UsageError(message: "help takes at most one command", command: "help")
            }
            guard let topic = parsed.positionals.first else { return .help(topic: nil) }
            let name = parsed.positionals.count == 2 ? topic + " " + parsed.positionals[1] : topic
            guard CommandSpec.named(name) != nil || name == "config" else { throw unknownCommand(name) }
            return .help(topic: name == "config" ? "config docs" : name)
        case "registry", "keys", "audit", "dev", "letters", "staff", "centres", "ca", "portal":
            let subcommands = CommandSpec.all.filter { !$0.hidden }.map(\.name).filter { $0.hasPrefix(first + " ") }.map { String($0.dropFirst(first.count + 1)) }
            guard let sub = rest.first, !sub.hasPrefix("-") else {
                throw UsageError(message: "\(first) needs a subcommand: \(subcommands.joined(separator: ", "))", command: nil)
            }
            guard CommandSpec.named(first + " " + sub) != nil else {
                throw UsageError(message: "unknown subcommand \(first) \(sub)" + hint(sub, subcommands), command: nil)
            }
            return try parseCommand(first + " " + sub, Array(rest.dropFirst()))
        case "config":
            guard let sub = rest.first, !sub.hasPrefix("-") else {
                if rest.contains(where: isHelpFlag) { return .help(topic: "config docs") }
                throw UsageError(message: "config needs a subcommand: docs", command: "config docs")
            }
            guard sub == "docs" else {
                throw UsageError(message: "unknown subcommand config \(sub)" + hint(sub, ["docs"]), command: "config docs")
            }
            return try parseCommand("config docs", Array(rest.dropFirst()))
        default:
            if first.hasPrefix("-") {
                throw UsageError(message: "expected a command before \(first)", command: nil)
            }
            guard CommandSpec.named(first) != nil else { throw unknownCommand(first) }
            return try parseCommand(first, rest)
        }
    }

    private static func parseCommand(_ name: String, _ arguments: [String]) throws(UsageError) -> Command {
        if arguments.contains(where: isHelpFlag) { return .help(topic: name) }
        if name == "staff add", arguments.contains(where: { $0 == "--password" || $0.hasPrefix("--password=") }) {
            throw UsageError(message: "staff add reads the password from standard input, never from an argument (it would show in ps)",
                             command: name)
        }
        let spec = CommandSpec.named(name)!
        let parsed = try scan(arguments, command: name, options: spec.options)
        let expected = spec.arguments.isEmpty ? 0 : spec.arguments.split(separator: " ").count
        if parsed.positionals.count > expected {
            throw UsageError(message: "unexpected argument \(parsed.positionals[expected]) for \(name)", command: name)
        }
        if parsed.positionals.count < expected {
            throw UsageError(message: "missing \(spec.arguments) for \(name)", command: name)
        }
        let configFile = parsed.values["--config"] ?? ConfigurationLoader.defaultFile
        switch name {
        case "registry import":
            return .registryImport(configFile: configFile, csvFile: parsed.positionals[0])
        case "keys rotate-data-key":
            return .rotateDataKey(configFile: configFile)
        case "keys rotate":
            guard let text = parsed.values["--algorithm"] else { return .keysRotate(configFile: configFile, algorithms: []) }
            guard let algorithm = JWSAlgorithm(rawValue: text) else {
                let names = JWSAlgorithm.allCases.map(\.rawValue)
                throw UsageError(message: "--algorithm must be one of \(names.joined(separator: ", "))" + hint(text, names), command: name)
            }
            return .keysRotate(configFile: configFile, algorithms: [algorithm])
        case "keys list":
            return .keysList(configFile: configFile)
        case "dev measure-jws":
            let seconds = parsed.values["--seconds"].map { Double($0) } ?? 1
            guard let seconds, (0.05...60).contains(seconds) else {
                throw UsageError(message: "--seconds needs a number from 0.05 to 60", command: name)
            }
            return .devMeasureJWS(seconds: seconds)
        case "centres import":
            return .centresImport(configFile: configFile, csvFile: parsed.positionals[0])
        case "staff add":
            for option in ["--login", "--name", "--role"] where parsed.values[option] == nil {
                throw UsageError(message: "staff add needs \(option)", command: name)
            }
            let role = parsed.values["--role"]!
            guard StaffCommands.roleNames.contains(role) else {
                throw UsageError(message: "--role must be one of \(StaffCommands.roleNames.joined(separator: ", "))"
                                 + hint(role, StaffCommands.roleNames), command: name)
            }
            return .staffAdd(configFile: configFile, StaffAddOptions(login: parsed.values["--login"]!, name: parsed.values["--name"]!,
                                                                     role: role, centre: parsed.values["--centre"],
                                                                     snils: parsed.values["--snils"]))
        case "audit verify":
            return .auditVerify(configFile: configFile, anchor: parsed.values["--anchor"])
        case "audit head":
            return .auditHead(configFile: configFile)
        case "portal add":
            return .portalAdd(configFile: configFile, try portalAddOptions(parsed, command: name))
        case "portal list":
            return .portalList(configFile: configFile)
        case "portal show":
            return .portalShow(configFile: configFile, clientID: parsed.positionals[0])
        case "portal disable":
            return .portalDisable(configFile: configFile, clientID: parsed.positionals[0])
        case "portal enable":
            return .portalEnable(configFile: configFile, clientID: parsed.positionals[0])
        case "portal rotate-secret":
            let grace = try number(parsed, "--grace-seconds", 0...PortalCommands.maxGraceSeconds, default: 0, command: name)
            return .portalRotateSecret(configFile: configFile, clientID: parsed.positionals[0], graceSeconds: grace)
        case "dev seed":
            guard let text = parsed.values["--citizens"], let count = Int(text), (1...10_000_000).contains(count) else {
                throw UsageError(message: "--citizens needs a number from 1 to 10000000", command: name)
            }
            return .devSeed(configFile: configFile, citizens: count, password: parsed.values["--password"] ?? "Seed-Password-2026")
        case "letters export":
            guard let folder = parsed.values["--out"] else { throw UsageError(message: "letters export needs --out DIR", command: name) }
            return .lettersExport(configFile: configFile, outputDirectory: folder)
        case "letters mark":
            guard let id = Int64(parsed.positionals[0]), id > 0 else {
                throw UsageError(message: "letter ID must be a positive number", command: name)
            }
            guard let text = parsed.values["--state"], let state = LetterState(rawValue: text), [.dispatched, .delivered, .returned].contains(state) else {
                throw UsageError(message: "--state needs dispatched, delivered or returned", command: name)
            }
            let tracking = parsed.values["--tracking"]
            if state == .dispatched && tracking == nil {
                throw UsageError(message: "--state dispatched needs --tracking NUMBER", command: name)
            }
            if state != .dispatched && tracking != nil {
                throw UsageError(message: "--tracking goes only with --state dispatched", command: name)
            }
            return .lettersMark(configFile: configFile, letterID: id, state: state, trackingNumber: tracking)
        case "dev request-letters":
            return .devRequestLetters(configFile: configFile)
        case "dev measure-code-checks":
            let seconds = parsed.values["--seconds"].map { Double($0) } ?? 3
            guard let seconds, (0.1...600).contains(seconds) else {
                throw UsageError(message: "--seconds needs a number from 0.1 to 600", command: name)
            }
            let threads = parsed.values["--threads"].map { Int($0) } ?? 1
            guard let threads, (1...64).contains(threads) else {
                throw UsageError(message: "--threads needs a number from 1 to 64", command: name)
            }
            return .devMeasureCodeChecks(configFile: configFile, seconds: seconds, threads: threads)
        case "dev measure-lookups":
            let samples = try number(parsed, "--samples", 1...10_000_000, default: 20_000, command: name)
            return .devMeasureLookups(configFile: configFile, samples: samples)
        case "dev scrypt-reference":
            return .devScryptReference(seconds: try number(parsed, "--seconds", 1...600, default: 10, command: name),
                                       threads: try number(parsed, "--threads", 1...64, default: 2, command: name),
                                       costLog2: try number(parsed, "--cost-log2", 10...20, default: 15, command: name))
        // ca: the head CA trust store (docs/headca.md).
        case "ca accredit":
            var dates: [String: Date] = [:]
            for option in ["--from", "--until"] {
                guard let text = parsed.values[option] else { continue }
                guard let date = HeadCA.parseDate(text) else {
                    throw UsageError(message: "\(option) needs an ISO 8601 date such as 2026-03-01 or 2026-03-01T12:00:00Z", command: name)
                }
                dates[option] = date
            }
            if let from = dates["--from"], let until = dates["--until"], until <= from {
                throw UsageError(message: "--until must be after --from", command: name)
            }
            return .caAccredit(configFile: configFile, certificateFile: parsed.positionals[0], from: dates["--from"], until: dates["--until"])
        case "ca suspend", "ca terminate":
            guard let reference = CAReference(parsed.positionals[0]) else {
                throw UsageError(message: "\(name) needs a CA id or a SHA-1 thumbprint (40 hex digits), got \(parsed.positionals[0])",
                                 command: name)
            }
            return name == "ca suspend" ? .caSuspend(configFile: configFile, reference: reference)
                : .caTerminate(configFile: configFile, reference: reference)
        case "ca list":
            return .caList(configFile: configFile)
        case "ca import-tsl":
            return .caImportTSL(configFile: configFile, file: parsed.positionals[0])
        case "ca import-crl":
            return .caImportCRL(configFile: configFile, file: parsed.positionals[0])
        case "ca fetch-crls":
            return .caFetchCRLs(configFile: configFile)
        case "serve":
            return .serve(configFile: parsed.values["--config"] ?? ConfigurationLoader.defaultFile)
        case "migrate":
            return .migrate(configFile: parsed.values["--config"] ?? ConfigurationLoader.defaultFile)
        case "init":
            var options = InitOptions()
            options.dataFolder = parsed.values["--data"] ?? options.dataFolder
            options.keysFrom = parsed.values["--keys-from"]
            options.generateKeys = parsed.flags.contains("--generate-keys")
            options.force = parsed.flags.contains("--force")
            if options.generateKeys && options.keysFrom != nil {
                throw UsageError(message: "--keys-from and --generate-keys cannot be used together", command: name)
            }
            return .initialize(options)
        case "ca init-head", "ca init-accredited", "ca issue", "ca revoke", "ca crl", "ca tsl":
            return .devCA(try parseDevCA(name, parsed))
        case "sign", "dev measure-cms-verify", "dev measure-signature-logins", "dev measure-crl-load":
            return .signature(try parseSignature(name, parsed))
        case "config docs":
            return .configDocs
        case "version":
            return .version
        default:
            throw unknownCommand(name)
        }
    }

    /// The options and positionals of one command line.
    struct Scanned {
        var values: [String: String] = [:]
        /// The values of repeatable options, in the order given.
        var lists: [String: [String]] = [:]
        var flags: Set<String> = []
        var positionals: [String] = []
    }

    /// Reads `--name VALUE`, `--name=VALUE` and `--flag`; anything else starting with "-" is an error.
    private static func scan(_ arguments: [String], command: String, options: [OptionSpec]) throws(UsageError) -> Scanned {
        var result = Scanned()
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            index += 1
            guard argument.hasPrefix("-") && argument != "-" else {
                result.positionals.append(argument)
                continue
            }
            let parts = argument.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = String(parts[0])
            let inline = parts.count == 2 ? String(parts[1]) : nil
            guard let option = options.first(where: { $0.name == name }) else {
                let known = options.map(\.name) + ["--help"]
                throw UsageError(message: "unknown option \(name) for \(command)" + hint(name, known), command: command)
            }
            if !option.repeatable && (result.values[name] != nil || result.flags.contains(name)) {
                throw UsageError(message: "\(name) given more than once", command: command)
            }
            if let placeholder = option.value {
                let value: String
                if let inline {
                    value = inline
                } else if index < arguments.count && !arguments[index].hasPrefix("--") {
                    value = arguments[index]
                    index += 1
                } else {
                    throw UsageError(message: "missing value for \(name) \(placeholder)", command: command)
                }
                guard !value.isEmpty else { throw UsageError(message: "empty value for \(name)", command: command) }
                if option.repeatable { result.lists[name, default: []].append(value) } else { result.values[name] = value }
            } else {
                if inline != nil { throw UsageError(message: "\(name) takes no value", command: command) }
                result.flags.insert(name)
            }
        }
        return result
    }

    /// The options of `portal add`: the required ones present, lists split, one source of keys at most.
    private static func portalAddOptions(_ parsed: Scanned, command: String) throws(UsageError) -> PortalAddOptions {
        for option in ["--client-id", "--name"] where parsed.values[option] == nil {
            throw UsageError(message: "portal add needs \(option)", command: command)
        }
        guard let redirects = parsed.lists["--redirect-uri"] else {
            throw UsageError(message: "portal add needs at least one --redirect-uri", command: command)
        }
        if parsed.values["--jwks-uri"] != nil && parsed.values["--jwks-file"] != nil {
            throw UsageError(message: "--jwks-uri and --jwks-file cannot be used together", command: command)
        }
        /// Words of a list option: "openid fullname" and "a,b" both work.
        func words(_ option: String) -> [String]? {
            parsed.values[option].map { $0.split(whereSeparator: { $0 == " " || $0 == "," }).map(String.init) }
        }
        var options = PortalAddOptions(clientID: parsed.values["--client-id"]!, name: parsed.values["--name"]!, redirectURIs: redirects)
        options.postLogoutURIs = parsed.lists["--post-logout-uri"] ?? []
        options.backchannelLogoutURI = parsed.values["--backchannel-logout-uri"]
        options.scopes = words("--scopes")
        options.minimumLevel = parsed.values["--min-level"]
        options.dialect = parsed.values["--dialect"]
        options.signingAlgorithm = parsed.values["--alg"]
        options.authMethods = words("--auth")
        options.jwksURI = parsed.values["--jwks-uri"]
        options.jwksFile = parsed.values["--jwks-file"]
        options.certificateFile = parsed.values["--cert"]
        options.pinned = parsed.flags.contains("--pinned")
        return options
    }

    /// The whole number given for `option`, or `defaultValue` when it is absent.
    static func number(_ parsed: Scanned, _ option: String, _ range: ClosedRange<Int>, default defaultValue: Int,
                               command: String) throws(UsageError) -> Int {
        guard let text = parsed.values[option] else { return defaultValue }
        guard let value = Int(text), range.contains(value) else {
            throw UsageError(message: "\(option) needs a number from \(range.lowerBound) to \(range.upperBound)", command: command)
        }
        return value
    }

    private static func isHelpFlag(_ argument: String) -> Bool { argument == "--help" || argument == "-h" }

    private static func unknownCommand(_ name: String) -> UsageError {
        let names = CommandSpec.all.map { String($0.name.split(separator: " ")[0]) }
        return UsageError(message: "unknown command \(name)" + hint(name, names), command: nil)
    }

    static func hint(_ word: String, _ candidates: [String]) -> String {
        Spelling.closest(to: word, among: candidates).map { "; did you mean \($0)?" } ?? ""
    }
}
