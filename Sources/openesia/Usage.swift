import OpenESIAServer

/// An option a command takes.
struct OptionSpec {
    /// The long name with dashes, e.g. "--config".
    let name: String
    /// The value's placeholder, e.g. "PATH"; nil for a flag.
    let value: String?
    /// One line of help.
    let summary: String
    /// May be given more than once; every value is kept.
    var repeatable = false
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
    /// Left out of the command list: development and benchmark helpers.
    var hidden = false

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
        CommandSpec(name: "centres import", arguments: "FILE", summary: "replace the service-centre directory with a CSV file (docs/staff.md)",
                    options: [config]),
        CommandSpec(name: "staff add", arguments: "",
                    summary: "create a staff account; reads the password from standard input, prints the authenticator URI once",
                    options: [
                        config,
                        OptionSpec(name: "--login", value: "LOGIN", summary: "login name: 3-64 of a-z, 0-9, '.', '_', '-'"),
                        OptionSpec(name: "--name", value: "NAME", summary: "display name, quoted if it has spaces"),
                        OptionSpec(name: "--role", value: "ROLE", summary: "operator, centre-admin or service-admin"),
                        OptionSpec(name: "--centre", value: "ID", summary: "service centre id (required for operator and centre-admin)"),
                        OptionSpec(name: "--snils", value: "SNILS", summary: "the staff member's own SNILS, for certificate login later"),
                    ]),
        CommandSpec(name: "portal add", arguments: "", summary: "register a portal (relying party); prints its client secret once (docs/portals.md)",
                    options: [
                        config,
                        OptionSpec(name: "--client-id", value: "ID", summary: "client id (ESIA: the mnemonic): 1-64 of A-Z a-z 0-9 . _ -"),
                        OptionSpec(name: "--name", value: "NAME", summary: "the name citizens see, quoted if it has spaces"),
                        OptionSpec(name: "--redirect-uri", value: "URI", summary: "where authorization responses go; repeatable; https (http only to loopback)",
                                   repeatable: true),
                        OptionSpec(name: "--post-logout-uri", value: "URI", summary: "where the browser may return after logout; repeatable",
                                   repeatable: true),
                        OptionSpec(name: "--backchannel-logout-uri", value: "URI", summary: "where logout tokens are posted"),
                        OptionSpec(name: "--scopes", value: "LIST", summary: "allowed scopes, e.g. \"openid fullname snils\" (default openid)"),
                        OptionSpec(name: "--min-level", value: "LEVEL", summary: "simplified (default), standard or confirmed"),
                        OptionSpec(name: "--dialect", value: "NAME", summary: "oidc (default) or esia"),
                        OptionSpec(name: "--alg", value: "ALG", summary: "token signing: oidc ES256 (default) or RS256; esia RS256 (default) or GOST3410_2012_256"),
                        OptionSpec(name: "--auth", value: "LIST", summary: "client authentication, comma-separated: client_secret_basic (oidc default), "
                                   + "client_secret_post, private_key_jwt, none, esia_signature (esia default)"),
                        OptionSpec(name: "--jwks-uri", value: "URL", summary: "where the portal publishes its keys (private_key_jwt)"),
                        OptionSpec(name: "--jwks-file", value: "FILE", summary: "the portal's keys as a JWKS file (private_key_jwt)"),
                        OptionSpec(name: "--cert", value: "FILE", summary: "the portal's certificate, DER or PEM (esia_signature, private_key_jwt)"),
                        OptionSpec(name: "--pinned", value: nil, summary: "trust the certificate as registered, not through the head CA trust store"),
                    ]),
        CommandSpec(name: "portal list", arguments: "", summary: "list the portals", options: [config]),
        CommandSpec(name: "portal show", arguments: "ID", summary: "print one portal as JSON (never a secret)", options: [config]),
        CommandSpec(name: "portal disable", arguments: "ID", summary: "disable a portal: no logins, its secret stops working", options: [config]),
        CommandSpec(name: "portal enable", arguments: "ID", summary: "enable a disabled portal", options: [config]),
        CommandSpec(name: "portal rotate-secret", arguments: "ID", summary: "give a portal a new client secret, printed once", options: [
            config,
            OptionSpec(name: "--grace-seconds", value: "N",
                       summary: "the old secret keeps working N seconds more (default 0: it stops now; at most 2592000, 30 days)"),
        ]),
        CommandSpec(name: "ca accredit", arguments: "CERT", summary: "accredit a CA certificate issued by a head CA root (docs/headca.md)",
                    options: [
                        config,
                        OptionSpec(name: "--from", value: "DATE", summary: "start of the accreditation period, ISO 8601 (default now)"),
                        OptionSpec(name: "--until", value: "DATE", summary: "end of the period (default open)"),
                    ]),
        CommandSpec(name: "ca suspend", arguments: "ID|THUMBPRINT", summary: "suspend a CA: close its accreditation period now",
                    options: [config]),
        CommandSpec(name: "ca terminate", arguments: "ID|THUMBPRINT", summary: "terminate a CA's accreditation for good",
                    options: [config]),
        CommandSpec(name: "ca list", arguments: "", summary: "list the CAs in the trust store with their states and periods",
                    options: [config]),
        CommandSpec(name: "ca import-tsl", arguments: "FILE", summary: "import accredited CAs from a trusted list (e-trust XML)",
                    options: [config]),
        CommandSpec(name: "ca import-crl", arguments: "FILE", summary: "import a CRL (DER or PEM) of a head CA root or accredited CA",
                    options: [config]),
        CommandSpec(name: "ca fetch-crls", arguments: "", summary: "download the CRLs of the roots and accredited CAs once",
                    options: [config]),
        CommandSpec(name: "keys rotate-data-key", arguments: "",
                    summary: "add a data key, make it current, re-encrypt documents and re-seal signing keys under it", options: [config]),
        CommandSpec(name: "keys rotate", arguments: "", summary: "make new token-signing keys; they sign after the publish lead (docs/tokens.md)",
                    options: [
                        config,
                        OptionSpec(name: "--algorithm", value: "ALG", summary: "ES256, RS256 or GOST3410_2012_256 (default: all three)"),
                    ]),
        CommandSpec(name: "keys list", arguments: "", summary: "list the token-signing keys with their states and times", options: [config]),
        CommandSpec(name: "audit verify", arguments: "", summary: "walk the audit log's hash chain and report the first broken link",
                    options: [config, OptionSpec(name: "--anchor", value: "SEQ:HASH",
                                                 summary: "an earlier `audit head`: also check the log still holds that record")]),
        CommandSpec(name: "audit head", arguments: "", summary: "print the newest record as SEQ:HASH, to keep outside the database",
                    options: [config]),
        CommandSpec(name: "dev seed", arguments: "", summary: "create synthetic citizens for development and benchmarks", options: [
            config,
            OptionSpec(name: "--citizens", value: "N", summary: "how many (1 to 10000000)"),
            OptionSpec(name: "--password", value: "TEXT", summary: "their shared password (default Seed-Password-2026)"),
        ]),
        CommandSpec(name: "letters export", arguments: "", summary: "write the pending letter orders, with new codes, as one batch of files (docs/activation.md)",
                    options: [
                        config,
                        OptionSpec(name: "--out", value: "DIR", summary: "the folder for letters-<batch>.csv and .html (created 0700; files 0600)"),
                    ]),
        CommandSpec(name: "letters mark", arguments: "ID", summary: "record that a letter was dispatched, delivered or returned", options: [
            config,
            OptionSpec(name: "--state", value: "STATE", summary: "dispatched, delivered or returned"),
            OptionSpec(name: "--tracking", value: "NUMBER", summary: "the Russian Post tracking number; required with dispatched"),
        ]),
        CommandSpec(name: "dev request-letters", arguments: "", summary: "order a letter for every citizen at the standard level",
                    options: [config], hidden: true),
        CommandSpec(name: "dev measure-code-checks", arguments: "", summary: "measure activation code checks per second, in-process", options: [
            config,
            OptionSpec(name: "--seconds", value: "N", summary: "how long to measure (default 3)"),
            OptionSpec(name: "--threads", value: "N", summary: "threads checking at once (default 1)"),
        ], hidden: true),
        CommandSpec(name: "dev measure-lookups", arguments: "", summary: "time SNILS lookups of random seeded citizens; prints JSON",
                    options: [
            config,
            OptionSpec(name: "--samples", value: "N", summary: "how many lookups (1 to 10000000, default 20000)"),
        ], hidden: true),
        CommandSpec(name: "dev scrypt-reference", arguments: "", summary: "hash passwords on T threads for S seconds; prints hashes/s as JSON",
                    options: [
            OptionSpec(name: "--seconds", value: "S", summary: "how long (1 to 600, default 10)"),
            OptionSpec(name: "--threads", value: "T", summary: "how many threads (1 to 64, default 2)"),
            OptionSpec(name: "--cost-log2", value: "L", summary: "scrypt log2(N), r=8, p=1 (10 to 20, default 15)"),
        ], hidden: true),
        CommandSpec(name: "dev measure-jws", arguments: "", summary: "sign and verify JWSs per algorithm on one thread; prints JSON lines",
                    options: [
            OptionSpec(name: "--seconds", value: "S", summary: "how long to sign, then to verify, per algorithm (0.05 to 60, default 1)"),
        ], hidden: true),
    ] + devCA + CommandLineArguments.signatureCommands + [
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
        let listed = CommandSpec.all.filter { !$0.hidden }
        let width = listed.map { synopsis($0).count }.max() ?? 0
        for spec in listed {
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
