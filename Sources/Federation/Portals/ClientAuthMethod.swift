/// How a portal proves who it is at the token endpoint; raw values are the OAuth registry names
/// (RFC 7591 §2, OIDC Core §9), plus `esia_signature` for the ESIA dialect.
public enum ClientAuthMethod: String, Sendable, CaseIterable {
    /// The client secret in HTTP Basic authentication (RFC 6749 §2.3.1).
    case clientSecretBasic = "client_secret_basic"
    /// The client secret as a form field of the token request (RFC 6749 §2.3.1).
    case clientSecretPost = "client_secret_post"
    /// A JWT signed with the portal's own key, published as a JWKS or a certificate (RFC 7523 §2.2).
    case privateKeyJWT = "private_key_jwt"
    /// A public client with no credentials (a browser or native app); PKCE is then required (RFC 7636).
    case none
    /// ESIA's `client_secret`: a signature with the portal's certificate key over the request fields, detached CMS
    /// (legacy flow) or raw GOST R 34.10-2012 (current flow) (ESIA-PROTOCOL §4.3, §5.4).
    case esiaSignature = "esia_signature"

    /// Whether this method uses the secret OpenESIA generates.
    public var usesSecret: Bool { self == .clientSecretBasic || self == .clientSecretPost }
}
