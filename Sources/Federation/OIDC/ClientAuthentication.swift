import Foundation
import Support

/// The credentials a token, introspection or revocation request carries (RFC 6749 §2.3.1), as sent.
public struct ClientCredentials: Sendable, Equatable {
    /// From `Authorization: Basic`, each half form-decoded; nil when the header is absent.
    public var basic: (clientID: String, secret: String)?
    /// An Authorization header that is not a well-formed Basic one.
    public var malformedHeader = false
    /// The form's `client_id`.
    public var clientID: String?
    /// The form's `client_secret`.
    public var clientSecret: String?
    /// The form's `client_assertion` (RFC 7523 §2.2).
    public var assertion: String?
    /// The form's `client_assertion_type`.
    public var assertionType: String?

    public static func == (a: ClientCredentials, b: ClientCredentials) -> Bool {
        a.basic?.clientID == b.basic?.clientID && a.basic?.secret == b.basic?.secret && a.malformedHeader == b.malformedHeader
            && a.clientID == b.clientID && a.clientSecret == b.clientSecret && a.assertion == b.assertion && a.assertionType == b.assertionType
    }

    /// The credentials of a request: its `Authorization` header value and its (duplicate-free) form fields.
    public init(authorization: String?, form: [String: String]) {
        clientID = form["client_id"]
        clientSecret = form["client_secret"]
        assertion = form["client_assertion"]
        assertionType = form["client_assertion_type"]
        guard let authorization else { return }
        guard let decoded = Self.basic(authorization) else {
            malformedHeader = true
            return
        }
        basic = decoded
    }

    /// `Basic base64(urlencode(id):urlencode(secret))` (RFC 6749 §2.3.1, RFC 7617).
    static func basic(_ header: String) -> (String, String)? {
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "basic", parts[1].utf8.count <= 1_024,
              let data = Data(base64Encoded: String(parts[1].trimmingSpacesAndTabs())),
              let text = String(validating: data, as: UTF8.self), let colon = text.firstIndex(of: ":"),
              let id = PercentDecoding.decode(text[..<colon], plusAsSpace: true),
              let secret = PercentDecoding.decode(text[text.index(after: colon)...], plusAsSpace: true), !id.isEmpty
        else { return nil }
        return (id, secret)
    }
}

/// Client authentication at the token, introspection and revocation endpoints.
///
/// One method per request (RFC 6749 §2.3: a client MUST NOT use more than one), and it must be one the portal
/// registered: a portal registered for `client_secret_basic` cannot send its secret in the form. Public clients
/// (`none`) send only `client_id`. Every failure is the same `invalid_client`.
struct ClientAuthentication: Sendable {
    let registry: PortalRegistry
    let assertions: ClientAssertionVerifier

    func authenticate(_ credentials: ClientCredentials) throws(OAuthError) -> Portal {
        let triedBasic = credentials.basic != nil || credentials.malformedHeader || (credentials.clientID == nil && credentials.assertion == nil)
        let failure = OAuthError.invalidClient(triedBasic: triedBasic)
        if credentials.malformedHeader { throw failure }
        if let assertion = credentials.assertion {
            guard credentials.basic == nil, credentials.clientSecret == nil else {
                throw OAuthError.invalidRequest("Use one client authentication method, not two.")
            }
            return try assertions.authenticate(assertion, type: credentials.assertionType, clientID: credentials.clientID)
        }
        let method: ClientAuthMethod
        let clientID: String
        var secret: String?
        if let basic = credentials.basic {
            guard credentials.clientSecret == nil else { throw OAuthError.invalidRequest("Use one client authentication method, not two.") }
            if let formID = credentials.clientID, formID != basic.clientID { throw failure }
            (method, clientID, secret) = (.clientSecretBasic, basic.clientID, basic.secret)
        } else if let formSecret = credentials.clientSecret {
            guard let formID = credentials.clientID else { throw failure }
            (method, clientID, secret) = (.clientSecretPost, formID, formSecret)
        } else if let formID = credentials.clientID {
            (method, clientID) = (.none, formID)
        } else {
            throw failure
        }
        guard let portal = try? registry.portal(clientID: clientID), portal.enabled, portal.settings.dialect == .oidc,
              portal.settings.authMethods.contains(method) else {
            // The same work as a real check, so timing does not say which client ids exist.
            if let secret { _ = registry.verifySecret(clientID: clientID, presented: secret) }
            throw failure
        }
        if let secret, !registry.verifySecret(clientID: clientID, presented: secret) { throw failure }
        return portal
    }
}
