/// The ESIA error codes OpenESIA answers with (ESIA-PROTOCOL §7), each with the OAuth `error` it travels under.
///
/// ESIA puts its own code at the start of `error_description` (`ESIA-007015: …`); client libraries show it or
/// match on it, so the numbers are ESIA's own, not invented here.
public enum ESIAErrorCode: String, Sendable, CaseIterable {
    /// No portal of the ESIA dialect with a certificate has this mnemonic, or it is disabled.
    case unknownClient = "ESIA-007002"
    /// A parameter is malformed or repeated, or a `state` was used before in a request of the same kind.
    case invalidParameter = "ESIA-007003"
    /// The citizen (or the service) refused.
    case accessDenied = "ESIA-007004"
    /// The portal may not use this grant type.
    case grantNotAllowed = "ESIA-007005"
    /// A scope that does not exist.
    case invalidScope = "ESIA-007006"
    /// Something failed inside OpenESIA.
    case internalError = "ESIA-007007"
    /// A grant type OpenESIA does not support.
    case unsupportedGrant = "ESIA-007009"
    /// The code or refresh token is unknown, expired, used, revoked or was issued to another portal.
    case invalidGrant = "ESIA-007011"
    /// A `response_type` other than `code`.
    case unsupportedResponseType = "ESIA-007012"
    /// No scope was asked for.
    case noScope = "ESIA-007013"
    /// A mandatory parameter is missing.
    case missingParameter = "ESIA-007014"
    /// `timestamp` is malformed or outside the accepted window around the server's clock.
    case wrongTimestamp = "ESIA-007015"
    /// The portal is not allowed a scope it asked for.
    case scopeNotAllowed = "ESIA-007019"
    /// `redirect_uri` is not registered for the portal; never redirected to.
    case redirectURINotAllowed = "ESIA-007023"
    /// `client_secret` (or `client_certificate_hash`) does not check out against the registered certificate, or that
    /// certificate is not valid now.
    case invalidClientSecret = "ESIA-007053"
    /// The portal accepts only accounts of a higher level than the citizen's.
    case levelTooLow = "ESIA-007055"

    /// The OAuth 2.0 `error` value (RFC 6749 §4.1.2.1, §5.2) sent with this code.
    public var oauthError: String {
        switch self {
        case .unknownClient, .invalidClientSecret: "invalid_client"
        case .invalidParameter, .missingParameter, .wrongTimestamp, .redirectURINotAllowed: "invalid_request"
        case .accessDenied, .levelTooLow: "access_denied"
        case .grantNotAllowed: "unauthorized_client"
        case .invalidScope, .noScope, .scopeNotAllowed: "invalid_scope"
        case .internalError: "server_error"
        case .unsupportedGrant: "unsupported_grant_type"
        case .invalidGrant: "invalid_grant"
        case .unsupportedResponseType: "unsupported_response_type"
        }
    }
}

/// A refused ESIA-dialect request: the ESIA code and a short English reason. Equality compares the code only.
public struct ESIAError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Which ESIA error this is.
    public let code: ESIAErrorCode
    /// What was wrong, for the portal's developer; never holds secrets or personal data.
    public let detail: String

    /// An error with `code` and `detail`.
    public init(_ code: ESIAErrorCode, _ detail: String) {
        self.code = code
        self.detail = detail
    }

    /// `ESIA-007015: timestamp is 612 seconds away from the server's clock`: the `error_description` value.
    public var errorDescription: String { "\(code.rawValue): \(detail)" }

    /// The OAuth `error` value.
    public var oauthError: String { code.oauthError }

    public var description: String { errorDescription }

    public static func == (a: ESIAError, b: ESIAError) -> Bool { a.code == b.code }
}
