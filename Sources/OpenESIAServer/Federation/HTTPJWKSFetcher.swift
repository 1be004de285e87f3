import Federation
import HTTPServer

/// Downloads portals' published key sets (`jwks_uri`) with the server's HTTP client. It runs on the worker thread of
/// the token request that needs the keys (requests with a client assertion never run on the event loop), so its
/// limits are tight: a few seconds, 64 KiB, no redirects (the URI is the registered one).
struct HTTPJWKSFetcher: JWKSFetching {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    var timeout: Double = 3
    var maxBytes = 64 * 1024

    func fetch(_ uri: String) throws -> [UInt8] {
        var options = HTTPClient.Options()
        options.totalTimeout = timeout
        options.connectTimeout = timeout
        options.maxResponseBodyBytes = maxBytes
        options.maxRedirects = 0
        let response = try HTTPClient(options: options).get(uri, headers: ["Accept": "application/jwk-set+json, application/json"])
        guard response.status.code == 200 else { throw Failure(description: "HTTP \(response.status.code)") }
        return response.body
    }
}
