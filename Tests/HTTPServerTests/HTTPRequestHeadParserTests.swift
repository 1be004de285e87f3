@testable import HTTPServer
import Testing

// MARK: - Helpers shared by the parser test files

/// Joins lines with CRLF: `http("GET / HTTP/1.1", "Host: a", "", "")` is a complete head.
func http(_ lines: String...) -> [UInt8] { Array(lines.joined(separator: "\r\n").utf8) }

/// A request as the tests compare it.
struct ParsedRequest: Equatable, CustomStringConvertible {
    var method: String
    var target: String
    var path: String
    var query: String?
    var version: HTTPVersion
    var headers: [String]
    var keepAlive: Bool
    var body: [UInt8]

    init(_ head: HTTPRequestHead, body: [UInt8]) {
        method = head.method.rawValue
        target = head.target
        path = head.path
        query = head.query
        version = head.version
        headers = head.headers.map { "\($0.name): \($0.value)" }
        keepAlive = head.keepAlive
        self.body = body
    }

    var bodyText: String { String(decoding: body, as: UTF8.self) }
    var description: String { "\(method) \(target) \(headers) body=\(bodyText.debugDescription)" }
}

/// What a server connection does with received bytes, without sockets: head parser, then body decoder, repeated
/// for pipelined requests; consumed bytes are dropped from the front of the buffer.
struct FakeConnection {
    var limits = HTTPLimits()
    var buffer: [UInt8] = []
    var headParser: HTTPRequestHeadParser
    var decoder: HTTPBodyDecoder?
    var head: HTTPRequestHead?
    var body: [UInt8] = []
    var requests: [ParsedRequest] = []
    var error: HTTPParseError?

    init(limits: HTTPLimits = HTTPLimits()) {
        self.limits = limits
        headParser = HTTPRequestHeadParser(limits: limits)
    }

    mutating func receive(_ bytes: some Sequence<UInt8>) {
        buffer.append(contentsOf: bytes)
        while error == nil {
            if decoder == nil {
                var parser = headParser
                let result = buffer.withUnsafeBytes { parser.parse($0) }
                headParser = parser
                switch result {
                case .needMore: return
                case .failure(let e): error = e; return
                case let .head(h, framing, consumed):
                    precondition(consumed <= buffer.count)
                    buffer.removeFirst(consumed)
                    head = h
                    body = []
                    decoder = HTTPBodyDecoder(framing: framing, maxBodyBytes: limits.maxBodyBytes, limits: limits)
                }
            }
            guard var d = decoder else { return }
            var b = body
            let result = buffer.withUnsafeBytes { d.decode($0, into: &b) }
            decoder = d
            body = b
            switch result {
            case .failure(let e): error = e; return
            case .needMore(let consumed):
                precondition(consumed <= buffer.count)
                buffer.removeFirst(consumed)
                return
            case .complete(let consumed):
                precondition(consumed <= buffer.count)
                buffer.removeFirst(consumed)
                if let head { requests.append(ParsedRequest(head, body: body)) }
                decoder = nil
                headParser.reset()
            }
        }
    }

    /// The peer closed the connection.
    mutating func close() {
        guard error == nil, var d = decoder else { return }
        error = d.finish()
        if error == nil, let head { requests.append(ParsedRequest(head, body: body)) }
        decoder = nil
    }
}

/// Parses everything in one go.
func parseAll(_ bytes: [UInt8], limits: HTTPLimits = HTTPLimits()) -> (requests: [ParsedRequest], error: HTTPParseError?) {
    var c = FakeConnection(limits: limits)
    c.receive(bytes)
    return (c.requests, c.error)
}

/// Parses one head from a complete buffer.
func parseHead(_ bytes: [UInt8], limits: HTTPLimits = HTTPLimits()) -> HeadParseResult {
    var parser = HTTPRequestHeadParser(limits: limits)
    return bytes.withUnsafeBytes { parser.parse($0) }
}

/// The error a head produces, or nil if it parsed (or needs more).
func headError(_ bytes: [UInt8], limits: HTTPLimits = HTTPLimits()) -> HTTPParseError? {
    if case .failure(let e) = parseHead(bytes, limits: limits) { return e }
    return nil
}

/// A malformed input with the error it must produce.
struct BadInput: Sendable, CustomTestStringConvertible {
    var bytes: [UInt8]
    var code: HTTPParseError.Code
    var status: Int
    var testDescription: String { String(decoding: bytes, as: UTF8.self).debugDescription }

    init(_ bytes: [UInt8], _ code: HTTPParseError.Code, _ status: Int = 400) {
        self.bytes = bytes
        self.code = code
        self.status = status
    }
}

// MARK: - Good requests

@Test func getWithQuery() throws {
    let bytes = http("GET /search/a%20b?q=1&r=%2F HTTP/1.1", "Host: example.com", "Accept: */*", "", "")
    guard case let .head(head, framing, consumed) = parseHead(bytes) else {
        Issue.record("expected a head")
        return
    }
    #expect(head.method == .get)
    #expect(head.target == "/search/a%20b?q=1&r=%2F")
    #expect(head.path == "/search/a%20b")
    #expect(head.query == "q=1&r=%2F")
    #expect(head.version == .http1_1)
    #expect(head.headers["host"] == "example.com")
    #expect(head.headers["Accept"] == "*/*")
    #expect(head.keepAlive)
    #expect(framing == .none)
    #expect(consumed == bytes.count)
}

@Test func pathQueryEdgeCases() {
    let cases: [(String, String, String?)] = [
        ("/", "/", nil), ("/?", "/", ""), ("/a?b?c", "/a", "b?c"), ("/a#frag", "/a#frag", nil),
    ]
    for (target, path, query) in cases {
        let r = parseAll(http("GET \(target) HTTP/1.1", "Host: h", "", ""))
        #expect(r.requests.first?.path == path, "\(target)")
        #expect(r.requests.first?.query == query, "\(target)")
    }
}

@Test func postWithContentLength() {
    let r = parseAll(http("POST /form HTTP/1.1", "Host: h", "Content-Length: 11", "Content-Type: text/plain", "", "hello world"))
    #expect(r.error == nil)
    #expect(r.requests.count == 1)
    #expect(r.requests.first?.method == "POST")
    #expect(r.requests.first?.bodyText == "hello world")
}

@Test func chunkedWithExtensionsAndTrailers() {
    let r = parseAll(http("POST /upload HTTP/1.1", "Host: h", "Transfer-Encoding: chunked", "",
                          "5;name=value;flag", "hello", "1;q=\"a \\\" b\"", " ", "00005", "world",
                          "0", "Expires: never", "X-Checksum: abc", "", ""))
    #expect(r.error == nil)
    #expect(r.requests.first?.bodyText == "hello world")
}

@Test func transferEncodingIsCaseInsensitiveAndListAware() {
    for te in ["CHUNKED", "Chunked", ", chunked", "chunked ,"] {
        let r = parseAll(http("POST / HTTP/1.1", "Host: h", "Transfer-Encoding: \(te)", "", "1", "x", "0", "", ""))
        #expect(r.error == nil, "\(te)")
        #expect(r.requests.first?.bodyText == "x", "\(te)")
    }
}

@Test func http10WithoutHostAndKeepAlive() {
    let plain = parseAll(http("GET /old HTTP/1.0", "", ""))
    #expect(plain.error == nil)
    #expect(plain.requests.first?.version == .http1_0)
    #expect(plain.requests.first?.keepAlive == false)
    let kept = parseAll(http("GET /old HTTP/1.0", "Connection: Keep-Alive", "", ""))
    #expect(kept.requests.first?.keepAlive == true)
}

@Test func keepAliveFlags() {
    let cases: [(String, [String], Bool)] = [
        ("HTTP/1.1", [], true), ("HTTP/1.1", ["Connection: close"], false),
        ("HTTP/1.1", ["Connection: keep-alive, Upgrade"], true), ("HTTP/1.1", ["Connection: Upgrade, CLOSE"], false),
        ("HTTP/1.0", [], false), ("HTTP/1.0", ["Connection: keep-alive"], true),
        ("HTTP/1.0", ["Connection: keep-alive", "Connection: close"], false),
    ]
    for (version, fields, expected) in cases {
        let lines = ["GET / \(version)", "Host: h"] + fields + ["", ""]
        let r = parseAll(Array(lines.joined(separator: "\r\n").utf8))
        #expect(r.requests.first?.keepAlive == expected, "\(version) \(fields)")
    }
}

@Test func absoluteForm() {
    let cases: [(String, String, String?)] = [
        ("http://example.com/a/b?x=1", "/a/b", "x=1"), ("HTTPS://example.com:8443", "/", nil),
        ("http://example.com?x", "/", "x"), ("http://user@h/p", "/p", nil),
    ]
    for (target, path, query) in cases {
        let r = parseAll(http("GET \(target) HTTP/1.1", "Host: example.com", "", ""))
        #expect(r.error == nil, "\(target)")
        #expect(r.requests.first?.target == target)
        #expect(r.requests.first?.path == path, "\(target)")
        #expect(r.requests.first?.query == query, "\(target)")
    }
}

@Test func optionsAsteriskAndConnectAuthority() {
    let options = parseAll(http("OPTIONS * HTTP/1.1", "Host: h", "", ""))
    #expect(options.requests.first?.method == "OPTIONS")
    #expect(options.requests.first?.path == "*")
    let connect = parseAll(http("CONNECT example.com:443 HTTP/1.1", "Host: example.com:443", "", ""))
    #expect(connect.error == nil)
    #expect(connect.requests.first?.target == "example.com:443")
}

@Test func methodsAreTokensAndCaseSensitive() {
    for method in ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "PROPFIND", "get", "M-SEARCH"] {
        let r = parseAll(http("\(method) / HTTP/1.1", "Host: h", "", ""))
        #expect(r.requests.first?.method == method)
    }
    if case let .head(head, _, _) = parseHead(http("POST / HTTP/1.1", "Host: h", "", "")) {
        #expect(head.method == .post)
    }
}

@Test func fieldValuesAreTrimmedAndMayHoldObsText() {
    let r = parseAll(http("GET / HTTP/1.1", "Host: h", "X-Name: \t Привет мир \t", "X-Empty:", "X-Spaces:   ", "", ""))
    #expect(r.error == nil)
    #expect(r.requests.first?.headers == ["Host: h", "X-Name: Привет мир", "X-Empty: ", "X-Spaces: "])
}

@Test func fewEmptyLinesBeforeRequestLineAreIgnored() {
    let ok = parseAll(Array("\r\n\r\n\r\n\r\n".utf8) + http("GET / HTTP/1.1", "Host: h", "", ""))
    #expect(ok.error == nil)
    #expect(ok.requests.count == 1)
    let tooMany = headError(Array("\r\n\r\n\r\n\r\n\r\n".utf8) + http("GET / HTTP/1.1", "Host: h", "", ""))
    #expect(tooMany?.code == .malformedRequestLine)
}

@Test func pipelinedRequestsInOneBuffer() {
    let bytes = http("GET /one HTTP/1.1", "Host: h", "", "")
        + http("POST /two HTTP/1.1", "Host: h", "Content-Length: 3", "", "abc")
        + http("PUT /three HTTP/1.1", "Host: h", "Transfer-Encoding: chunked", "", "2", "de", "0", "", "")
        + http("GET /four HTTP/1.1", "Host: h", "Connection: close", "", "")
    let r = parseAll(bytes)
    #expect(r.error == nil)
    #expect(r.requests.map(\.path) == ["/one", "/two", "/three", "/four"])
    #expect(r.requests.map(\.bodyText) == ["", "abc", "de", ""])
    #expect(r.requests.map(\.keepAlive) == [true, true, true, false])
}

@Test func headResultReportsConsumedBytesOnlyForTheHead() {
    let first = http("POST / HTTP/1.1", "Host: h", "Content-Length: 2", "", "")
    guard case let .head(_, framing, consumed) = parseHead(first + Array("okGET".utf8)) else {
        Issue.record("expected a head")
        return
    }
    #expect(framing == .contentLength(2))
    #expect(consumed == first.count)
}

@Test func needsMoreUntilTheEmptyLine() {
    let full = http("GET / HTTP/1.1", "Host: h", "", "")
    var parser = HTTPRequestHeadParser(limits: HTTPLimits())
    for n in 0..<full.count {
        let result = Array(full[0..<n]).withUnsafeBytes { parser.parse($0) }
        guard case .needMore = result else {
            Issue.record("prefix of \(n) bytes gave \(result)")
            return
        }
    }
    guard case .head = full.withUnsafeBytes({ parser.parse($0) }) else {
        Issue.record("expected a head")
        return
    }
    // After a head the parser starts over by itself; reset() does the same.
    parser.reset()
    guard case .head = full.withUnsafeBytes({ parser.parse($0) }) else {
        Issue.record("expected a head after reset")
        return
    }
}

@Test func failureIsSticky() {
    var parser = HTTPRequestHeadParser(limits: HTTPLimits())
    let bad = Array("GET / HTTP/1.1\n".utf8)
    guard case .failure(let e) = bad.withUnsafeBytes({ parser.parse($0) }) else {
        Issue.record("expected failure")
        return
    }
    #expect(e.code == .bareLineFeed)
    #expect(e.detail.contains("RFC 9112"))
    guard case .failure = bad.withUnsafeBytes({ parser.parse($0) }) else {
        Issue.record("expected the same failure again")
        return
    }
}

// MARK: - Malformed requests

let malformedHeads: [BadInput] = [
    BadInput(http("GET  / HTTP/1.1", "Host: h", "", ""), .malformedRequestLine),
    BadInput(http(" GET / HTTP/1.1", "Host: h", "", ""), .malformedRequestLine),
    BadInput(http("GET / HTTP/1.1 ", "Host: h", "", ""), .malformedRequestLine),
    BadInput(http("GET /", "Host: h", "", ""), .malformedRequestLine),
    BadInput(http("GET", "Host: h", "", ""), .malformedRequestLine),
    BadInput(http("GET / extra HTTP/1.1", "Host: h", "", ""), .malformedRequestLine),
    BadInput(http("GET\t/ HTTP/1.1", "Host: h", "", ""), .malformedRequestLine),
    BadInput(http("G@T / HTTP/1.1", "Host: h", "", ""), .invalidMethod),
    BadInput(http("GET{} / HTTP/1.1", "Host: h", "", ""), .invalidMethod),
    BadInput(http("GET /\u{7F} HTTP/1.1", "Host: h", "", ""), .invalidTarget),
    BadInput(http("GET /é HTTP/1.1", "Host: h", "", ""), .invalidTarget),
    BadInput(http("GET /a\u{01}b HTTP/1.1", "Host: h", "", ""), .invalidTarget),
    BadInput(http("GET * HTTP/1.1", "Host: h", "", ""), .invalidTarget),
    BadInput(http("GET example.com:443 HTTP/1.1", "Host: h", "", ""), .invalidTarget),
    BadInput(http("CONNECT / HTTP/1.1", "Host: h", "", ""), .invalidTarget),
    BadInput(http("CONNECT example.com HTTP/1.1", "Host: h", "", ""), .invalidTarget),
    BadInput(http("GET ftp://h/ HTTP/1.1", "Host: h", "", ""), .invalidTarget),
    BadInput(http("GET http:///x HTTP/1.1", "Host: h", "", ""), .invalidTarget),
    BadInput(http("GET path HTTP/1.1", "Host: h", "", ""), .invalidTarget),
    BadInput(http("GET / HTTP/2.0", "Host: h", "", ""), .unsupportedVersion, 505),
    BadInput(http("GET / HTTP/3.0", "Host: h", "", ""), .unsupportedVersion, 505),
    BadInput(http("GET / HTTP/1.2", "Host: h", "", ""), .unsupportedVersion, 505),
    BadInput(http("GET / HTTP/0.9", "Host: h", "", ""), .unsupportedVersion, 505),
    BadInput(http("GET / http/1.1", "Host: h", "", ""), .malformedRequestLine),
    BadInput(http("GET / HTTP/1.10", "Host: h", "", ""), .malformedRequestLine),
    BadInput(http("GET / HTTP/11", "Host: h", "", ""), .malformedRequestLine),
    BadInput(http("GET / HTTP/1.x", "Host: h", "", ""), .malformedRequestLine),
    BadInput(http("GET / FOO/1.1", "Host: h", "", ""), .malformedRequestLine),
    BadInput(http("GET / HTTP/1.1", "", ""), .missingHost),
    BadInput(http("GET / HTTP/1.1", "Host: a", "Host: a", "", ""), .duplicateHost),
    BadInput(http("GET / HTTP/1.1", "Host: a", "HOST: b", "", ""), .duplicateHost),
    BadInput(http("GET / HTTP/1.1", "Host: a b", "", ""), .malformedHeader),
    BadInput(http("GET / HTTP/1.1", "Host: user@h", "", ""), .malformedHeader),
    BadInput(http("GET / HTTP/1.1", "Host: h/p", "", ""), .malformedHeader),
    BadInput(http("GET / HTTP/1.1", "Host: h", "NoColon", "", ""), .malformedHeader),
    BadInput(http("GET / HTTP/1.1", "Host: h", ": empty-name", "", ""), .malformedHeader),
    BadInput(http("GET / HTTP/1.1", "Host: h", "Bad(Name): x", "", ""), .malformedHeader),
    BadInput(http("GET / HTTP/1.1", "Host: h", "Name : x", "", ""), .malformedHeader),
    BadInput(http("GET / HTTP/1.1", "Host: h", "Name\t: x", "", ""), .malformedHeader),
    BadInput(http("GET / HTTP/1.1", "Host: h", "X-A: a\u{01}b", "", ""), .malformedHeader),
    BadInput(http("GET / HTTP/1.1", "Host: h", "X-A: a\u{7F}", "", ""), .malformedHeader),
    BadInput(http("GET / HTTP/1.1", "Host: h", "X-A: a", " folded", "", ""), .obsoleteLineFolding),
    BadInput(http("GET / HTTP/1.1", "Host: h", "X-A: a", "\tfolded", "", ""), .obsoleteLineFolding),
    BadInput(http("GET / HTTP/1.1", " Host: h", "", ""), .obsoleteLineFolding),
    BadInput(Array("GET / HTTP/1.1\nHost: h\r\n\r\n".utf8), .bareLineFeed),
    BadInput(Array("GET / HTTP/1.1\r\nHost: h\n\r\n".utf8), .bareLineFeed),
    BadInput(Array("GET / HTTP/1.1\r\nHost: h\r\n\n".utf8), .bareLineFeed),
    BadInput(Array("GET / HTTP/1.1\r\nHost: h\rX: y\r\n\r\n".utf8), .bareLineFeed),
    BadInput(Array("GET / HTTP/1.1\r\nHost: h\r\r\n\r\n".utf8), .bareLineFeed),
    BadInput(Array("\nGET / HTTP/1.1\r\nHost: h\r\n\r\n".utf8), .bareLineFeed),
    BadInput(Array("GET / HTTP/1.1\r\nHost: h\r\nX: a\0b\r\n\r\n".utf8), .nulByte),
    BadInput(Array("GET /\0 HTTP/1.1\r\nHost: h\r\n\r\n".utf8), .nulByte),
    BadInput(Array("GET / HTTP/1.1\r\nHost: h\r\n\0: x\r\n\r\n".utf8), .nulByte),
    BadInput(http("GET / HTTP/1.1", "Host: h", "Content-Length: 1", "Transfer-Encoding: chunked", "", ""), .conflictingFraming),
    BadInput(http("POST / HTTP/1.0", "Transfer-Encoding: chunked", "", ""), .conflictingFraming),
    BadInput(http("POST / HTTP/1.1", "Host: h", "Transfer-Encoding: gzip", "", ""), .unsupportedTransferEncoding, 501),
    BadInput(http("POST / HTTP/1.1", "Host: h", "Transfer-Encoding:", "", ""), .malformedHeader),
    BadInput(http("POST / HTTP/1.1", "Host: h", "Content-Length: abc", "", ""), .invalidContentLength),
    BadInput(http("POST / HTTP/1.1", "Host: h", "Content-Length:", "", ""), .invalidContentLength),
    BadInput(http("POST / HTTP/1.1", "Host: h", "Content-Length: 1", "Content-Length: 2", "", ""), .duplicateContentLength),
]

@Test(arguments: malformedHeads)
func malformedHeadIsRejected(_ input: BadInput) {
    let error = headError(input.bytes)
    #expect(error?.code == input.code)
    #expect(error?.status.code == input.status)
    #expect(error?.detail.contains("RFC") == true)
}

// MARK: - Limits

@Test func requestLineLimit() {
    var limits = HTTPLimits()
    limits.maxRequestLineBytes = 32
    let atLimit = "GET /" + String(repeating: "a", count: 32 - 16) + " HTTP/1.1"  // 30 bytes + CRLF = 32
    #expect(atLimit.utf8.count + 2 == 32)
    let ok = parseAll(http(atLimit, "Host: h", "", ""), limits: limits)
    #expect(ok.error == nil)
    #expect(ok.requests.count == 1)

    let over = "GET /" + String(repeating: "a", count: 32 - 15) + " HTTP/1.1"  // 33 with CRLF
    let e = headError(http(over, "Host: h", "", ""), limits: limits)
    #expect(e?.code == .requestLineTooLong)
    #expect(e?.status.code == 414)

    // Without a CRLF ever arriving: 31 bytes still need more, the 32nd is too many.
    let endless = Array(repeating: UInt8(ascii: "a"), count: 40)
    var parser = HTTPRequestHeadParser(limits: limits)
    guard case .needMore = Array(endless[0..<31]).withUnsafeBytes({ parser.parse($0) }) else {
        Issue.record("31 bytes should need more")
        return
    }
    guard case .failure(let err) = Array(endless[0..<32]).withUnsafeBytes({ parser.parse($0) }) else {
        Issue.record("32 bytes without CRLF should fail")
        return
    }
    #expect(err.code == .requestLineTooLong)
    #expect(err.status.code == 414)
    // A CR as the 32nd byte cannot end the line in time either.
    #expect(headError(Array(String(repeating: "a", count: 31).utf8) + [0x0D], limits: limits)?.code == .requestLineTooLong)
}

@Test func headerSectionByteLimit() {
    var limits = HTTPLimits()
    limits.maxHeaderBytes = 64
    // Header section = fields with their CRLFs + the final CRLF.
    let fill = { (n: Int) in "X-Fill: " + String(repeating: "v", count: n) }
    let fixed = "Host: h\r\n".utf8.count + "\r\n".utf8.count + "X-Fill: \r\n".utf8.count
    let ok = parseAll(http("GET / HTTP/1.1", "Host: h", fill(64 - fixed), "", ""), limits: limits)
    #expect(ok.error == nil)
    let e = headError(http("GET / HTTP/1.1", "Host: h", fill(65 - fixed), "", ""), limits: limits)
    #expect(e?.code == .headersTooLarge)
    #expect(e?.status.code == 431)
    // Also without the end of the head arriving.
    let endless = http("GET / HTTP/1.1", "Host: h", "X-Long: ") + Array(repeating: UInt8(ascii: "v"), count: 100)
    #expect(headError(endless, limits: limits)?.code == .headersTooLarge)
}

@Test func headerCountLimit() {
    var limits = HTTPLimits()
    limits.maxHeaderCount = 3
    #expect(parseAll(http("GET / HTTP/1.1", "Host: h", "A: 1", "B: 2", "", ""), limits: limits).error == nil)
    let e = headError(http("GET / HTTP/1.1", "Host: h", "A: 1", "B: 2", "C: 3", "", ""), limits: limits)
    #expect(e?.code == .tooManyHeaders)
    #expect(e?.status.code == 431)
}

@Test func bodyLimit() {
    var limits = HTTPLimits()
    limits.maxBodyBytes = 10
    #expect(parseAll(http("POST / HTTP/1.1", "Host: h", "Content-Length: 10", "", "0123456789"), limits: limits).error == nil)
    let cl = parseAll(http("POST / HTTP/1.1", "Host: h", "Content-Length: 11", "", ""), limits: limits)
    #expect(cl.error?.code == .bodyTooLarge)
    #expect(cl.error?.status.code == 413)
    let chunkedOK = parseAll(http("POST / HTTP/1.1", "Host: h", "Transfer-Encoding: chunked", "",
                                  "5", "01234", "5", "56789", "0", "", ""), limits: limits)
    #expect(chunkedOK.error == nil)
    #expect(chunkedOK.requests.first?.bodyText == "0123456789")
    let chunked = parseAll(http("POST / HTTP/1.1", "Host: h", "Transfer-Encoding: chunked", "",
                                "5", "01234", "6"), limits: limits)
    #expect(chunked.error?.code == .bodyTooLarge)
    #expect(chunked.error?.status.code == 413)
}

// MARK: - Split at every boundary

let splitSamples: [[UInt8]] = [
    http("GET /a?b=c HTTP/1.1", "Host: h", "User-Agent: test", "", ""),
    Array("\r\n".utf8) + http("POST /p HTTP/1.1", "Host: h", "Content-Length: 12", "", "hello, world"),
    http("POST /c HTTP/1.1", "Host: h", "Transfer-Encoding: chunked", "",
         "4;ext=\"v\"", "wiki", "A", "pedia in c", "0", "Trailer-A: 1", "", ""),
    http("GET /1 HTTP/1.1", "Host: h", "", "") + http("POST /2 HTTP/1.0", "Content-Length: 3", "", "xyz")
        + http("PUT /3 HTTP/1.1", "Host: h", "Transfer-Encoding: chunked", "", "3", "abc", "0", "", ""),
]

@Test(arguments: splitSamples)
func splittingAtEveryBoundaryGivesTheSameResult(_ bytes: [UInt8]) {
    let whole = parseAll(bytes)
    #expect(whole.error == nil)
    #expect(!whole.requests.isEmpty)
    for k in 0...bytes.count {
        var c = FakeConnection()
        c.receive(bytes[0..<k])
        c.receive(bytes[k...])
        #expect(c.error == nil, "split at \(k)")
        #expect(c.requests == whole.requests, "split at \(k)")
        #expect(c.buffer.isEmpty)
    }
    var c = FakeConnection()
    for b in bytes { c.receive([b]) }
    #expect(c.error == nil)
    #expect(c.requests == whole.requests)
}

@Test func errorsAreTheSameWhenSplit() {
    for input in malformedHeads {
        var c = FakeConnection()
        for b in input.bytes { c.receive([b]) }
        #expect(c.error?.code == input.code, "\(input.testDescription)")
    }
}
