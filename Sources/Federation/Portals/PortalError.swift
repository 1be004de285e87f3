/// Why a portal operation was refused. Facts only; the server maps them to statuses, the command line to exit codes.
public enum PortalError: Error, Sendable, Equatable {
    /// Some fields break the rules; every problem is listed, each naming its field.
    case invalid([PortalFieldError])
    /// Another portal has this client id (compared without regard to case, so `ABC` and `abc` cannot both exist).
    case clientIDTaken
    /// No portal has this client id.
    case notFound
    /// The portal authenticates without a client secret, so there is none to rotate.
    case noSecret
}

/// One broken rule of one field.
public struct PortalFieldError: Sendable, Equatable, CustomStringConvertible {
    /// The field, one of `PortalField`.
    public let field: String
    /// For list fields: which entry (0-based); nil for the field as a whole.
    public let index: Int?
    /// The rule broken.
    public let rule: PortalRule

    /// An error of `field` (entry `index` of a list field) breaking `rule`.
    public init(_ field: String, _ rule: PortalRule, index: Int? = nil) {
        self.field = field
        self.rule = rule
        self.index = index
    }

    /// `redirectUris[1]`: the field as a JSON client names it.
    public var path: String { index.map { "\(field)[\($0)]" } ?? field }

    /// `path: rule`, for logs and test failures.
    public var description: String { "\(path): \(rule.rawValue)" }
}

/// The rules a portal's fields can break; stable strings, safe to send to clients.
public enum PortalRule: String, Sendable, CaseIterable {
    /// Missing or empty, but the field must be given.
    case required
    /// Longer than the field allows.
    case tooLong
    /// More entries than the list allows.
    case tooMany
    /// A character the field never allows.
    case invalidCharacters
    /// Not in the expected shape (not a URI, not JSON).
    case invalidFormat
    /// A URI without scheme and host.
    case notAbsolute
    /// A URI with a `#fragment` (RFC 6749 §3.1.2: redirection endpoints must not have one).
    case fragmentNotAllowed
    /// A URI with `user:password@`.
    case userInfoNotAllowed
    /// Not https, and not http to a loopback host (127.0.0.1, [::1], localhost).
    case httpsRequired
    /// The same entry twice.
    case duplicate
    /// Not one of the values the field takes.
    case unknownValue
    /// A value the portal's dialect does not take (GOST tokens for OIDC, esia_signature for OIDC, ...).
    case notForDialect
    /// `none` (a public client) combined with another method.
    case noneNotAlone
    /// The ESIA dialect needs the `esia_signature` method.
    case signatureRequired
    /// `esia_signature` needs the portal's certificate.
    case certificateRequired
    /// `private_key_jwt` needs the portal's keys: a JWKS URI, an inline JWKS, or a certificate.
    case keysRequired
    /// More than one source of the portal's keys was given.
    case conflict
    /// Given, but nothing the portal uses needs it (a JWKS without private_key_jwt, pinning without a certificate).
    case unused
    /// Not one X.509 certificate in DER or PEM.
    case invalidCertificate
    /// The value may not change (the client id of an existing portal).
    case notAllowed
    /// A number outside the range the field takes.
    case outOfRange
    /// A field the admin API does not know (a misspelling would otherwise be silently ignored).
    case unknownField
}

/// The field names of portal settings: the admin API's JSON names, which errors use too.
public enum PortalField {
    /// The client id (ESIA: the mnemonic).
    public static let clientID = "clientId"
    /// The portal's name.
    public static let name = "name"
    /// The redirect URIs.
    public static let redirectURIs = "redirectUris"
    /// Where the browser may return after logout.
    public static let postLogoutRedirectURIs = "postLogoutRedirectUris"
    /// The back-channel logout endpoint.
    public static let backchannelLogoutURI = "backchannelLogoutUri"
    /// The allowed scopes.
    public static let scopes = "scopes"
    /// The lowest account level the portal accepts.
    public static let minimumLevel = "minimumLevel"
    /// oidc or esia.
    public static let dialect = "dialect"
    /// How tokens for the portal are signed.
    public static let signingAlgorithm = "signingAlgorithm"
    /// The client authentication methods.
    public static let authMethods = "authMethods"
    /// Where the portal publishes its keys.
    public static let jwksURI = "jwksUri"
    /// The portal's keys, inline.
    public static let jwks = "jwks"
    /// The portal's certificate.
    public static let certificate = "certificate"
    /// Whether the certificate is pinned.
    public static let pinned = "pinned"
    /// How long the secret before a rotation keeps working, in seconds.
    public static let graceSeconds = "graceSeconds"
}
