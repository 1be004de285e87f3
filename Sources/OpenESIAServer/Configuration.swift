import HTTPServer
import Support

/// Everything the service reads at start, in sections that mirror the JSON file.
///
/// Every default below is also the default in `ConfigurationKey.all`, which reads it from here, so the
/// documentation table, the environment variable names and the JSON keys cannot drift apart.
/// Paths are relative until `ConfigurationLoader` resolves them; after loading they are absolute
/// (or empty, where empty means "not set").
public struct Configuration: Sendable, Equatable {
    /// The HTTP listener and its limits.
    public var http = HTTP()
    /// TLS on the listener; off while `certificateFile` is empty.
    public var tls = TLS()
    /// The SQLite database.
    public var database = Database()
    /// Where keys and certificates live.
    public var keys = Keys()
    /// Logging.
    public var log = Log()
    /// The service as the outside world sees it.
    public var service = Service()
    /// Citizens' passwords, sessions and one-time codes.
    public var citizens = Citizens()
    /// Where SNILS and passports are verified.
    public var registry = Registry()
    /// How messages to citizens (codes, notices) leave the service.
    public var outbox = Outbox()
    /// Activation codes by letter and at service centres.
    public var activation = Activation()
    /// The staff console.
    public var staff = Staff()
    /// The head CA trust store.
    public var headca = HeadCA()
    /// Token signing for OpenID Connect and the ESIA dialect.
    public var federation = Federation()
    /// The periodic clean-up of expired rows.
    public var maintenance = Maintenance()

    /// The defaults: plain HTTP on 127.0.0.1:8080, database and keys beside the config file.
    public init() {}

    /// The `http` section.
    public struct HTTP: Sendable, Equatable {
        /// Address to listen on. Default "127.0.0.1".
        public var host = "127.0.0.1"
        /// TCP port; 0 asks the kernel for a free one. Default 8080.
        public var port = 8080
        /// Event loop threads; 0 means one per core. Default 0.
        public var eventLoops = 0
        /// Threads for blocking work (scrypt, SQLite). Default 32: most of their time is spent waiting for a group
        /// commit's fsync, not on a core, so fewer threads left the cores idle under load (e-signature logins were
        /// capped at 8 threads ÷ one fsync); scrypt has its own concurrency bound.
        public var workerThreads = 32
        /// Jobs that may wait for a worker before new ones are refused. Default 64.
        public var workerQueueCapacity = 64
        /// Seconds a job may wait for a worker before it is answered 503 instead of run. Default 1.
        public var workerQueueTimeoutSeconds: Double = 1
        /// Open connections across all loops. Default 10000.
        public var maxConnections = 10_000
        /// Longest request line in bytes. Default 8192.
        public var maxRequestLineBytes = 8_192
        /// Largest header section in bytes. Default 16384.
        public var maxHeaderBytes = 16_384
        /// Most header fields in one request. Default 100.
        public var maxHeaderCount = 100
        /// Largest request body in bytes. Default 1048576.
        public var maxBodyBytes = 1_048_576
        /// Seconds allowed to read a request's headers. Default 10.
        public var headerReadTimeoutSeconds: Double = 10
        /// Seconds an idle keep-alive connection is kept. Default 60.
        public var idleTimeoutSeconds: Double = 60
        /// Seconds in-flight requests get on shutdown. Default 10.
        public var shutdownGraceSeconds: Double = 10
        /// Whether each request is logged. Default true.
        public var accessLog = true

        /// The defaults.
        public init() {}
    }

    /// Whether and how the server asks for a client certificate.
    public enum ClientCertificate: String, Sendable, CaseIterable {
        /// Never asks.
        case none
        /// Asks; a client without one still gets in.
        case optional
        /// Asks; the handshake fails without one.
        case required
    }

    /// The `tls` section.
    public struct TLS: Sendable, Equatable {
        /// PEM certificate chain; empty means plain HTTP. Default "".
        public var certificateFile = ""
        /// PEM private key for `certificateFile`. Default "".
        public var privateKeyFile = ""
        /// none, optional or required. Default none.
        public var clientCertificate = ClientCertificate.none
        /// PEM bundle of CAs that client certificates are checked against. Default "".
        public var clientCAFile = ""

        /// The defaults.
        public init() {}

        /// Whether the listener speaks TLS.
        public var isEnabled: Bool { !certificateFile.isEmpty }
    }

    /// The `database` section.
    public struct Database: Sendable, Equatable {
        /// SQLite file (WAL mode needs a real file). Default "openesia.sqlite3".
        public var path = "openesia.sqlite3"
        /// Reader connections beside the one writer. Default 4.
        public var readers = 4
        /// Milliseconds a connection waits for a lock. Default 5000.
        public var busyTimeoutMilliseconds = 5_000

        /// The defaults.
        public init() {}
    }

    /// The `keys` section.
    public struct Keys: Sendable, Equatable {
        /// Folder holding keys and certificates. Default "keys".
        public var directory = "keys"

        /// The defaults.
        public init() {}
    }

    /// The `log` section.
    public struct Log: Sendable, Equatable {
        /// Lowest level written: debug, info, warning or error. Default info.
        public var level = LogLevel.info

        /// The defaults.
        public init() {}
    }

    /// The `service` section.
    public struct Service: Sendable, Equatable {
        /// Public base URL, the OpenID Connect issuer; https unless the host is loopback. Default "http://127.0.0.1:8080".
        public var issuer = "http://127.0.0.1:8080"

        /// The defaults.
        public init() {}
    }
}

extension Configuration {
    /// The `citizens` section.
    public struct Citizens: Sendable, Equatable {
        /// scrypt cost as log2(N) for new password hashes; older hashes are upgraded at the next login. Default 15.
        public var passwordCostLog2 = 15
        /// Seconds a session lives without use. Default 1800.
        public var sessionIdleTimeoutSeconds: Double = 1_800
        /// Seconds a session lives at most. Default 43200.
        public var sessionAbsoluteTimeoutSeconds: Double = 43_200
        /// Seconds a contact confirmation code is valid. Default 900.
        public var contactCodeLifetimeSeconds: Double = 900
        /// Minutes after a signature login during which the session may set the first password. Default 10.
        public var freshSignatureMinutes = 10

        /// The defaults.
        public init() {}
    }

    /// Which registry adapter checks documents.
    public enum RegistryAdapterKind: String, Sendable, CaseIterable {
        /// The embedded reference registry, loaded with `openesia registry import`.
        case reference
        /// An external verification service over HTTP (docs/registry.md).
        case http
    }

    /// The `registry` section.
    public struct Registry: Sendable, Equatable {
        /// reference or http. Default reference.
        public var adapter = RegistryAdapterKind.reference
        /// URL of the external verification service, for the http adapter. Default "".
        public var url = ""
        /// Seconds to wait for the external service. Default 10.
        public var timeoutSeconds: Double = 10

        /// The defaults.
        public init() {}
    }

    /// The `activation` section.
    public struct Activation: Sendable, Equatable {
        /// Days a code sent by registered letter stays valid, counted from the letter's export. Default 60.
        public var letterCodeLifetimeDays: Double = 60
        /// Days a code handed out at a service centre stays valid. Default 3.
        public var centreCodeLifetimeDays: Double = 3

        /// The defaults.
        public init() {}
    }

    /// The `staff` section.
    public struct Staff: Sendable, Equatable {
        /// Seconds a staff session lives without use. Default 600.
        public var sessionIdleTimeoutSeconds: Double = 600

        /// The defaults.
        public init() {}
    }

    /// The `federation` section.
    public struct Federation: Sendable, Equatable {
        /// Seconds a new signing key is published before it signs. Default 86400 (a day).
        public var signingKeyPublishLeadSeconds: Double = 86_400
        /// The longest lifetime of any signed token; retired keys stay in the JWKS this long after they stop signing. Default 3600.
        public var maxTokenLifetimeSeconds: Double = 3_600
        /// Seconds an authorization code may be exchanged for tokens. Default 60.
        public var authorizationCodeLifetimeSeconds: Double = 60
        /// Seconds access tokens and ID tokens are valid; at most `maxTokenLifetimeSeconds`. Default 3600.
        public var accessTokenLifetimeSeconds: Double = 3_600
        /// Seconds a refresh token may be used; each use gives a new one. Default 1209600 (14 days).
        public var refreshTokenLifetimeSeconds: Double = 1_209_600
        /// Seconds an authorization request waits for the citizen to log in and consent. Default 600.
        public var pendingAuthorizationLifetimeSeconds: Double = 600
        /// `iss` of the ESIA dialect's tokens; empty means `service.issuer` followed by `/` (ESIA writes its own as
        /// `http://esia.gosuslugi.ru/`). Default "".
        public var esiaIssuer = ""
        /// Seconds an ESIA request's `timestamp` may be before or after the server's clock (ESIA-007015 beyond). Default 300.
        public var esiaTimestampWindowSeconds: Double = 300
        /// Seconds one back-channel logout POST may take (connect, send, answer). Default 5.
        public var backchannelLogoutTimeoutSeconds: Double = 5
        /// Attempts at a back-channel logout delivery before it is dropped. Default 8.
        public var backchannelLogoutMaxAttempts = 8
        /// Seconds before the first retry of a failed back-channel logout delivery; doubled at each further one (at most 600). Default 5.
        public var backchannelLogoutRetrySeconds: Double = 5
        /// Seconds after the logout when an undelivered back-channel logout is dropped. Default 3600.
        public var backchannelLogoutMaxAgeSeconds: Double = 3_600

        /// The defaults.
        public init() {}
    }

    /// The `maintenance` section.
    public struct Maintenance: Sendable, Equatable {
        /// Seconds between clean-up rounds. Default 600.
        public var purgeIntervalSeconds: Double = 600
        /// Most rows deleted per table in one round. Default 10000.
        public var purgeBatchRows = 10_000

        /// The defaults.
        public init() {}
    }

    /// The `outbox` section.
    public struct Outbox: Sendable, Equatable {
        /// Command that delivers a message on its standard input, split on spaces (no quoting); empty means the file below. Default "".
        public var command = ""
        /// File that messages are appended to when no command is set (development). Default "outbox.log".
        public var file = "outbox.log"

        /// The defaults.
        public init() {}
    }
}

extension Configuration {
    /// How revocation is checked by default (the trust store's `RevocationPolicy`).
    public enum RevocationMode: String, Sendable, CaseIterable {
        /// Fail without a current CRL for every certificate in the chain.
        case require
        /// Check the CRLs at hand; a missing one is no failure.
        case ifAvailable = "if-available"
        /// No revocation check.
        case off
    }

    /// The `headca` section.
    public struct HeadCA: Sendable, Equatable {
        /// PEM files of the head CA roots; relative paths are relative to the config file. Default [] (nothing trusted).
        public var roots: [String] = []
        /// More roots, whose chains are checked against the CRLs at hand only (if-available), whatever `revocation` says.
        public var rootsRevocationIfAvailable: [String] = []
        /// More roots, whose chains are not checked for revocation at all (test hierarchies without CRLs).
        public var rootsRevocationOff: [String] = []
        /// The default revocation check. Default require.
        public var revocation = RevocationMode.require
        /// Hours after its thisUpdate a CRL counts as stale under require. Default 48.
        public var maxCRLAgeHours = 48
        /// Minutes between CRL downloads. Default 60.
        public var crlRefreshMinutes = 60
        /// Seconds an e-signature login challenge stays valid. Default 300.
        public var challengeLifetimeSeconds = 300
        /// Challenges one source address may ask for per minute before it is slowed down. Default 30.
        public var challengesPerMinute = 30

        /// The defaults.
        public init() {}
    }
}

extension Configuration.HTTP {
    /// The limits in the form the HTTP server takes them.
    public var limits: HTTPLimits {
        var limits = HTTPLimits()
        limits.maxRequestLineBytes = maxRequestLineBytes
        limits.maxHeaderBytes = maxHeaderBytes
        limits.maxHeaderCount = maxHeaderCount
        limits.maxBodyBytes = maxBodyBytes
        limits.headerReadTimeout = headerReadTimeoutSeconds
        limits.idleTimeout = idleTimeoutSeconds
        limits.maxConnections = maxConnections
        limits.shutdownGracePeriod = shutdownGraceSeconds
        return limits
    }
}
