/// The process exit statuses of `openesia`, from BSD's sysexits.h so scripts and service managers can tell failures apart.
enum ExitCode: Int32, CaseIterable {
    /// Success.
    case ok = 0
    /// The command line is wrong: unknown command or option, missing value (EX_USAGE).
    case usage = 64
    /// The data is wrong: bad rows in an imported file, a broken audit chain (EX_DATAERR).
    case dataError = 65
    /// An input the command needs does not exist, such as the --keys-from folder or the portal named (EX_NOINPUT).
    case noInput = 66
    /// A service the command needs is unavailable, such as the listen address being in use (EX_UNAVAILABLE).
    case unavailable = 69
    /// An internal error: a bug, or a feature not built yet (EX_SOFTWARE).
    case software = 70
    /// The output already exists: `init` found config.json or keys/ and --force was not given, a `ca` command
    /// found a CA's ca.key or a certificate file it would write, or `portal add` found the client id taken (EX_CANTCREAT).
    case cannotCreate = 73
    /// Reading or writing a file failed (EX_IOERR).
    case ioError = 74
    /// The configuration is missing or invalid (EX_CONFIG).
    case configuration = 78

    /// One line for the usage text.
    var meaning: String {
        switch self {
        case .ok: "success"
        case .usage: "usage error: unknown command or option, missing value (EX_USAGE)"
        case .dataError: "bad data: invalid rows in an imported file, a broken audit chain (EX_DATAERR)"
        case .noInput: "input not found, e.g. the --keys-from folder, an unknown portal (EX_NOINPUT)"
        case .unavailable: "service unavailable, e.g. the listen address is in use (EX_UNAVAILABLE)"
        case .software: "internal error (EX_SOFTWARE)"
        case .cannotCreate: "already exists: init's config.json or keys/ (use --force), a CA's ca.key, portal add's client id (EX_CANTCREAT)"
        case .ioError: "a file or folder could not be read or written (EX_IOERR)"
        case .configuration: "configuration file missing or invalid (EX_CONFIG)"
        }
    }
}
