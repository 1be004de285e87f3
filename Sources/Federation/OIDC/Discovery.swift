import Citizens
import Support

/// The discovery document (OpenID Connect Discovery 1.0 §3, RFC 8414): exactly what this provider supports.
enum Discovery {
    /// The endpoint paths, relative to the issuer.
    enum Path {
        static let authorization = "/oauth2/authorize"
        static let token = "/oauth2/token"
        static let userinfo = "/oauth2/userinfo"
        static let jwks = "/.well-known/jwks.json"
        static let introspection = "/oauth2/introspect"
        static let revocation = "/oauth2/revoke"
        static let endSession = "/oauth2/logout"
    }

    static func document(issuer: String) -> JSONValue {
        let authMethods: [JSONValue] = ["client_secret_basic", "client_secret_post", "private_key_jwt", "none"]
        let claims: [JSONValue] = ["sub", "iss", "aud", "exp", "iat", "auth_time", "nonce", "acr", "amr", "sid", "family_name",
                                   "given_name", "middle_name", "name", "birthdate", "gender", "snils", "inn", "id_doc", "email",
                                   "email_verified", "phone_number", "phone_number_verified", "contacts", "address"]
        return [
            "issuer": .string(issuer),
            "authorization_endpoint": .string(issuer + Path.authorization),
            "token_endpoint": .string(issuer + Path.token),
            "userinfo_endpoint": .string(issuer + Path.userinfo),
            "jwks_uri": .string(issuer + Path.jwks),
            "introspection_endpoint": .string(issuer + Path.introspection),
            "revocation_endpoint": .string(issuer + Path.revocation),
            "end_session_endpoint": .string(issuer + Path.endSession),
            "backchannel_logout_supported": true,
            "backchannel_logout_session_supported": true,
            "scopes_supported": .array(Scope.allCases.map { .string($0.rawValue) }),
            "response_types_supported": ["code"],
            "response_modes_supported": ["query"],
            "grant_types_supported": ["authorization_code", "refresh_token", "client_credentials"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["ES256", "RS256"],
            "token_endpoint_auth_methods_supported": .array(authMethods),
            "introspection_endpoint_auth_methods_supported": .array(authMethods),
            "revocation_endpoint_auth_methods_supported": .array(authMethods),
            "code_challenge_methods_supported": ["S256"],
            "token_endpoint_auth_signing_alg_values_supported": ["ES256", "RS256"],
            "acr_values_supported": .array(AccountLevel.allCases.map { .string($0.rawValue) }),
            "prompt_values_supported": ["none", "login", "consent", "select_account"],
            "claims_supported": .array(claims),
            "claims_parameter_supported": false,
            "request_parameter_supported": false,
            "request_uri_parameter_supported": false,
            "authorization_response_iss_parameter_supported": true,
            "ui_locales_supported": ["ru", "en"],
        ]
    }
}
