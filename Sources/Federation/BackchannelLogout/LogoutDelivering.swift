/// Sends one logout token to a portal (OpenID Connect Back-Channel Logout 1.0 §2.5): an HTTP POST of
/// `logout_token=<JWT>` as `application/x-www-form-urlencoded`, no redirects followed. The server implements it with
/// its HTTP client; tests with a recording fake.
public protocol LogoutDelivering: Sendable {
    /// Posts `logoutToken` to `uri` and returns the response's status code.
    /// - Throws: when no answer came (connection refused, timeout, malformed response).
    func post(logoutToken: String, to uri: String) throws -> Int
}
