/// Which protocol a portal speaks to OpenESIA.
public enum PortalDialect: String, Sendable, CaseIterable {
    /// OAuth 2.0 / OpenID Connect, for ordinary OIDC client libraries.
    case oidc
    /// The ESIA-compatible dialect (`/aas/oauth2/...`): clients sign their requests with a certificate
    /// instead of holding a secret (ESIA-PROTOCOL §2, §15.2).
    case esia

    /// The token signing algorithm a portal of this dialect gets when it names none.
    public var defaultSigningAlgorithm: SigningAlgorithm {
        switch self {
        case .oidc: .es256
        case .esia: .rs256
        }
    }

    /// The token signing algorithms a portal of this dialect may choose.
    ///
    /// GOST is offered only to the ESIA dialect: plain OIDC client libraries do not know `GOST3410_2012_256`,
    /// and a token they cannot verify is worse than a refusal at registration.
    public var signingAlgorithms: [SigningAlgorithm] {
        switch self {
        case .oidc: [.es256, .rs256]
        case .esia: [.rs256, .gost2012_256]
        }
    }
}

/// How OpenESIA signs the tokens it issues to a portal; the raw value is the JWS `alg` name.
public enum SigningAlgorithm: String, Sendable, CaseIterable {
    /// ECDSA P-256 with SHA-256 (RFC 7518 §3.4).
    case es256 = "ES256"
    /// RSASSA-PKCS1-v1_5 with SHA-256 (RFC 7518 §3.3).
    case rs256 = "RS256"
    /// GOST R 34.10-2012 (256-bit key) over Streebog-256, under ESIA's own name (ESIA-PROTOCOL §6.2).
    case gost2012_256 = "GOST3410_2012_256"
}
