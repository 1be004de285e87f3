import Support

/// One setting's value, whatever its type.
public enum ConfigurationValue: Sendable, Equatable {
    /// A whole number.
    case integer(Int)
    /// A number that may have a fraction.
    case number(Double)
    /// true or false.
    case boolean(Bool)
    /// Text, a path or one of a fixed set of names.
    case string(String)
    /// A list of paths.
    case paths([String])

    /// The value as a JSON literal, as it appears in the config file and the documentation.
    public var jsonLiteral: String {
        switch self {
        case .integer(let value): String(value)
        case .number(let value): value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
        case .boolean(let value): value ? "true" : "false"
        case .string(let value): JSONText.quoted(value)
        case .paths(let values): "[" + values.map(JSONText.quoted).joined(separator: ", ") + "]"
        }
    }
}

/// One setting: where it sits in the JSON file, its environment variable, its type, and how to read and write it.
///
/// `ConfigurationKey.all` is the single table of settings; the loader, the validator, the documentation
/// and `init`'s config file are all driven by it.
public struct ConfigurationKey: Sendable {
    /// What a setting holds and which values are allowed.
    public enum Kind: Sendable, Equatable {
        /// A whole number within the range.
        case integer(ClosedRange<Int>)
        /// A number within the range.
        case number(ClosedRange<Double>)
        /// true or false (the environment also takes 1 and 0).
        case boolean
        /// Free text.
        case string
        /// A file or folder; relative paths are resolved against the config file's folder.
        case path
        /// A JSON array of files (in the environment: separated by ':'); resolved like `path`.
        case pathList
        /// One of these names.
        case choice([String])
    }

    /// The JSON section, e.g. "http".
    public let section: String
    /// The key inside the section, e.g. "maxConnections".
    public let name: String
    /// Type and allowed values.
    public let kind: Kind
    /// One sentence for the documentation.
    public let meaning: String
    private let read: @Sendable (Configuration) -> ConfigurationValue
    private let write: @Sendable (inout Configuration, ConfigurationValue) -> Void

    /// The dotted path, e.g. "http.maxConnections".
    public var path: String { section + "." + name }

    /// The environment variable that overrides this key, e.g. "OPENESIA_HTTP_MAX_CONNECTIONS".
    public var environmentVariable: String {
        ConfigurationKey.environmentPrefix + ConfigurationKey.upperSnakeCase(section) + "_" + ConfigurationKey.upperSnakeCase(name)
    }

    /// The value this key has in `configuration`.
    public func value(in configuration: Configuration) -> ConfigurationValue { read(configuration) }

    /// The built-in default.
    public var defaultValue: ConfigurationValue { read(Configuration()) }

    /// Stores `value`, which must already match `kind` (the loader checks it).
    func set(_ value: ConfigurationValue, in configuration: inout Configuration) { write(&configuration, value) }

    /// Every environment variable this service reads starts with this.
    public static let environmentPrefix = "OPENESIA_"

    /// Turns "maxConnections" into "MAX_CONNECTIONS" and "clientCAFile" into "CLIENT_CA_FILE".
    static func upperSnakeCase(_ camel: String) -> String {
        let chars = Array(camel)
        var out = ""
        for (i, c) in chars.enumerated() {
            if c.isUppercase && i > 0 {
                let previous = chars[i - 1]
                let nextIsLower = i + 1 < chars.count && chars[i + 1].isLowercase
                if previous.isLowercase || previous.isNumber || (previous.isUppercase && nextIsLower) { out += "_" }
            }
            out += c.uppercased()
        }
        return out
    }
}

extension ConfigurationKey {
    /// All settings, in the order of the JSON file and the documentation.
    public static let all: [ConfigurationKey] = [
        string("http", "host", \.http.host, "Address to listen on (an IP address or host name)."),
        integer("http", "port", \.http.port, 0...65535, "TCP port to listen on; 0 asks the kernel for a free one."),
        integer("http", "eventLoops", \.http.eventLoops, 0...1024, "Event loop threads; 0 means one per CPU core."),
        integer("http", "workerThreads", \.http.workerThreads, 1...1024, "Threads for blocking work such as password hashing and database calls; most wait for a commit's fsync, so more than the cores."),
        integer("http", "workerQueueCapacity", \.http.workerQueueCapacity, 1...1_000_000, "Jobs that may wait for a worker thread before new requests get 503."),
        number("http", "workerQueueTimeoutSeconds", \.http.workerQueueTimeoutSeconds, 0.05...600,
               "Seconds a request may wait for a worker thread; after that it is answered 503 instead of run, so overload sheds load quickly."),
        integer("http", "maxConnections", \.http.maxConnections, 1...1_000_000, "Open connections across all event loops; beyond it new ones get 503."),
        integer("http", "maxRequestLineBytes", \.http.maxRequestLineBytes, 256...1_048_576, "Longest request line in bytes; longer gets 414."),
        integer("http", "maxHeaderBytes", \.http.maxHeaderBytes, 1_024...1_048_576, "Largest header section in bytes; larger gets 431."),
        integer("http", "maxHeaderCount", \.http.maxHeaderCount, 1...10_000, "Most header fields in one request; more gets 431."),
        integer("http", "maxBodyBytes", \.http.maxBodyBytes, 0...1_073_741_824, "Largest request body in bytes; larger gets 413."),
        number("http", "headerReadTimeoutSeconds", \.http.headerReadTimeoutSeconds, 0.1...3_600, "Seconds allowed to read a request's headers; then 408."),
        number("http", "idleTimeoutSeconds", \.http.idleTimeoutSeconds, 0.1...86_400, "Seconds an idle keep-alive connection is kept open."),
        number("http", "shutdownGraceSeconds", \.http.shutdownGraceSeconds, 0...3_600, "Seconds in-flight requests get to finish on shutdown."),
        boolean("http", "accessLog", \.http.accessLog, "Whether each request is logged (method, path, status, time; never bodies)."),

        path("tls", "certificateFile", \.tls.certificateFile, "PEM certificate chain for HTTPS; empty means plain HTTP."),
        path("tls", "privateKeyFile", \.tls.privateKeyFile, "PEM private key for the certificate; set both or neither."),
        choice("tls", "clientCertificate", \.tls.clientCertificate,
               Configuration.ClientCertificate.allCases.map { ($0.rawValue, $0) },
               "Whether to ask clients for a certificate."),
        path("tls", "clientCAFile", \.tls.clientCAFile, "PEM bundle of CAs that client certificates must chain to; needed unless clientCertificate is none."),

        path("database", "path", \.database.path, "SQLite database file (WAL mode, so it must be a real file)."),
        integer("database", "readers", \.database.readers, 1...64, "Reader connections beside the single writer."),
        integer("database", "busyTimeoutMilliseconds", \.database.busyTimeoutMilliseconds, 0...600_000, "Milliseconds a connection waits for a lock before failing."),

        path("keys", "directory", \.keys.directory, "Folder holding keys and certificates; a DEVELOPMENT-ONLY file in it triggers a warning."),

        choice("log", "level", \.log.level, LogLevel.allCases.map { ($0.name, $0) }, "Lowest level written to the log."),

        string("service", "issuer", \.service.issuer, "Public base URL and OpenID Connect issuer; https unless the host is loopback; no trailing slash."),

        integer("citizens", "passwordCostLog2", \.citizens.passwordCostLog2, 10...20,
                "scrypt cost log2(N) for new password hashes (r=8, p=1); raising it upgrades each hash at its next login."),
        number("citizens", "sessionIdleTimeoutSeconds", \.citizens.sessionIdleTimeoutSeconds, 60...86_400, "Seconds a session lives without use."),
        number("citizens", "sessionAbsoluteTimeoutSeconds", \.citizens.sessionAbsoluteTimeoutSeconds, 300...2_592_000, "Seconds a session lives at most."),
        number("citizens", "contactCodeLifetimeSeconds", \.citizens.contactCodeLifetimeSeconds, 60...86_400, "Seconds a phone or e-mail confirmation code is valid."),
        integer("citizens", "freshSignatureMinutes", \.citizens.freshSignatureMinutes, 1...120,
                "Minutes after an e-signature login during which an account made from a certificate may set its first password."),

        choice("registry", "adapter", \.registry.adapter, Configuration.RegistryAdapterKind.allCases.map { ($0.rawValue, $0) },
               "reference: the embedded registry loaded with `openesia registry import`; http: the external service at registry.url."),
        string("registry", "url", \.registry.url, "URL of the external verification service (docs/registry.md); needed for the http adapter."),
        number("registry", "timeoutSeconds", \.registry.timeoutSeconds, 0.5...300, "Seconds to wait for the external verification service."),

        string("outbox", "command", \.outbox.command,
               "Command that delivers one message on its standard input (split on spaces, no quoting), e.g. `/usr/sbin/sendmail -t`; empty appends to outbox.file."),
        number("activation", "letterCodeLifetimeDays", \.activation.letterCodeLifetimeDays, 1...365,
               "Days a code sent by registered letter stays valid, counted from the letter batch's export."),
        number("activation", "centreCodeLifetimeDays", \.activation.centreCodeLifetimeDays, 0.1...30,
               "Days a code handed out at a service centre stays valid."),
        number("staff", "sessionIdleTimeoutSeconds", \.staff.sessionIdleTimeoutSeconds, 60...7_200,
               "Seconds a staff console session lives without use (staff sessions last 8 hours at most)."),

        number("federation", "signingKeyPublishLeadSeconds", \.federation.signingKeyPublishLeadSeconds, 0...2_592_000,
               "Seconds a new token-signing key made by `openesia keys rotate` is in the JWKS before it signs, so portals that cache the key set know it first."),
        number("federation", "maxTokenLifetimeSeconds", \.federation.maxTokenLifetimeSeconds, 60...2_592_000,
               "The longest lifetime of any token the service signs; a key that stopped signing stays in the JWKS this long (plus a minute) so those tokens still verify."),
        number("federation", "authorizationCodeLifetimeSeconds", \.federation.authorizationCodeLifetimeSeconds, 10...600,
               "Seconds an OAuth authorization code may be exchanged for tokens (it works once)."),
        number("federation", "accessTokenLifetimeSeconds", \.federation.accessTokenLifetimeSeconds, 60...86_400,
               "Seconds access tokens and ID tokens are valid; at most federation.maxTokenLifetimeSeconds."),
        number("federation", "refreshTokenLifetimeSeconds", \.federation.refreshTokenLifetimeSeconds, 3_600...31_536_000,
               "Seconds a refresh token may be used; every use gives a new one with a fresh lifetime."),
        number("federation", "pendingAuthorizationLifetimeSeconds", \.federation.pendingAuthorizationLifetimeSeconds, 60...3_600,
               "Seconds an authorization request waits while the citizen logs in and consents."),
        string("federation", "esiaIssuer", \.federation.esiaIssuer,
               "iss of the ESIA dialect's tokens, an http(s) URL; empty: service.issuer followed by / (docs/esia.md)."),
        number("federation", "esiaTimestampWindowSeconds", \.federation.esiaTimestampWindowSeconds, 10...3_600,
               "Seconds an ESIA request's timestamp may differ from the server's clock, either way (ESIA-007015 beyond)."),
        number("federation", "backchannelLogoutTimeoutSeconds", \.federation.backchannelLogoutTimeoutSeconds, 0.5...60,
               "Seconds one back-channel logout POST to a portal may take; no answer in time counts as a failed attempt."),
        integer("federation", "backchannelLogoutMaxAttempts", \.federation.backchannelLogoutMaxAttempts, 1...50,
                "Attempts at delivering a logout token to a portal before the delivery is dropped (and audited)."),
        number("federation", "backchannelLogoutRetrySeconds", \.federation.backchannelLogoutRetrySeconds, 0.1...3_600,
               "Seconds before the first retry of a failed back-channel logout; each further retry waits twice as long, at most 600."),
        number("federation", "backchannelLogoutMaxAgeSeconds", \.federation.backchannelLogoutMaxAgeSeconds, 60...604_800,
               "Seconds after a logout when a logout token not yet delivered is dropped, attempts left or not."),

        number("maintenance", "purgeIntervalSeconds", \.maintenance.purgeIntervalSeconds, 1...86_400,
               "Seconds between rounds of the clean-up job that deletes expired sessions, codes, tokens, challenges and finished logout deliveries."),
        integer("maintenance", "purgeBatchRows", \.maintenance.purgeBatchRows, 100...1_000_000,
                "Most rows the clean-up job deletes from one table in one round (one write each), so a backlog never holds the writer long."),

        path("outbox", "file", \.outbox.file, "File messages are appended to when outbox.command is empty (development: read the codes there)."),

        paths("headca", "roots", \.headca.roots,
              "PEM files of the head CA root certificates (trust anchors); empty: no certificate is trusted (docs/headca.md)."),
        paths("headca", "rootsRevocationIfAvailable", \.headca.rootsRevocationIfAvailable,
              "More head CA roots whose chains are checked only against the CRLs at hand (if-available), whatever headca.revocation says."),
        paths("headca", "rootsRevocationOff", \.headca.rootsRevocationOff,
              "More head CA roots whose chains are not checked for revocation at all (test hierarchies without CRLs)."),
        choice("headca", "revocation", \.headca.revocation, Configuration.RevocationMode.allCases.map { ($0.rawValue, $0) },
               "Default revocation check: require (fail without a current CRL), if-available (check the CRLs at hand), off."),
        integer("headca", "maxCRLAgeHours", \.headca.maxCRLAgeHours, 1...8_760,
                "A CRL issued longer ago than this is stale under require, even before its nextUpdate."),
        integer("headca", "crlRefreshMinutes", \.headca.crlRefreshMinutes, 1...10_080,
                "Minutes between downloads of the CRLs of the head CA roots and accredited CAs."),
        integer("headca", "challengeLifetimeSeconds", \.headca.challengeLifetimeSeconds, 30...3_600,
                "Seconds an e-signature login challenge stays valid after it is issued (docs/signature-login.md)."),
        integer("headca", "challengesPerMinute", \.headca.challengesPerMinute, 1...1_000_000,
                "E-signature login challenges one source address may ask for per minute before further ones are delayed."),
    ]

    /// The key at a dotted path, if there is one.
    public static func named(_ path: String) -> ConfigurationKey? { all.first { $0.path == path } }

    /// The sections in file order.
    public static var sections: [String] {
        var seen: [String] = []
        for key in all where !seen.contains(key.section) { seen.append(key.section) }
        return seen
    }

    private static func integer(_ section: String, _ name: String, _ keyPath: any WritableKeyPath<Configuration, Int> & Sendable,
                                _ range: ClosedRange<Int>, _ meaning: String) -> ConfigurationKey {
        ConfigurationKey(section: section, name: name, kind: .integer(range), meaning: meaning,
                         read: { .integer($0[keyPath: keyPath]) },
                         write: { if case .integer(let v) = $1 { $0[keyPath: keyPath] = v } })
    }

    private static func number(_ section: String, _ name: String, _ keyPath: any WritableKeyPath<Configuration, Double> & Sendable,
                               _ range: ClosedRange<Double>, _ meaning: String) -> ConfigurationKey {
        ConfigurationKey(section: section, name: name, kind: .number(range), meaning: meaning,
                         read: { .number($0[keyPath: keyPath]) },
                         write: { if case .number(let v) = $1 { $0[keyPath: keyPath] = v } })
    }

    private static func boolean(_ section: String, _ name: String, _ keyPath: any WritableKeyPath<Configuration, Bool> & Sendable,
                                _ meaning: String) -> ConfigurationKey {
        ConfigurationKey(section: section, name: name, kind: .boolean, meaning: meaning,
                         read: { .boolean($0[keyPath: keyPath]) },
                         write: { if case .boolean(let v) = $1 { $0[keyPath: keyPath] = v } })
    }

    private static func string(_ section: String, _ name: String, _ keyPath: any WritableKeyPath<Configuration, String> & Sendable,
                               _ meaning: String) -> ConfigurationKey {
        ConfigurationKey(section: section, name: name, kind: .string, meaning: meaning,
                         read: { .string($0[keyPath: keyPath]) },
                         write: { if case .string(let v) = $1 { $0[keyPath: keyPath] = v } })
    }

    private static func path(_ section: String, _ name: String, _ keyPath: any WritableKeyPath<Configuration, String> & Sendable,
                             _ meaning: String) -> ConfigurationKey {
        ConfigurationKey(section: section, name: name, kind: .path, meaning: meaning,
                         read: { .string($0[keyPath: keyPath]) },
                         write: { if case .string(let v) = $1 { $0[keyPath: keyPath] = v } })
    }

    private static func paths(_ section: String, _ name: String, _ keyPath: any WritableKeyPath<Configuration, [String]> & Sendable,
                              _ meaning: String) -> ConfigurationKey {
        ConfigurationKey(section: section, name: name, kind: .pathList, meaning: meaning,
                         read: { .paths($0[keyPath: keyPath]) },
                         write: { if case .paths(let v) = $1 { $0[keyPath: keyPath] = v } })
    }

    private static func choice<Value: Sendable & Equatable>(
        _ section: String, _ name: String, _ keyPath: any WritableKeyPath<Configuration, Value> & Sendable,
        _ options: [(String, Value)], _ meaning: String
    ) -> ConfigurationKey {
        ConfigurationKey(section: section, name: name, kind: .choice(options.map(\.0)), meaning: meaning,
                         read: { configuration in
                             let current = configuration[keyPath: keyPath]
                             return .string(options.first { $0.1 == current }?.0 ?? "")
                         },
                         write: { configuration, value in
                             if case .string(let text) = value, let match = options.first(where: { $0.0 == text }) {
                                 configuration[keyPath: keyPath] = match.1
                             }
                         })
    }
}
