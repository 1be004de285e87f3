import Citizens
import Foundation

/// An authorization request that passed every check (`AuthorizationValidation`): plain values, safe to store while the
/// citizen logs in and to act on afterwards.
public struct AuthorizationRequest: Sendable, Equatable, Codable {
    /// The portal's client id.
    public var clientID: String
    /// A redirect URI the portal registered, exactly as sent.
    public var redirectURI: String
    /// The scopes asked for, `openid` among them, in `Scope.allCases` order, each once.
    public var scopes: [Scope]
    /// Echoed to the portal with the answer.
    public var state: String?
    /// Copied into the ID token.
    public var nonce: String?
    /// The `prompt` values (OpenID Connect Core §3.1.2.1).
    public var prompts: [Prompt]
    /// The longest time since the citizen's last login the portal accepts, in seconds.
    public var maxAge: Int?
    /// The lowest account level named in `acr_values`; nil when none was asked for.
    public var requestedLevel: AccountLevel?
    /// What to put in the login form's login field.
    public var loginHint: String?
    /// The PKCE challenge (RFC 7636), S256 only; nil when the portal sent none.
    public var codeChallenge: String?
    /// What an ESIA-dialect request adds (`ESIAProvider`); nil for OpenID Connect.
    public var esia: ESIAAuthorization?

    /// Makes a value; `AuthorizationValidation.validate` makes them from a request's parameters.
    public init(clientID: String, redirectURI: String, scopes: [Scope], state: String? = nil, nonce: String? = nil,
                prompts: [Prompt] = [], maxAge: Int? = nil, requestedLevel: AccountLevel? = nil, loginHint: String? = nil,
                codeChallenge: String? = nil, esia: ESIAAuthorization? = nil) {
        self.clientID = clientID
        self.redirectURI = redirectURI
        self.scopes = scopes
        self.state = state
        self.nonce = nonce
        self.prompts = prompts
        self.maxAge = maxAge
        self.requestedLevel = requestedLevel
        self.loginHint = loginHint
        self.codeChallenge = codeChallenge
        self.esia = esia
    }

    /// The `prompt` values OpenESIA acts on.
    public enum Prompt: String, Sendable, Codable, CaseIterable {
        /// No page may be shown: answer at once, with `login_required` or `consent_required` if needed.
        case none
        /// Make the citizen log in again even with a live session.
        case login
        /// Ask for consent even when it was given before.
        case consent
        /// Accepted and ignored: a browser holds one citizen session at a time.
        case selectAccount = "select_account"
    }
}

extension Scope: Codable {}

extension AccountLevel: Codable {}
