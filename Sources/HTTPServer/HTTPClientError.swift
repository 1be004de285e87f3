/// Why an `HTTPClient` request failed. Errors compare by code only; the detail is for logs.
public struct HTTPClientError: Error, Equatable, Sendable, CustomStringConvertible {
    /// What went wrong, for callers to match on.
    public enum Code: Sendable, Equatable {
        /// The URL is malformed, has user information, spaces, control or non-ASCII characters.
        case invalidURL
        /// The URL's scheme is neither http nor https.
        case unsupportedScheme
        /// The request itself is unsafe to send: a bad method or header name, CR/LF or controls in a header value.
        case invalidRequest
        /// The host name did not resolve.
        case resolutionFailed
        /// No address of the host accepted the connection.
        case connectFailed
        /// Connecting took longer than `connectTimeout`.
        case connectTimeout
        /// The whole exchange took longer than `totalTimeout`.
        case timeout
        /// The TLS handshake or connection failed; for a rejected certificate the detail says why.
        case tls
        /// The response is not valid HTTP/1.1, or its framing cannot be trusted.
        case malformedResponse
        /// The response head or body is larger than the client's limits.
        case responseTooLarge
        /// More redirects than `maxRedirects`.
        case tooManyRedirects
        /// A redirect from https to http, which the client never follows.
        case insecureRedirect
        /// The server closed or reset the connection before the response was complete.
        case connectionClosed
    }

    /// What went wrong.
    public let code: Code
    /// A readable explanation, e.g. the OpenSSL verification result or the errno text.
    public let detail: String

    /// Makes an error from its code and detail.
    public init(_ code: Code, _ detail: String) {
        self.code = code
        self.detail = detail
    }

    /// "code: detail".
    public var description: String { "\(code): \(detail)" }

    /// Errors compare by code only, so tests need not repeat the detail text.
    public static func == (lhs: HTTPClientError, rhs: HTTPClientError) -> Bool { lhs.code == rhs.code }
}
