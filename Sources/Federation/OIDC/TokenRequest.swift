import Support

/// A token request's parameters (RFC 6749 §4.1.3, §6, §4.4), after the duplicate check.
public struct TokenRequest: Sendable, Equatable {
    /// `grant_type`.
    public var grantType: String
    /// The form's fields, each once.
    public var fields: [String: String]
    /// The client's credentials.
    public var credentials: ClientCredentials

    /// The request from its form fields as sent and its `Authorization` header.
    /// - Throws: `invalid_request` when a parameter repeats (RFC 6749 §3.2) or `grant_type` is missing.
    public init(form: [(name: String, value: String)], authorization: String?) throws(OAuthError) {
        fields = try Self.singleValued(form)
        guard let grantType = fields["grant_type"] else { throw .invalidRequest("grant_type is missing.") }
        self.grantType = grantType
        credentials = ClientCredentials(authorization: authorization, form: fields)
    }

    /// The form as a dictionary; empty values count as absent. Throws `invalid_request` on a repeated name.
    public static func singleValued(_ form: [(name: String, value: String)]) throws(OAuthError) -> [String: String] {
        var fields: [String: String] = [:]
        for (name, value) in form {
            guard fields[name] == nil else { throw .invalidRequest("A parameter was given more than once.") }
            if !value.isEmpty { fields[name] = value }
        }
        return fields
    }
}

/// A successful token response (RFC 6749 §5.1, OpenID Connect Core §3.1.3.3).
public struct TokenResponse: Sendable, Equatable {
    public var accessToken: String
    public var expiresIn: Int
    public var scope: String
    public var idToken: String?
    public var refreshToken: String?

    /// The JSON body; `token_type` is always Bearer.
    public var json: JSONValue {
        var body: [String: JSONValue] = ["access_token": .string(accessToken), "token_type": "Bearer",
                                         "expires_in": .integer(Int64(expiresIn)), "scope": .string(scope)]
        if let idToken { body["id_token"] = .string(idToken) }
        if let refreshToken { body["refresh_token"] = .string(refreshToken) }
        return .object(body)
    }
}
