import OpenESIAServer

/// An option a command takes.
struct OptionSpec {
    /// The long name with dashes, e.g. "--config".
    let name: String
    /// The value's placeholder, e.g. "PATH"; nil for a flag.
    let value: String?
    /// One line of help.
    let summary: String
}

/// A command: its name, what follows it, and its options. The parser and the usage text both read this table.
struct CommandSpec {
    /// The command word, e.g. "serve" or "config docs".
    let name: String
    /// Positional arguments in the synopsis, e.g. "[command]".
    let arguments: String
    /// One line of help.
    let summary: String
    /// The options, --help aside (every command takes it).
    let options: [OptionSpec]

    private static let config = OptionSpec(name: "--config", value: "PATH",
                                           summary: "config file (default \(ConfigurationLoader.defaultFile))")

    /// Every command, in the order usage lists them.
    static let all: [CommandSpec] = [
        CommandSpec(name: "serve", arguments: "", summary: "run the server until SIGTERM or SIGINT", options: [config]),
        CommandSpec(name: "migrate", arguments: "", summary: "apply pending database migrations and exit", options: [config]),
        CommandSpec(name: "init", arguments: "", summary: "make a data folder with config.json and keys/", options: [
            OptionSpec(name: "--data", value: "DIR", summary: "the folder to make (default data); created with mode 0700"),
            OptionSpec(name: "--keys-from", value: "DIR",
                       summary: "copy keys from DIR (default \(InitOptions.defaultKeysFolder), the public development keys)"),
            OptionSpec(name: "--generate-keys", value: nil,
                       summary: "generate a fresh TLS key and self-signed certificate instead of copying"),
            OptionSpec(name: "--force", value: nil,
                       summary: "replace an existing config.json and keys/ (the database and other files are kept)"),
        ]),
        CommandSpec(name: "config docs", arguments: "", summary: "print the configuration reference (Markdown)", options: []),
        CommandSpec(name: "registry import", arguments: "FILE", summary: "replace the reference registry with a CSV file (docs/registry.md)",
                    options: [config]),
        CommandSpec(name: "keys rotate-data-key", arguments: "", summary: "add a data key, make it current, re-encrypt documents under it",
                    options: [config]),
        CommandSpec(name: "audit verify", arguments: "", summary: "walk the audit log's hash chain and report the first broken link",
                    options: [config]),
        CommandSpec(name: "dev seed", arguments: "", summary: "create synthetic citizens for development and benchmarks", options: [
            config,
            OptionSpec(name: "--citizens", value: "N", summary: "how many (1 to 10000000)"),
            OptionSpec(name: "--password", value: "TEXT", summary: "their shared password (default Seed-Password-2026)"),
        ]),
        CommandSpec(name: "dev measure-lookups", arguments: "", summary: "time SNILS lookups of random seeded citizens; prints JSON",
                    options: [
            config,
            OptionSpec(name: "--samples", value: "N", summary: "how many lookups (1 to 10000000, default 20000)"),
        ]),
        CommandSpec(name: "dev scrypt-reference", arguments: "", summary: "hash passwords on T threads for S seconds; prints hashes/s as JSON",
                    options: [
            OptionSpec(name: "--seconds", value: "S", summary: "how long (1 to 600, default 10)"),
            OptionSpec(name: "--threads", value: "T", summary: "how many threads (1 to 64, default 2)"),
            OptionSpec(name: "--cost-log2", value: "L", summary: "scrypt log2(N), r=8, p=1 (10 to 20, default 15)"),
        ]),
        CommandSpec(name: "version", arguments: "", summary: "print the version", options: []),
        CommandSpec(name: "help", arguments: "[command]", summary: "show help for all commands or one", options: []),
    ]

    /// The command with this name.
    static func named(_ name: String) -> CommandSpec? { all.first { $0.name == name } }
}

/// The help texts.
enum Usage {
    /// The overview: commands, exit statuses and where configuration comes from.
    static var general: String {
        var lines = ["openesia \(openESIAVersion): the OpenESIA identity service", "",
                     "Usage: openesia <command> [options]", "", "Commands:"]
        let width = CommandSpec.all.map { synopsis($0).count }.max() ?? 0
        for spec in CommandSpec.all {
            lines.append("  " + synopsis(spec).padding(toLength: width + 2, withPad: " ", startingAt: 0) + spec.summary)
        }
        lines += ["", "Every command takes --help. Run 'openesia help <command>' for its options.", ""]
        lines += exitStatuses
        lines += ["", "Configuration: a JSON file; every key can be overridden by an OPENESIA_* environment",
                  "variable (http.port is OPENESIA_HTTP_PORT). 'openesia config docs' lists them all."]
        return lines.joined(separator: "\n") + "\n"
    }

    /// The help for one command.
    static func command(_ spec: CommandSpec) -> String {
        var lines = ["Usage: openesia \(synopsis(spec))\(spec.options.isEmpty ? "" : " [options]")", "", spec.summary.prefix(1).uppercased() + spec.summary.dropFirst() + "."]
        let options = spec.options + [OptionSpec(name: "--help", value: nil, summary: "show this help")]
        lines += ["", "Options:"]
        let names = options.map { $0.name + ($0.value.map { " " + $0 } ?? "") }
        let width = names.map(\.count).max() ?? 0
        for (name, option) in zip(names, options) {
            lines.append("  " + name.padding(toLength: width + 2, withPad: " ", startingAt: 0) + option.summary)
        }
        lines += [""] + exitStatuses
        return lines.joined(separator: "\n") + "\n"
    }

    private static func synopsis(_ spec: CommandSpec) -> String {
        spec.arguments.isEmpty ? spec.name : spec.name + " " + spec.arguments
    }

    /// The exit status table, from `ExitCode` so the text cannot drift from the code.
    private static var exitStatuses: [String] {
        ["Exit status:"] + ExitCode.allCases.map { "  " + String($0.rawValue).padding(toLength: 4, withPad: " ", startingAt: 0) + $0.meaning }
    }
}
