/// The outcome of feeding bytes to an `HTTPRequestHeadParser`.
package enum HeadParseResult {
    /// The head is not complete yet: call again with the same start and more bytes appended.
    case needMore
    /// A complete head; `consumed` bytes (request line through the empty line) belong to it.
    case head(HTTPRequestHead, framing: BodyFraming, consumed: Int)
    /// The request is malformed: answer `error.status` and close the connection.
    case failure(HTTPParseError)
}

/// Parses an HTTP/1.1 request line and header section (RFC 9112 §2–§6) from bytes as they arrive.
///
/// Strict where leniency enables request smuggling: CRLF only, no obs-fold, no whitespace before the colon,
/// no Content-Length together with Transfer-Encoding, exactly one Content-Length.
package struct HTTPRequestHeadParser {
    private let limits: HTTPLimits
    private var scanner = HeadLineScanner()
    private var emptyLinesBeforeRequestLine = 0
    private var requestLine: RequestLine?
    /// Index where the header section starts (just after the request line's CRLF).
    private var headerStart = 0
    private var fields: [HTTPHeaders.Field] = []
    private var hostCount = 0
    private var framingFields = FramingFields()
    private var failed: HTTPParseError?

    /// RFC 9112 §2.2 lets a server ignore "at least one" empty line before the request line; a few are plenty.
    static let maxEmptyLinesBeforeRequestLine = 4

    /// A parser for one connection, enforcing `limits`.
    package init(limits: HTTPLimits) {
        self.limits = limits
    }

    /// Makes the parser ready for the next request on the same connection. `parse` also does this itself after
    /// returning `.head`; after `.failure` it keeps answering the same failure until reset.
    package mutating func reset() {
        scanner = HeadLineScanner()
        emptyLinesBeforeRequestLine = 0
        requestLine = nil
        headerStart = 0
        fields = []
        hostCount = 0
        framingFields = FramingFields()
        failed = nil
    }

    /// `bytes` always starts at the first unconsumed byte of the connection's buffer; after `.needMore` the caller
    /// calls again with the same start and more bytes appended. Bytes already examined are not examined again.
    package mutating func parse(_ bytes: UnsafeRawBufferPointer) -> HeadParseResult {
        if let failed { return .failure(failed) }
        do throws(HTTPParseError) {
            while true {
                let inRequestLine = requestLine == nil
                let limit = inRequestLine
                    ? Self.limitIndex(scanner.lineStart, limits.maxRequestLineBytes)
                    : Self.limitIndex(headerStart, limits.maxHeaderBytes)
                switch try scanner.nextLine(bytes, limit: limit) {
                case .needMore:
                    return .needMore
                case .overLimit:
                    if inRequestLine {
                        // RFC 9112 §3: a server receiving a request-target longer than it wishes to parse answers 414.
                        throw HTTPParseError(.requestLineTooLong, "RFC 9112 §3: request line longer than \(limits.maxRequestLineBytes) bytes")
                    }
                    // RFC 6585 §5: 431 for a header section that is too large.
                    throw HTTPParseError(.headersTooLarge, "RFC 6585 §5: header section larger than \(limits.maxHeaderBytes) bytes")
                case let .line(start, end):
                    if inRequestLine {
                        if start == end {
                            // RFC 9112 §2.2: empty lines before the request line may be ignored; only a few.
                            emptyLinesBeforeRequestLine += 1
                            guard emptyLinesBeforeRequestLine <= Self.maxEmptyLinesBeforeRequestLine else {
                                throw HTTPParseError(.malformedRequestLine, "RFC 9112 §2.2: too many empty lines before the request line")
                            }
                            continue
                        }
                        requestLine = try RequestLine(bytes, start: start, end: end)
                        headerStart = end + 2
                    } else if start == end {
                        let result = try finishHead(consumed: end + 2)
                        reset()
                        return result
                    } else {
                        try addField(bytes, start: start, end: end)
                    }
                }
            }
        } catch {
            failed = error
            return .failure(error)
        }
    }

    /// The first index at which a byte makes a section starting at `base` exceed `max` bytes, CRLF included.
    private static func limitIndex(_ base: Int, _ max: Int) -> Int {
        max > Int.max - base ? Int.max : base + Swift.max(max, 1) - 1
    }

    private mutating func addField(_ bytes: UnsafeRawBufferPointer, start: Int, end: Int) throws(HTTPParseError) {
        guard fields.count < limits.maxHeaderCount else {
            throw HTTPParseError(.tooManyHeaders, "RFC 6585 §5: more than \(limits.maxHeaderCount) header fields")
        }
        let field = try FieldLine(bytes, start: start, end: end)
        if field.nameEnd - field.nameStart == 4, field.nameIs("host", in: bytes) {
            hostCount += 1
            // RFC 9112 §3.2: 400 for more than one Host field line.
            guard hostCount == 1 else { throw HTTPParseError(.duplicateHost, "RFC 9112 §3.2: more than one Host field") }
            // RFC 9112 §3.2: 400 for a Host field with an invalid value (uri-host [":" port], possibly empty).
            for i in field.valueStart..<field.valueEnd where !ASCII.isHostChar(bytes[i]) {
                throw HTTPParseError(.malformedHeader, "RFC 9112 §3.2: invalid Host value")
            }
        } else {
            framingFields.note(field, bytes)
        }
        if fields.isEmpty { fields.reserveCapacity(16) }
        fields.append((name: field.name(bytes), value: field.value(bytes)))
    }

    private func finishHead(consumed: Int) throws(HTTPParseError) -> HeadParseResult {
        guard let line = requestLine else {
            throw HTTPParseError(.malformedRequestLine, "RFC 9112 §3: missing request line")
        }
        // RFC 9112 §3.2: a server must answer 400 to an HTTP/1.1 request without Host.
        if line.version == .http1_1, hostCount == 0 {
            throw HTTPParseError(.missingHost, "RFC 9112 §3.2: HTTP/1.1 request without Host")
        }
        let framing = try requestFraming(version: line.version)
        let headers = HTTPHeaders(fields)
        // Fast path: without a Connection field persistence follows the version alone (RFC 9112 §9.3).
        let keepAlive = framingFields.connectionSeen
            ? HTTPRequestHead.wantsKeepAlive(version: line.version, headers: headers)
            : line.version == .http1_1
        let head = HTTPRequestHead(method: line.method, target: line.target, path: line.path, query: line.query,
                                   version: line.version, headers: headers, keepAlive: keepAlive)
        return .head(head, framing: framing, consumed: consumed)
    }

    /// Body framing of a request (RFC 9112 §6.1–§6.3), stricter than the RFC where disagreement enables smuggling.
    private func requestFraming(version: HTTPVersion) throws(HTTPParseError) -> BodyFraming {
        let f = framingFields
        if !f.transferEncodings.isEmpty {
            // RFC 9112 §6.3 item 3: Content-Length with Transfer-Encoding may be rejected; it is the classic
            // smuggling vector, so we always reject.
            guard f.contentLengths.isEmpty else {
                throw HTTPParseError(.conflictingFraming, "RFC 9112 §6.3: both Content-Length and Transfer-Encoding")
            }
            // RFC 9112 §6.1: Transfer-Encoding in an HTTP/1.0 message means the framing is faulty.
            guard version == .http1_1 else {
                throw HTTPParseError(.conflictingFraming, "RFC 9112 §6.1: Transfer-Encoding in an HTTP/1.0 request")
            }
            try f.checkChunked()
            return .chunked
        }
        guard let value = f.contentLengths.first else { return .none }  // RFC 9112 §6.3 item 7: no body
        // RFC 9112 §6.3 item 5 would accept repeated identical values; we reject any repetition or list, because an
        // intermediary that picks a different one is how bodies get smuggled.
        guard f.contentLengths.count == 1, !value.utf8.contains(ASCII.comma) else {
            throw HTTPParseError(.duplicateContentLength, "RFC 9112 §6.3: more than one Content-Length value")
        }
        return .contentLength(try FramingFields.parseContentLength(value[...]))
    }
}

/// The parts of a request line (RFC 9112 §3).
private struct RequestLine {
    var method: HTTPMethod
    var target: String
    var path: String
    var query: String?
    var version: HTTPVersion

    /// Parses `method SP request-target SP HTTP-version` in `bytes[start..<end]`.
    init(_ bytes: UnsafeRawBufferPointer, start: Int, end: Int) throws(HTTPParseError) {
        // RFC 9112 §3: the three parts are separated by exactly one SP each.
        var sp1 = start
        while sp1 < end, bytes[sp1] != ASCII.sp { sp1 += 1 }
        var sp2 = sp1 + 1
        while sp2 < end, bytes[sp2] != ASCII.sp { sp2 += 1 }
        guard sp1 > start, sp2 < end, sp2 > sp1 + 1 else {
            throw HTTPParseError(.malformedRequestLine, "RFC 9112 §3: request line is not method SP target SP version")
        }
        // RFC 9112 §3.1, RFC 9110 §9.1: method = token, case-sensitive.
        for i in start..<sp1 where !ASCII.isTchar(bytes[i]) {
            throw HTTPParseError(.invalidMethod, "RFC 9110 §9.1: method is not a token")
        }
        method = Self.method(bytes, start, sp1)
        version = try Self.version(bytes, sp2 + 1, end)
        // RFC 9112 §3.2: the target is visible ASCII (no whitespace, controls or non-ASCII bytes).
        for i in (sp1 + 1)..<sp2 where bytes[i] < 0x21 || bytes[i] > 0x7E {
            throw HTTPParseError(.invalidTarget, "RFC 9112 §3.2: request-target contains a byte that is not visible ASCII")
        }
        let t = UnsafeRawBufferPointer(rebasing: bytes[(sp1 + 1)..<sp2])
        target = String(decoding: t, as: UTF8.self)
        (path, query) = try Self.split(t, isOptions: method == .options, isConnect: method.rawValue == "CONNECT")
    }

    /// Splits the target by its form (RFC 9112 §3.2.1–§3.2.4) into path and query.
    private static func split(_ t: UnsafeRawBufferPointer, isOptions: Bool, isConnect: Bool)
        throws(HTTPParseError) -> (String, String?) {
        let slash = UInt8(ascii: "/")
        if isConnect {
            // RFC 9112 §3.2.3: CONNECT uses authority-form (host ":" port) and only that form.
            var colon = -1
            for i in 0..<t.count where t[i] == ASCII.colon { colon = i }
            guard colon > 0, colon + 1 < t.count, t.allSatisfy({ ASCII.isHostChar($0) && $0 != UInt8(ascii: "@") }),
                  t[(colon + 1)...].allSatisfy(ASCII.isDigit) else {
                throw HTTPParseError(.invalidTarget, "RFC 9112 §3.2.3: CONNECT needs authority-form host:port")
            }
            return ("", nil)
        }
        if t[0] == slash {  // RFC 9112 §3.2.1: origin-form
            return splitPathAndQuery(t, from: 0)
        }
        if t.count == 1, t[0] == UInt8(ascii: "*") {
            // RFC 9112 §3.2.4: asterisk-form only for a server-wide OPTIONS.
            guard isOptions else { throw HTTPParseError(.invalidTarget, "RFC 9112 §3.2.4: \"*\" is only for OPTIONS") }
            return ("*", nil)
        }
        // RFC 9112 §3.2.2: absolute-form, "http://" or "https://" authority [path] ["?" query].
        var i = 0
        while i < t.count, t[i] != ASCII.colon { i += 1 }
        let scheme = String(decoding: UnsafeRawBufferPointer(rebasing: t[0..<i]), as: UTF8.self)
        guard HTTPHeaders.equalNames(scheme, "http") || HTTPHeaders.equalNames(scheme, "https"),
              i + 2 < t.count, t[i + 1] == slash, t[i + 2] == slash else {
            throw HTTPParseError(.invalidTarget, "RFC 9112 §3.2: request-target is not origin-, absolute-, authority- or asterisk-form")
        }
        let authorityStart = i + 3
        var j = authorityStart
        while j < t.count, t[j] != slash, t[j] != UInt8(ascii: "?") { j += 1 }
        // RFC 9110 §4.2.1: an http(s) URI has a non-empty host.
        guard j > authorityStart else { throw HTTPParseError(.invalidTarget, "RFC 9110 §4.2.1: absolute-form without host") }
        if j == t.count { return ("/", nil) }
        if t[j] == slash { return splitPathAndQuery(t, from: j) }
        return ("/", String(decoding: UnsafeRawBufferPointer(rebasing: t[(j + 1)...]), as: UTF8.self))
    }

    private static func splitPathAndQuery(_ t: UnsafeRawBufferPointer, from start: Int) -> (String, String?) {
        var q = start
        while q < t.count, t[q] != UInt8(ascii: "?") { q += 1 }
        let path = String(decoding: UnsafeRawBufferPointer(rebasing: t[start..<q]), as: UTF8.self)
        guard q < t.count else { return (path, nil) }
        return (path, String(decoding: UnsafeRawBufferPointer(rebasing: t[(q + 1)...]), as: UTF8.self))
    }

    /// The shared `HTTPMethod` value for common methods, so they cost no allocation.
    private static func method(_ bytes: UnsafeRawBufferPointer, _ start: Int, _ end: Int) -> HTTPMethod {
        func `is`(_ s: StaticString) -> Bool {
            guard s.utf8CodeUnitCount == end - start else { return false }
            for k in 0..<(end - start) where bytes[start + k] != s.utf8Start[k] { return false }
            return true
        }
        switch end - start {
        case 3: if `is`("GET") { return .get }; if `is`("PUT") { return .put }
        case 4: if `is`("POST") { return .post }; if `is`("HEAD") { return .head }
        case 5: if `is`("PATCH") { return .patch }
        case 6: if `is`("DELETE") { return .delete }
        case 7: if `is`("OPTIONS") { return .options }
        default: break
        }
        return HTTPMethod(String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self))
    }

    /// RFC 9112 §2.3: HTTP-version = "HTTP/" DIGIT "." DIGIT, case-sensitive. 1.0 and 1.1 are served; any other
    /// well-formed version (including 1.2+, to keep it strict) is 505; anything else is 400.
    private static func version(_ bytes: UnsafeRawBufferPointer, _ start: Int, _ end: Int) throws(HTTPParseError) -> HTTPVersion {
        guard end - start == 8, bytes[start] == UInt8(ascii: "H"), bytes[start + 1] == UInt8(ascii: "T"),
              bytes[start + 2] == UInt8(ascii: "T"), bytes[start + 3] == UInt8(ascii: "P"),
              bytes[start + 4] == UInt8(ascii: "/"), ASCII.isDigit(bytes[start + 5]),
              bytes[start + 6] == UInt8(ascii: "."), ASCII.isDigit(bytes[start + 7]) else {
            throw HTTPParseError(.malformedRequestLine, "RFC 9112 §2.3: malformed HTTP-version")
        }
        switch (bytes[start + 5], bytes[start + 7]) {
        case (UInt8(ascii: "1"), UInt8(ascii: "1")): return .http1_1
        case (UInt8(ascii: "1"), UInt8(ascii: "0")): return .http1_0
        default: throw HTTPParseError(.unsupportedVersion, "RFC 9110 §15.6.6: only HTTP/1.0 and HTTP/1.1 are supported")
        }
    }
}
