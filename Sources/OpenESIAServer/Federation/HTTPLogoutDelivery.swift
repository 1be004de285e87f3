import Federation
import HTTPServer

/// Back-channel logout over the service's HTTP client: one POST per token, bounded by `timeout`, redirects not followed
/// (§2.5 gives a portal no reason to redirect, and following one could send the token elsewhere).
struct HTTPLogoutDelivery: LogoutDelivering {
    let timeout: Double

    func post(logoutToken: String, to uri: String) throws -> Int {
        var options = HTTPClient.Options()
        options.totalTimeout = timeout
        options.connectTimeout = min(timeout, 5)
        options.maxRedirects = 0
        options.maxResponseBodyBytes = 64 * 1024
        // A compact JWS is base64url and dots only, none of which form encoding escapes.
        let body = Array(("logout_token=" + logoutToken).utf8)
        return try HTTPClient(options: options).post(uri, body: body, contentType: "application/x-www-form-urlencoded",
                                                     headers: ["Cache-Control": "no-store"]).status.code
    }
}
