/// An OAuth 2.0 / OpenID Connect error as the protocol names it: the `error` code and a description for the client.
///
/// The codes are those of RFC 6749 §4.1.2.1 and §5.2, OpenID Connect Core §3.1.2.6 and RFC 6750 §3.1. The server turns
/// the code into a status (`invalid_client` and `invalid_token` 401, `insufficient_scope` 403, `server_error` 500, the
/// rest 400) in ErrorMapping.
/// Descriptions are fixed sentences written here, never echoes of the request, so they are safe to send back.
public struct OAuthError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The `error` value.
    public struct Code: RawRepresentable, Sendable, Hashable {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }

        public static let invalidRequest = Code(rawValue: "invalid_request")
        public static let unauthorizedClient = Code(rawValue: "unauthorized_client")
        public static let accessDenied = Code(rawValue: "access_denied")
        public static let unsupportedResponseType = Code(rawValue: "unsupported_response_type")
        public static let invalidScope = Code(rawValue: "invalid_scope")
        public static let serverError = Code(rawValue: "server_error")
        public static let loginRequired = Code(rawValue: "login_required")
        public static let consentRequired = Code(rawValue: "consent_required")
        public static let requestNotSupported = Code(rawValue: "request_not_supported")
        public static let requestURINotSupported = Code(rawValue: "request_uri_not_supported")
        public static let registrationNotSupported = Code(rawValue: "registration_not_supported")
        public static let invalidClient = Code(rawValue: "invalid_client")
        public static let invalidGrant = Code(rawValue: "invalid_grant")
        public static let unsupportedGrantType = Code(rawValue: "unsupported_grant_type")
        public static let invalidToken = Code(rawValue: "invalid_token")
        public static let unsupportedTokenType = Code(rawValue: "unsupported_token_type")
        public static let insufficientScope = Code(rawValue: "insufficient_scope")
    }

    /// The `error` code.
    public let code: Code
    /// The `error_description`: one fixed sentence.
    public let detail: String
    /// For `invalid_client`: whether the client tried HTTP Basic, so the answer must carry `WWW-Authenticate: Basic`
    /// (RFC 6749 §5.2).
    public var triedBasic = false

    /// An error with its code and description.
    public init(_ code: Code, _ detail: String) {
        self.code = code
        self.detail = detail
    }

    /// `code: detail`.
    public var description: String { "\(code.rawValue): \(detail)" }

    public static func invalidRequest(_ detail: String) -> OAuthError { OAuthError(.invalidRequest, detail) }
    public static func invalidGrant(_ detail: String) -> OAuthError { OAuthError(.invalidGrant, detail) }
    public static func invalidScope(_ detail: String) -> OAuthError { OAuthError(.invalidScope, detail) }
    public static func invalidToken(_ detail: String) -> OAuthError { OAuthError(.invalidToken, detail) }

    /// A failed client authentication; one sentence for every reason, so a caller learns nothing about which part was wrong.
    public static func invalidClient(triedBasic: Bool) -> OAuthError {
        var error = OAuthError(.invalidClient, "Client authentication failed.")
        error.triedBasic = triedBasic
        return error
    }
}

/// Why an authorization request is answered with an error page instead of a redirect: the client or the redirect URI
/// cannot be trusted, so sending the browser anywhere would make the service an open redirector (RFC 6749 §4.1.2.1,
/// §10.15).
public enum AuthorizationPageError: Error, Sendable, Equatable {
    /// No `client_id`.
    case missingClientID
    /// No enabled portal has this client id.
    case unknownClient
    /// No `redirect_uri` (OpenID Connect Core §3.1.2.1 requires it).
    case missingRedirectURI
    /// The redirect URI is not one the portal registered (compared exactly).
    case unregisteredRedirectURI
    /// `client_id` or `redirect_uri` was given more than once.
    case duplicateParameter
    /// The pending request behind a resumed login is unknown, expired, or belongs to another browser.
    case unknownRequest
}
