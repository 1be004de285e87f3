/// A portal's fields as an administrator gave them (command line or admin API), before any check.
/// `PortalValidation.check` turns a draft into `PortalSettings` or lists every problem at once.
/// Absent optional values take the defaults written beside them; blank strings count as absent.
public struct PortalDraft: Sendable, Equatable {
    /// The client id (ESIA: the mnemonic); 1–64 of `A-Z a-z 0-9 . _ -`.
    public var clientID: String
    /// The name shown to citizens.
    public var name: String
    /// At least one; absolute, no fragment, https (http only to 127.0.0.1, [::1] or localhost).
    public var redirectURIs: [String]
    /// Same rules as the redirect URIs; may be empty.
    public var postLogoutRedirectURIs: [String] = []
    /// Same rules as a redirect URI; optional.
    public var backchannelLogoutURI: String?
    /// Scope names from `Scope`; nil means `openid` alone.
    public var scopes: [String]?
    /// simplified, standard or confirmed; nil means simplified.
    public var minimumLevel: String?
    /// oidc or esia; nil means oidc.
    public var dialect: String?
    /// A JWS `alg` from the dialect's list; nil means the dialect's default (oidc ES256, esia RS256).
    public var signingAlgorithm: String?
    /// `ClientAuthMethod` names; nil or empty means client_secret_basic (oidc) or esia_signature (esia).
    public var authMethods: [String]?
    /// Where the portal publishes its keys (for private_key_jwt).
    public var jwksURI: String?
    /// The portal's keys inline, a JSON object with a `keys` array (for private_key_jwt).
    public var jwks: String?
    /// The portal's certificate, DER or PEM (for esia_signature, or private_key_jwt).
    public var certificate: [UInt8]?
    /// Trust the certificate as registered instead of checking it against the head CA's trust store.
    public var pinned = false

    /// A draft with the required fields; set the others as needed.
    public init(clientID: String, name: String, redirectURIs: [String]) {
        self.clientID = clientID
        self.name = name
        self.redirectURIs = redirectURIs
    }
}
