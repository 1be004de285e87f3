import Foundation
import Support

/// What the parser knows once the request line and header section have been read.
public struct HTTPRequestHead: Sendable {
    public var method: HTTPMethod
    /// The request-target exactly as sent (origin-form, absolute-form, authority-form or `*`).
    public var target: String
    /// The path of the target, still percent-encoded, without the query.
    public var path: String
    /// The raw query string after `?`, without the `?`; nil when there was none.
    public var query: String?
    public var version: HTTPVersion
    public var headers: HTTPHeaders
    /// Whether the client wants the connection kept open after this request (RFC 9112 §9.3).
    public var keepAlive: Bool

    public init(method: HTTPMethod, target: String, path: String, query: String?, version: HTTPVersion, headers: HTTPHeaders,
                keepAlive: Bool? = nil) {
        self.method = method
        self.target = target
        self.path = path
        self.query = query
        self.version = version
        self.headers = headers
        self.keepAlive = keepAlive ?? HTTPRequestHead.wantsKeepAlive(version: version, headers: headers)
    }

    /// RFC 9112 §9.3: HTTP/1.1 persists unless `Connection: close`; HTTP/1.0 only with `Connection: keep-alive`.
    public static func wantsKeepAlive(version: HTTPVersion, headers: HTTPHeaders) -> Bool {
        var close = false, keepAlive = false
        for value in headers.values("Connection") {
            for token in value.split(separator: ",") {
                let t = token.trimmingSpacesAndTabs().lowercased()
                if t == "close" { close = true } else if t == "keep-alive" { keepAlive = true }
            }
        }
        switch version {
        case .http1_1: return !close
        case .http1_0: return keepAlive && !close
        }
    }
}

/// A complete request as a handler sees it.
public struct HTTPRequest: Sendable {
    public var head: HTTPRequestHead
    /// The decoded body (chunked framing removed).
    public var body: [UInt8]
    /// The peer's address, `ip:port`.
    public var remoteAddress: String
    /// The id sent back in `X-Request-Id` and written to the log line.
    public var requestID: String
    /// Parameters the router took from the path, e.g. `id` for `/portals/:id`.
    public var pathParameters: [String: String]
    /// The client's TLS certificate (DER) when the connection is TLS and the client presented one.
    public var clientCertificateDER: [UInt8]?
    /// Whether the request arrived over TLS.
    public var isSecure: Bool

    public init(head: HTTPRequestHead, body: [UInt8] = [], remoteAddress: String = "", requestID: String = "",
                pathParameters: [String: String] = [:], clientCertificateDER: [UInt8]? = nil, isSecure: Bool = false) {
        self.head = head
        self.body = body
        self.remoteAddress = remoteAddress
        self.requestID = requestID
        self.pathParameters = pathParameters
        self.clientCertificateDER = clientCertificateDER
        self.isSecure = isSecure
    }

    public var method: HTTPMethod { head.method }
    public var path: String { head.path }
    public var query: String? { head.query }
    public var headers: HTTPHeaders { head.headers }
}
