import Citizens
import Foundation

/// A registered portal (relying party): its client id, the settings an administrator chose, and the state the
/// registry keeps. The client secret's hash never leaves the registry; `hasSecret` says whether there is one.
public struct Portal: Sendable, Equatable {
    /// The OAuth `client_id`; ESIA calls it the mnemonic. 1–64 of `A-Z a-z 0-9 . _ -`, kept as given.
    public let clientID: String
    /// What the administrator set.
    public var settings: PortalSettings
    /// Whether the portal may log citizens in; disabled portals fail every check.
    public var enabled: Bool
    /// When the portal was registered.
    public var createdAt: Date
    /// When its settings or state last changed.
    public var updatedAt: Date
    /// Whether a client secret is on file (exactly when a secret method is among `settings.authMethods`).
    public var hasSecret: Bool
    /// When the current secret was made; nil without one.
    public var secretRotatedAt: Date?
    /// Until when the secret before the last rotation still works; nil when it no longer does.
    public var previousSecretExpiresAt: Date?

    /// Makes a value; the registry builds these, tests may too.
    public init(clientID: String, settings: PortalSettings, enabled: Bool, createdAt: Date, updatedAt: Date, hasSecret: Bool,
                secretRotatedAt: Date?, previousSecretExpiresAt: Date?) {
        self.clientID = clientID
        self.settings = settings
        self.enabled = enabled
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.hasSecret = hasSecret
        self.secretRotatedAt = secretRotatedAt
        self.previousSecretExpiresAt = previousSecretExpiresAt
    }

    /// The audit subject, `portal:<client id>`.
    public var subject: String { "portal:\(clientID)" }
}

/// The settings of a portal, checked: every value here obeys `PortalValidation`'s rules.
public struct PortalSettings: Sendable, Equatable {
    /// The name shown to citizens on the consent page.
    public var name: String
    /// Where authorization responses may go; compared by exact string match. Never empty.
    public var redirectURIs: [String]
    /// Where the browser may return after logout; compared by exact string match.
    public var postLogoutRedirectURIs: [String]
    /// Where logout tokens are posted (OIDC Back-Channel Logout); nil when the portal takes none.
    public var backchannelLogoutURI: String?
    /// The scopes the portal may ask for, in `Scope.allCases` order. Never empty.
    public var allowedScopes: [Scope]
    /// The lowest account level the portal accepts (ESIA's `person_filter`, error 007055).
    public var minimumLevel: AccountLevel
    /// The protocol the portal speaks.
    public var dialect: PortalDialect
    /// How tokens for this portal are signed; one of `dialect.signingAlgorithms`.
    public var signingAlgorithm: SigningAlgorithm
    /// How the portal authenticates, in `ClientAuthMethod.allCases` order. Never empty; `[.none]` for a public client.
    public var authMethods: [ClientAuthMethod]
    /// Where the portal publishes its keys for `private_key_jwt`.
    public var jwksURI: String?
    /// The portal's keys for `private_key_jwt`, inline, as given (a JSON object with a `keys` array).
    public var jwks: String?
    /// The portal's certificate, for `esia_signature` or `private_key_jwt`.
    public var certificate: PortalCertificate?
    /// Whether the certificate is trusted as registered (pinned) rather than checked against the head CA's trust store.
    public var certificatePinned: Bool

    /// Makes settings; use `PortalValidation.check` to make them from typed input.
    public init(name: String, redirectURIs: [String], postLogoutRedirectURIs: [String], backchannelLogoutURI: String?,
                allowedScopes: [Scope], minimumLevel: AccountLevel, dialect: PortalDialect, signingAlgorithm: SigningAlgorithm,
                authMethods: [ClientAuthMethod], jwksURI: String?, jwks: String?, certificate: PortalCertificate?, certificatePinned: Bool) {
        self.name = name
        self.redirectURIs = redirectURIs
        self.postLogoutRedirectURIs = postLogoutRedirectURIs
        self.backchannelLogoutURI = backchannelLogoutURI
        self.allowedScopes = allowedScopes
        self.minimumLevel = minimumLevel
        self.dialect = dialect
        self.signingAlgorithm = signingAlgorithm
        self.authMethods = authMethods
        self.jwksURI = jwksURI
        self.jwks = jwks
        self.certificate = certificate
        self.certificatePinned = certificatePinned
    }

    /// A public client (`none`): no credentials, so every authorization must use PKCE (RFC 7636, RFC 9700 §2.1.1).
    public var isPublic: Bool { authMethods == [.none] }

    /// Whether the portal authenticates with the client secret OpenESIA generates.
    public var usesSecret: Bool { authMethods.contains(where: \.usesSecret) }
}

/// A portal's X.509 certificate: the DER as registered, and what people need to recognise it.
public struct PortalCertificate: Sendable, Equatable {
    /// The certificate, DER.
    public let der: [UInt8]
    /// Subject, RFC 2253.
    public let subject: String
    /// Issuer, RFC 2253.
    public let issuer: String
    /// Serial number, lower-case hex.
    public let serialNumber: String
    /// Start of validity.
    public let notBefore: Date
    /// End of validity.
    public let notAfter: Date

    /// Makes a value; `PortalValidation` builds it by parsing the DER with OpenSSL.
    public init(der: [UInt8], subject: String, issuer: String, serialNumber: String, notBefore: Date, notAfter: Date) {
        self.der = der
        self.subject = subject
        self.issuer = issuer
        self.serialNumber = serialNumber
        self.notBefore = notBefore
        self.notAfter = notAfter
    }
}

/// A portal after `add` or `update`, with the client secret when one was just made: show it once, never store it.
public struct PortalRegistration: Sendable {
    /// The portal as stored now.
    public let portal: Portal
    /// The new client secret (base64url of 32 random bytes), when this call made one; nil otherwise.
    public let secret: String?
}

/// A rotated client secret: show it once, never store it.
public struct PortalSecretRotation: Sendable {
    /// The portal as stored now.
    public let portal: Portal
    /// The new client secret.
    public let secret: String
}
