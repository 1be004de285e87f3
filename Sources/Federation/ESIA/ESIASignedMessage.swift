/// The text a portal signs for `client_secret`: request fields concatenated with no separators, UTF-8
/// (ESIA-PROTOCOL §4.3, §5.2). Every field is taken exactly as the request carried it (after URL decoding): the
/// scope string as sent, not a normalised scope list, and the timestamp with a decoded `+` restored.
public enum ESIASignedMessage {
    /// Legacy flow (`/aas/oauth2/ac`, `/aas/oauth2/te`, every grant): `scope + timestamp + client_id + state`.
    public static func legacy(scope: String, timestamp: String, clientID: String, state: String) -> [UInt8] {
        Array((scope + timestamp + clientID + state).utf8)
    }

    /// `/aas/oauth2/v2/ac`: `client_id + scope + scope_org + timestamp + state + redirect_uri`.
    public static func currentAuthorization(clientID: String, scope: String, scopeOrg: String, timestamp: String, state: String,
                                            redirectURI: String) -> [UInt8] {
        Array((clientID + scope + scopeOrg + timestamp + state + redirectURI).utf8)
    }

    /// `/aas/oauth2/v3/te` with `grant_type=authorization_code`: the authorization message followed by `code`.
    public static func currentCodeExchange(clientID: String, scope: String, scopeOrg: String, timestamp: String, state: String,
                                           redirectURI: String, code: String) -> [UInt8] {
        Array((clientID + scope + scopeOrg + timestamp + state + redirectURI + code).utf8)
    }

    /// `/aas/oauth2/v3/te` with `grant_type=refresh_token`: `client_id + scope + scope_org + timestamp + state + redirect_uri`,
    /// as the production-tested client (ilimurzin/esia 4.x) signs it. The refresh token itself is not in the message
    /// (ESIA-PROTOCOL §14 question 1: another library signs `… + state + refresh_token`; that form is not accepted).
    public static func currentRefresh(clientID: String, scope: String, scopeOrg: String, timestamp: String, state: String,
                                      redirectURI: String) -> [UInt8] {
        currentAuthorization(clientID: clientID, scope: scope, scopeOrg: scopeOrg, timestamp: timestamp, state: state,
                             redirectURI: redirectURI)
    }

    /// `/aas/oauth2/v3/te` with `grant_type=client_credentials`: `client_id + scope + timestamp + state + redirect_uri`
    /// (no `scope_org`, as go-api-epgu signs it).
    public static func currentClientCredentials(clientID: String, scope: String, timestamp: String, state: String,
                                                redirectURI: String) -> [UInt8] {
        Array((clientID + scope + timestamp + state + redirectURI).utf8)
    }
}
