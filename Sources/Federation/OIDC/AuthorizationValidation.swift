import Citizens
import Foundation

/// Why a validated-so-far authorization request failed: a page for the citizen, or an error the portal gets at its
/// redirect URI (RFC 6749 §4.1.2.1).
public enum AuthorizationFailure: Error, Sendable, Equatable {
    /// Shown to the citizen; the browser is not sent anywhere.
    case page(AuthorizationPageError)
    /// Sent to the (registered) redirect URI with `state`.
    case redirect(OAuthError, redirectURI: String, state: String?)
}

/// The checks of the authorization endpoint, in the order they run. The client and the redirect URI come first,
/// because until both are known good no error may be redirected; everything after that is redirected.
///
/// ```
/// rejectDuplicateClientParameters → checkClient → checkRedirectURI      (failures: an error page)
/// rejectDuplicates → checkDialect → rejectUnsupported → checkResponseType → checkScope → checkPKCE
///   → checkPrompt → checkMaxAge → checkACR → checkLengths               (failures: redirect with error and state)
/// ```
public enum AuthorizationValidation {
    /// The longest `state`, `nonce` and `login_hint` accepted.
    public static let maxValueLength = 512

    /// Validates the parameters of an authorization request (query or form, duplicates kept as sent).
    /// - Parameter portal: finds a portal by client id (the registry's in-memory copy).
    public static func validate(_ parameters: [(name: String, value: String)],
                                portal: (String) throws -> Portal?) throws(AuthorizationFailure) -> AuthorizationRequest {
        let values = Parameters(parameters)
        try rejectDuplicateClientParameters(values)
        let found = try checkClient(values, portal: portal)
        let redirectURI = try checkRedirectURI(values, found)
        let state = values.first("state")
        func fail(_ error: OAuthError) -> AuthorizationFailure { .redirect(error, redirectURI: redirectURI, state: state) }
        do {
            try rejectDuplicates(values)
            try checkDialect(found)
            try rejectUnsupported(values)
            try checkResponseType(values)
            let scopes = try checkScope(values, found)
            let challenge = try checkPKCE(values, found)
            let prompts = try checkPrompt(values)
            let maxAge = try checkMaxAge(values)
            let level = checkACR(values)
            try checkLengths(values)
            return AuthorizationRequest(clientID: found.clientID, redirectURI: redirectURI, scopes: scopes, state: state,
                                        nonce: values.first("nonce"), prompts: prompts, maxAge: maxAge, requestedLevel: level,
                                        loginHint: values.first("login_hint").flatMap { $0.isEmpty ? nil : $0 },
                                        codeChallenge: challenge)
        } catch {
            throw fail(error)
        }
    }

    /// The parameters as sent; empty values count as absent (RFC 6749 §3.1).
    struct Parameters {
        let all: [(name: String, value: String)]
        init(_ all: [(name: String, value: String)]) { self.all = all.filter { !$0.value.isEmpty } }
        func first(_ name: String) -> String? { all.first { $0.name == name }?.value }
        func count(_ name: String) -> Int { all.reduce(0) { $0 + ($1.name == name ? 1 : 0) } }
    }

    // MARK: Steps whose failures are pages

    static func rejectDuplicateClientParameters(_ values: Parameters) throws(AuthorizationFailure) {
        if values.count("client_id") > 1 || values.count("redirect_uri") > 1 { throw .page(.duplicateParameter) }
    }

    static func checkClient(_ values: Parameters, portal: (String) throws -> Portal?) throws(AuthorizationFailure) -> Portal {
        guard let clientID = values.first("client_id") else { throw .page(.missingClientID) }
        guard let found = try? portal(clientID), found.enabled else { throw .page(.unknownClient) }
        return found
    }

    /// RFC 6749 §3.1.2.3 and RFC 9700 §2.1: the redirect URI must equal a registered one exactly, character for character.
    static func checkRedirectURI(_ values: Parameters, _ portal: Portal) throws(AuthorizationFailure) -> String {
        guard let uri = values.first("redirect_uri") else { throw .page(.missingRedirectURI) }
        guard portal.settings.redirectURIs.contains(uri) else { throw .page(.unregisteredRedirectURI) }
        return uri
    }

    // MARK: Steps whose failures are redirected

    /// RFC 6749 §3.1: request parameters MUST NOT be included more than once.
    static func rejectDuplicates(_ values: Parameters) throws(OAuthError) {
        var seen = Set<String>()
        for parameter in values.all where !seen.insert(parameter.name).inserted {
            throw .invalidRequest("A parameter was given more than once.")
        }
    }

    static func checkDialect(_ portal: Portal) throws(OAuthError) {
        guard portal.settings.dialect == .oidc else {
            throw OAuthError(.unauthorizedClient, "This client is registered for the ESIA dialect, not OpenID Connect.")
        }
    }

    /// Request objects (OpenID Connect Core §6) and dynamic registration are not offered; discovery says so.
    static func rejectUnsupported(_ values: Parameters) throws(OAuthError) {
        if values.first("request") != nil { throw OAuthError(.requestNotSupported, "Request objects are not supported.") }
        if values.first("request_uri") != nil { throw OAuthError(.requestURINotSupported, "request_uri is not supported.") }
        if values.first("registration") != nil { throw OAuthError(.registrationNotSupported, "registration is not supported.") }
        if let mode = values.first("response_mode"), mode != "query" {
            throw .invalidRequest("Only response_mode=query is supported.")
        }
    }

    static func checkResponseType(_ values: Parameters) throws(OAuthError) {
        guard let type = values.first("response_type") else { throw .invalidRequest("response_type is missing.") }
        guard type == "code" else { throw OAuthError(.unsupportedResponseType, "Only response_type=code is supported.") }
    }

    /// OpenID Connect Core §3.1.2.1: `openid` must be present; every scope must be known and allowed for the portal.
    static func checkScope(_ values: Parameters, _ portal: Portal) throws(OAuthError) -> [Scope] {
        guard let text = values.first("scope") else { throw .invalidScope("scope is missing; it must include openid.") }
        let scopes = try ScopeList.parse(text)
        guard scopes.contains(.openid) else { throw .invalidScope("scope must include openid.") }
        guard !scopes.contains(where: \.isServiceScope) else {
            throw .invalidScope("A service scope is granted only through client credentials.")
        }
        guard scopes.allSatisfy(portal.settings.allowedScopes.contains) else {
            throw .invalidScope("A scope is not allowed for this client.")
        }
        return scopes
    }

    /// RFC 7636 §4.3, RFC 9700 §2.1.1: S256 only (`plain` would let a stolen challenge redeem the code); public clients
    /// must use it.
    static func checkPKCE(_ values: Parameters, _ portal: Portal) throws(OAuthError) -> String? {
        let challenge = values.first("code_challenge")
        let method = values.first("code_challenge_method")
        guard let challenge else {
            if method != nil { throw .invalidRequest("code_challenge_method was given without code_challenge.") }
            if portal.settings.isPublic { throw .invalidRequest("PKCE (code_challenge with S256) is required for this client.") }
            return nil
        }
        // Without a method the default is plain (RFC 7636 §4.3), which is refused as well.
        guard method == "S256" else { throw .invalidRequest("code_challenge_method must be S256.") }
        guard PKCE.isWellFormedChallenge(challenge) else { throw .invalidRequest("code_challenge is not a base64url SHA-256 value.") }
        return challenge
    }

    static func checkPrompt(_ values: Parameters) throws(OAuthError) -> [AuthorizationRequest.Prompt] {
        guard let text = values.first("prompt") else { return [] }
        var prompts: [AuthorizationRequest.Prompt] = []
        for word in text.split(separator: " ") {
            guard let prompt = AuthorizationRequest.Prompt(rawValue: String(word)) else { throw .invalidRequest("Unknown prompt value.") }
            if !prompts.contains(prompt) { prompts.append(prompt) }
        }
        // OpenID Connect Core §3.1.2.1: none with any other value is an error.
        if prompts.contains(.none) && prompts.count > 1 { throw .invalidRequest("prompt=none cannot be combined with other values.") }
        return prompts
    }

    static func checkMaxAge(_ values: Parameters) throws(OAuthError) -> Int? {
        guard let text = values.first("max_age") else { return nil }
        guard text.utf8.count <= 10, text.allSatisfy(\.isASCII), let seconds = Int(text), seconds >= 0 else {
            throw .invalidRequest("max_age must be a non-negative number of seconds.")
        }
        return seconds
    }

    /// `acr_values` names account levels; the lowest one named is what the portal needs (the others are preferences
    /// the citizen's actual level satisfies or exceeds). Values that are not levels are ignored, as OpenID Connect
    /// treats acr_values as voluntary.
    static func checkACR(_ values: Parameters) -> AccountLevel? {
        guard let text = values.first("acr_values") else { return nil }
        return text.split(separator: " ").compactMap { AccountLevel(rawValue: String($0)) }.min()
    }

    static func checkLengths(_ values: Parameters) throws(OAuthError) {
        for name in ["state", "nonce", "login_hint"] {
            if let value = values.first(name), value.utf8.count > maxValueLength { throw .invalidRequest("\(name) is too long.") }
        }
    }
}

/// Space-separated scope lists (RFC 6749 §3.3).
public enum ScopeList {
    /// The scopes of `text`, each once, in `Scope.allCases` order; throws `invalid_scope` for a name OpenESIA does not know.
    public static func parse(_ text: String) throws(OAuthError) -> [Scope] {
        var found = Set<Scope>()
        for word in text.split(separator: " ") {
            guard let scope = Scope(rawValue: String(word)) else { throw .invalidScope("Unknown scope.") }
            found.insert(scope)
        }
        return Scope.allCases.filter(found.contains)
    }

    /// The scopes joined with spaces.
    public static func format(_ scopes: [Scope]) -> String {
        scopes.map(\.rawValue).joined(separator: " ")
    }
}
