import Audit
import Crypto
import Federation
import Foundation
import Storage
import Support

/// The options of `openesia portal add`, as typed; files are read by `PortalCommands.add`.
public struct PortalAddOptions: Equatable, Sendable {
    /// `--client-id`.
    public var clientID: String
    /// `--name`.
    public var name: String
    /// `--redirect-uri`, repeatable.
    public var redirectURIs: [String]
    /// `--post-logout-uri`, repeatable.
    public var postLogoutURIs: [String] = []
    /// `--backchannel-logout-uri`.
    public var backchannelLogoutURI: String?
    /// `--scopes`, split at spaces and commas; nil for the default (openid).
    public var scopes: [String]?
    /// `--min-level`.
    public var minimumLevel: String?
    /// `--dialect`.
    public var dialect: String?
    /// `--alg`.
    public var signingAlgorithm: String?
    /// `--auth`, split at commas; nil for the dialect's default.
    public var authMethods: [String]?
    /// `--jwks-uri`.
    public var jwksURI: String?
    /// `--jwks-file`: a file holding the JWKS.
    public var jwksFile: String?
    /// `--cert`: the portal's certificate, DER or PEM.
    public var certificateFile: String?
    /// `--pinned`.
    public var pinned = false

    /// Options with the required values; set the others as given.
    public init(clientID: String, name: String, redirectURIs: [String]) {
        self.clientID = clientID
        self.name = name
        self.redirectURIs = redirectURIs
    }
}

/// A portal command was refused; `message` says why in the terms of the command line.
public struct PortalCommandError: Error, Sendable, CustomStringConvertible {
    /// What kind of refusal, for the exit status.
    public enum Kind: Sendable { case invalid, duplicate, notFound }
    /// What kind of refusal.
    public let kind: Kind
    /// What to tell the operator.
    public let message: String
    /// The message.
    public var description: String { message }
}

/// The operator's portal commands (`openesia portal …`, docs/portals.md). Each opens the database (applying
/// migrations), does one job and closes it; safe beside a running server, which sees the change within a second.
/// Actions are audited with the actor `operator`, as the other operator commands are.
public enum PortalCommands {
    /// The longest grace period `rotate-secret --grace-seconds` takes.
    public static let maxGraceSeconds = PortalRegistry.maxGraceSeconds

    /// Registers a portal; returns its client id and the new client secret when it has a secret method (print it once).
    public static func add(configuration: Configuration, logger: Logger, options: PortalAddOptions,
                           currentDirectory: String) throws -> (clientID: String, secret: String?, summary: String) {
        var draft = PortalDraft(clientID: options.clientID, name: options.name, redirectURIs: options.redirectURIs)
        draft.postLogoutRedirectURIs = options.postLogoutURIs
        draft.backchannelLogoutURI = options.backchannelLogoutURI
        draft.scopes = options.scopes
        draft.minimumLevel = options.minimumLevel
        draft.dialect = options.dialect
        draft.signingAlgorithm = options.signingAlgorithm
        draft.authMethods = options.authMethods
        draft.jwksURI = options.jwksURI
        draft.jwks = try options.jwksFile.map { try String(contentsOfFile: absolute($0, currentDirectory), encoding: .utf8) }
        draft.certificate = try options.certificateFile.map { [UInt8](try Data(contentsOf: URL(fileURLWithPath: absolute($0, currentDirectory)))) }
        draft.pinned = options.pinned
        let added = try withRegistry(configuration, logger, draft: draft) { try $0.add(draft, actor: "operator") }
        let settings = added.portal.settings
        return (added.portal.clientID, added.secret,
                "\(settings.dialect.rawValue), \(settings.authMethods.map(\.rawValue).joined(separator: " ")), \(settings.signingAlgorithm.rawValue) tokens")
    }

    /// Every portal as a table, one line each; a sentence when there are none.
    public static func list(configuration: Configuration, logger: Logger) throws -> String {
        let portals = try withRegistry(configuration, logger) { try $0.list() }
        guard !portals.isEmpty else { return "No portals are registered.\n" }
        let rows = [["CLIENT ID", "DIALECT", "AUTH", "MIN LEVEL", "STATE", "NAME"]] + portals.map { portal in
            [portal.clientID, portal.settings.dialect.rawValue, portal.settings.authMethods.map(\.rawValue).joined(separator: ","),
             portal.settings.minimumLevel.rawValue, portal.enabled ? "enabled" : "disabled", portal.settings.name]
        }
        let widths = (0..<5).map { column in rows.map { $0[column].count }.max() ?? 0 }
        return rows.map { row in
            (0..<5).map { row[$0].padding(toLength: widths[$0] + 2, withPad: " ", startingAt: 0) }.joined() + row[5]
        }.joined(separator: "\n") + "\n"
    }

    /// One portal as pretty JSON, as the admin API shows it: settings and state, no secret hash.
    public static func show(configuration: Configuration, logger: Logger, clientID: String) throws -> String {
        let portal = try withRegistry(configuration, logger) { registry in
            guard let portal = try registry.portal(clientID: clientID) else { throw PortalError.notFound }
            return portal
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(PortalAPI.PortalBody(portal)), as: UTF8.self) + "\n"
    }

    /// Disables or enables a portal; returns false when it already was in that state (nothing changed).
    public static func setEnabled(_ enabled: Bool, configuration: Configuration, logger: Logger, clientID: String) throws -> Bool {
        try withRegistry(configuration, logger) { registry in
            guard let before = try registry.portal(clientID: clientID) else { throw PortalError.notFound }
            if enabled { try registry.enable(clientID: clientID, actor: "operator") } else { try registry.disable(clientID: clientID, actor: "operator") }
            return before.enabled != enabled
        }
    }

    /// Gives a portal a new client secret; the old one keeps working for `graceSeconds` (0: it stops now).
    public static func rotateSecret(configuration: Configuration, logger: Logger, clientID: String,
                                    graceSeconds: Int) throws -> (secret: String, previousValidUntil: Date?) {
        let rotation = try withRegistry(configuration, logger) { try $0.rotateSecret(clientID: clientID, graceSeconds: graceSeconds, actor: "operator") }
        return (rotation.secret, rotation.portal.previousSecretExpiresAt)
    }

    private static func withRegistry<T>(_ configuration: Configuration, _ logger: Logger, draft: PortalDraft? = nil,
                                        _ body: (PortalRegistry) throws -> T) throws -> T {
        var options = Database.Options()
        options.readers = configuration.database.readers
        options.busyTimeoutMilliseconds = configuration.database.busyTimeoutMilliseconds
        let database = try Database(path: configuration.database.path, options: options, logger: logger)
        defer { database.close() }
        try database.migrate(Migrations.all)
        let clock = SystemClock()
        let audit = try AuditLog(key: try KeyDirectory.secret(.audit, in: configuration.keys.directory).bytes, clock: clock)
        let registry = try PortalRegistry.make(configuration: configuration, database: database, audit: audit, clock: clock)
        do {
            return try body(registry)
        } catch let error as PortalError {
            throw PortalCommandError(kind: kind(error), message: explain(error, draft: draft))
        }
    }

    private static func kind(_ error: PortalError) -> PortalCommandError.Kind {
        switch error {
        case .invalid, .noSecret: .invalid
        case .clientIDTaken: .duplicate
        case .notFound: .notFound
        }
    }

    private static func absolute(_ path: String, _ folder: String) -> String {
        path.hasPrefix("/") ? path : (folder as NSString).appendingPathComponent(path)
    }

    // MARK: Messages

    /// What a `PortalError` means at the terminal; field problems name the option and, for lists, the value.
    static func explain(_ error: PortalError, draft: PortalDraft?) -> String {
        switch error {
        case .invalid(let problems):
            return "nothing was changed:\n" + problems.map { problem in
                let value = problem.index.flatMap { index in listValue(problem.field, index, draft) }.map { " \($0)" } ?? ""
                return "  \(optionName(problem.field))\(value): \(explain(problem.rule, field: problem.field))"
            }.joined(separator: "\n")
        case .clientIDTaken: return "another portal already has this client id (client ids differing only in case count as the same)"
        case .notFound: return "no portal has this client id (openesia portal list shows them)"
        case .noSecret: return "this portal authenticates without a client secret, so there is none to rotate"
        }
    }

    private static func listValue(_ field: String, _ index: Int, _ draft: PortalDraft?) -> String? {
        let list: [String]? = switch field {
        case PortalField.redirectURIs: draft?.redirectURIs
        case PortalField.postLogoutRedirectURIs: draft?.postLogoutRedirectURIs
        case PortalField.scopes: draft?.scopes
        case PortalField.authMethods: draft?.authMethods
        default: nil
        }
        guard let list, list.indices.contains(index) else { return nil }
        return String(list[index].prefix(120))
    }

    private static func optionName(_ field: String) -> String {
        switch field {
        case PortalField.clientID: "--client-id"
        case PortalField.name: "--name"
        case PortalField.redirectURIs: "--redirect-uri"
        case PortalField.postLogoutRedirectURIs: "--post-logout-uri"
        case PortalField.backchannelLogoutURI: "--backchannel-logout-uri"
        case PortalField.scopes: "--scopes"
        case PortalField.minimumLevel: "--min-level"
        case PortalField.dialect: "--dialect"
        case PortalField.signingAlgorithm: "--alg"
        case PortalField.authMethods: "--auth"
        case PortalField.jwksURI: "--jwks-uri"
        case PortalField.jwks: "--jwks-file"
        case PortalField.certificate: "--cert"
        case PortalField.pinned: "--pinned"
        case PortalField.graceSeconds: "--grace-seconds"
        default: field
        }
    }

    private static func explain(_ rule: PortalRule, field: String) -> String {
        switch rule {
        case .required: return "required"
        case .tooLong: return "too long"
        case .tooMany: return "too many (at most \(PortalValidation.maxURIs))"
        case .invalidCharacters:
            return field == PortalField.clientID ? "only A-Z, a-z, 0-9, '.', '_' and '-' (1 to 64)"
                : "invalid characters (URIs: printable ASCII, no spaces; percent-encode the rest)"
        case .invalidFormat: return field == PortalField.jwks ? "not a JSON object with a \"keys\" array" : "not in the expected format"
        case .notAbsolute: return "not an absolute URI (https://host/path)"
        case .fragmentNotAllowed: return "has a #fragment, which these URIs may not have"
        case .userInfoNotAllowed: return "has user:password@, which these URIs may not have"
        case .httpsRequired: return "must be https (plain http only to 127.0.0.1, [::1] or localhost)"
        case .duplicate: return "given twice"
        case .unknownValue: return "unknown; one of: " + allowedValues(field)
        case .notForDialect:
            return field == PortalField.signingAlgorithm ? "not for this dialect (oidc: ES256 or RS256; esia: RS256 or GOST3410_2012_256)"
                : "not for this dialect (esia portals use esia_signature alone; oidc portals never)"
        case .noneNotAlone: return "none (a public client, PKCE required) cannot be combined with other methods"
        case .signatureRequired: return "the esia dialect needs esia_signature"
        case .certificateRequired: return "esia_signature needs the portal's certificate (--cert FILE)"
        case .keysRequired: return "private_key_jwt needs the portal's keys: --jwks-uri, --jwks-file or --cert"
        case .conflict: return "give only one of --jwks-uri, --jwks-file and --cert"
        case .unused: return "nothing uses it (keys go with private_key_jwt, a certificate with it or esia_signature)"
        case .invalidCertificate: return "not one X.509 certificate (DER or PEM)"
        case .notAllowed: return "cannot change"
        case .outOfRange: return "out of range (0 to \(maxGraceSeconds))"
        case .unknownField: return "unknown field"
        }
    }

    private static func allowedValues(_ field: String) -> String {
        switch field {
        case PortalField.scopes: Scope.allCases.map(\.rawValue).joined(separator: " ")
        case PortalField.minimumLevel: "simplified, standard, confirmed"
        case PortalField.dialect: PortalDialect.allCases.map(\.rawValue).joined(separator: ", ")
        case PortalField.signingAlgorithm: SigningAlgorithm.allCases.map(\.rawValue).joined(separator: ", ")
        case PortalField.authMethods: ClientAuthMethod.allCases.map(\.rawValue).joined(separator: ", ")
        default: "see docs/portals.md"
        }
    }
}
