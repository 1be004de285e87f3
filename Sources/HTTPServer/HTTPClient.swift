/// A request for `HTTPClient.send`.
public struct HTTPClientRequest: Sendable {
    /// The method; any token.
    public var method: HTTPMethod
    /// An absolute http or https URL.
    public var url: String
    /// Extra header fields. Host, Content-Length, Transfer-Encoding and Connection are the client's to set.
    public var headers: HTTPHeaders
    /// The body, sent with Content-Length.
    public var body: [UInt8]

    /// Makes a request; a GET without body by default.
    public init(method: HTTPMethod = .get, url: String, headers: HTTPHeaders = [:], body: [UInt8] = []) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
    }
}

/// A complete response as `HTTPClient` received it.
public struct HTTPClientResponse: Sendable {
    /// The final status (after any redirects followed); never 1xx.
    public var status: HTTPStatus
    /// The header fields as received.
    public var headers: HTTPHeaders
    /// The decoded body (chunked coding removed); empty for HEAD, 204 and 304.
    public var body: [UInt8]

    /// Makes a response.
    public init(status: HTTPStatus, headers: HTTPHeaders, body: [UInt8]) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// The body as UTF-8, invalid sequences replaced.
    public var text: String { String(decoding: body, as: UTF8.self) }
}

/// A blocking HTTP/1.1 client for CRL downloads, registry checks, back-channel logout and tests.
///
/// Each request gets its own connection (`Connection: close`); every read and write is bounded by the request's
/// deadline, so a silent server cannot hold a thread for longer than `totalTimeout`. Blocking: call it from worker
/// threads or background jobs, never from an event loop.
///
/// ```swift
/// let response = try HTTPClient().get("https://ca.example/crl/root.crl")
/// ```
public struct HTTPClient: Sendable {
    /// Timeouts, limits and TLS settings.
    public struct Options: Sendable {
        /// Seconds allowed to connect to one address of the host.
        public var connectTimeout: Double = 5
        /// Seconds allowed for the whole exchange: resolving, connecting, TLS, sending, reading and redirects.
        public var totalTimeout: Double = 30
        /// Largest decoded response body; larger fails with `.responseTooLarge`.
        public var maxResponseBodyBytes = 10 * 1024 * 1024
        /// Largest response head (status line and fields); larger fails with `.responseTooLarge`.
        public var maxHeaderBytes = 64 * 1024
        /// Most header fields in a response head.
        public var maxHeaderCount = 200
        /// Redirects followed (301, 302, 303, 307, 308); 0 returns redirects to the caller.
        public var maxRedirects = 0
        /// The TLS client context for https; nil means one shared default (system CAs, verification on).
        public var tls: TLSContext? = nil

        /// The defaults above.
        public init() {}
    }

    /// The options every request of this client uses.
    public let options: Options

    /// A client with the given options.
    public init(options: Options = .init()) {
        self.options = options
    }

    /// Sends a request and reads the whole response, following redirects up to `maxRedirects`.
    public func send(_ request: HTTPClientRequest) throws(HTTPClientError) -> HTTPClientResponse {
        let deadline = ContinuousClock.now + .milliseconds(Int64(max(0, options.totalTimeout) * 1000))
        var url = try ClientURL(request.url)
        var method = request.method
        var headers = request.headers
        var body = request.body
        var redirects = 0
        while true {
            let response = try exchange(method: method, url: url, headers: headers, body: body, deadline: deadline)
            guard options.maxRedirects > 0, Self.redirectCodes.contains(response.status.code),
                  let location = response.headers["Location"] else { return response }
            guard redirects < options.maxRedirects else {
                throw HTTPClientError(.tooManyRedirects, "more than \(options.maxRedirects) redirects, last to \(ClientURL.quoted(location))")
            }
            redirects += 1
            let next: ClientURL
            do throws(HTTPClientError) {
                next = try url.resolving(location)
            } catch where error.code == .invalidURL {
                throw HTTPClientError(.malformedResponse, "bad redirect Location: \(error.detail)")
            }
            if url.scheme == .https && next.scheme == .http {
                throw HTTPClientError(.insecureRedirect, "refusing to follow \(url) to \(next)")
            }
            // RFC 9110 §15.4: 303 always, and 301/302 for POST by long practice, repeat as GET without the body.
            let code = response.status.code
            if (code == 303 && method != .head) || ((code == 301 || code == 302) && method == .post) {
                method = .get
                body = []
                headers.remove("Content-Type")
            }
            // Credentials meant for one origin must not be handed to another one the server names.
            if next.origin != url.origin {
                for name in ["Authorization", "Cookie", "Proxy-Authorization"] { headers.remove(name) }
            }
            url = next
        }
    }

    /// GET `url`.
    public func get(_ url: String, headers: HTTPHeaders = [:]) throws(HTTPClientError) -> HTTPClientResponse {
        try send(HTTPClientRequest(method: .get, url: url, headers: headers))
    }

    /// POST `body` of type `contentType` to `url`.
    public func post(_ url: String, body: [UInt8], contentType: String, headers: HTTPHeaders = [:]) throws(HTTPClientError) -> HTTPClientResponse {
        var headers = headers
        headers.set("Content-Type", contentType)
        return try send(HTTPClientRequest(method: .post, url: url, headers: headers, body: body))
    }

    private static let redirectCodes: Set<Int> = [301, 302, 303, 307, 308]

    /// Fields whose values the client decides: framing and connection handling are not the caller's to change.
    private static let managedFields = ["Host", "Content-Length", "Transfer-Encoding", "Connection"]

    /// Responses to 1xx we skip before giving up; a server cannot keep us reading interim responses forever.
    private static let maxInterimResponses = 10

    /// One request on one connection.
    private func exchange(method: HTTPMethod, url: ClientURL, headers: HTTPHeaders, body: [UInt8],
                          deadline: ContinuousClock.Instant) throws(HTTPClientError) -> HTTPClientResponse {
        let head = try Self.requestHead(method: method, url: url, headers: headers, bodyCount: body.count)
        var tlsContext: TLSContext?
        if url.scheme == .https {
            if let configured = options.tls {
                // A server context would make the session wait for a ClientHello instead of sending one.
                guard !configured.isServer else { throw HTTPClientError(.tls, "options.tls is a server context") }
                tlsContext = configured
            } else {
                tlsContext = try Self.defaultTLSContext()
            }
        }
        let connection = try HTTPClientConnection.open(url, connectTimeout: options.connectTimeout,
                                                       tlsContext: tlsContext, deadline: deadline)
        defer { connection.close() }
        do throws(HTTPClientError) {
            try connection.send(head + body)
        } catch where error.code == .connectionClosed {
            // A server may refuse a request (413, 401...) and close before reading all of it: its answer is
            // more useful than our write error, when it got one out.
            if let response = try? readResponse(from: connection, method: method) { return response }
            throw error
        }
        return try readResponse(from: connection, method: method)
    }

    /// The request line and header section, refusing anything that could split or smuggle the request.
    static func requestHead(method: HTTPMethod, url: ClientURL, headers: HTTPHeaders, bodyCount: Int) throws(HTTPClientError) -> [UInt8] {
        guard !method.rawValue.isEmpty, method.rawValue.utf8.allSatisfy(ASCII.isTchar) else {
            throw HTTPClientError(.invalidRequest, "method \(ClientURL.quoted(method.rawValue)) is not a token")
        }
        var text = "\(method.rawValue) \(url.target) HTTP/1.1\r\nHost: \(url.hostHeader)\r\n"
        var hasUserAgent = false
        for field in headers {
            guard !field.name.isEmpty, field.name.utf8.allSatisfy(ASCII.isTchar) else {
                throw HTTPClientError(.invalidRequest, "header name \(ClientURL.quoted(field.name)) is not a token")
            }
            // CR, LF, NUL and other controls would end the field early and let the value inject fields or requests.
            guard field.value.utf8.allSatisfy(ASCII.isFieldValueChar) else {
                throw HTTPClientError(.invalidRequest, "header \(field.name) has a control character (CR, LF...) in its value")
            }
            if managedFields.contains(where: { HTTPHeaders.equalNames($0, field.name) }) { continue }
            if HTTPHeaders.equalNames(field.name, "User-Agent") { hasUserAgent = true }
            text += "\(field.name): \(field.value)\r\n"
        }
        if !hasUserAgent { text += "User-Agent: openesia\r\n" }
        // RFC 9110 §8.6: a body needs its length; methods that normally carry one get "0" rather than nothing.
        if bodyCount > 0 || [HTTPMethod.post, .put, .patch].contains(method) {
            text += "Content-Length: \(bodyCount)\r\n"
        }
        text += "Connection: close\r\n\r\n"
        return Array(text.utf8)
    }

    /// Reads one final response: interim 1xx responses skipped, the body decoded by its framing.
    private func readResponse(from connection: HTTPClientConnection, method: HTTPMethod) throws(HTTPClientError) -> HTTPClientResponse {
        var parser = HTTPResponseHeadParser(maxHeaderBytes: options.maxHeaderBytes, maxHeaderCount: options.maxHeaderCount)
        var pending: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        var interim = 0
        var head: HTTPResponseHead?
        while head == nil {
            switch pending.withUnsafeBytes({ parser.parse($0) }) {
            case .needMore:
                let n = try connection.receive(into: &buffer)
                guard n > 0 else {
                    throw HTTPClientError(.connectionClosed, pending.isEmpty ? "closed without a response" : "closed in the middle of the response head")
                }
                pending += buffer[0..<n]
            case .head(let received, let consumed):
                pending.removeFirst(consumed)
                guard (100..<200).contains(received.status.code) else {
                    head = received
                    break
                }
                // 101 would switch protocols, which this client never asks for.
                guard received.status.code != 101 else {
                    throw HTTPClientError(.malformedResponse, "unrequested 101 Switching Protocols")
                }
                interim += 1
                guard interim <= Self.maxInterimResponses else {
                    throw HTTPClientError(.malformedResponse, "more than \(Self.maxInterimResponses) interim 1xx responses")
                }
            case .failure(let error):
                throw Self.clientError(error)
            }
        }
        guard let head else { throw HTTPClientError(.malformedResponse, "no response head") }

        let framing: BodyFraming
        do throws(HTTPParseError) {
            framing = try HTTPResponseHeadParser.framing(of: head, requestMethod: method)
        } catch {
            throw Self.clientError(error)
        }
        var limits = HTTPLimits()
        limits.maxHeaderBytes = options.maxHeaderBytes
        limits.maxHeaderCount = options.maxHeaderCount
        var decoder = HTTPBodyDecoder(framing: framing, maxBodyBytes: options.maxResponseBodyBytes, limits: limits)
        var body: [UInt8] = []
        // The bytes after the head go first, even none: a Content-Length over the limit fails before any read.
        var result = pending.withUnsafeBytes { decoder.decode($0, into: &body) }
        while true {
            switch result {
            case .complete:
                // Anything after the body is ignored: the connection closes after this one response.
                return HTTPClientResponse(status: head.status, headers: head.headers, body: body)
            case .failure(let error):
                throw Self.clientError(error)
            case .needMore:
                let n = try connection.receive(into: &buffer)
                if n == 0 {
                    if let error = decoder.finish() {
                        throw error.code == .truncatedBody ? HTTPClientError(.connectionClosed, error.detail) : Self.clientError(error)
                    }
                    return HTTPClientResponse(status: head.status, headers: head.headers, body: body)
                }
                result = buffer.withUnsafeBytes { decoder.decode(UnsafeRawBufferPointer(rebasing: $0[0..<n]), into: &body) }
            }
        }
    }

    private static func clientError(_ error: HTTPParseError) -> HTTPClientError {
        switch error.code {
        case .headersTooLarge, .tooManyHeaders, .bodyTooLarge: HTTPClientError(.responseTooLarge, error.detail)
        default: HTTPClientError(.malformedResponse, error.detail)
        }
    }

    /// The shared default context, or why it could not be built (reported by every https request that needs it).
    private static func defaultTLSContext() throws(HTTPClientError) -> TLSContext {
        switch defaultClientTLS {
        case .success(let context): return context
        case .failure(let error): throw HTTPClientError(.tls, "default TLS context: \(error)")
        }
    }
}

/// Built on first use (globals initialize lazily and once): system CAs, peer verification on.
private let defaultClientTLS: Result<TLSContext, TLSError> = {
    do {
        return .success(try TLSContext.client())
    } catch let error as TLSError {
        return .failure(error)
    } catch {
        return .failure(.configuration("\(error)"))
    }
}()
