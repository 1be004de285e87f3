/// A response's status line and header section, as the HTTP client reads them.
package struct HTTPResponseHead: Sendable {
    package var version: HTTPVersion
    package var status: HTTPStatus
    package var headers: HTTPHeaders

    /// Makes a response head.
    package init(version: HTTPVersion, status: HTTPStatus, headers: HTTPHeaders) {
        self.version = version
        self.status = status
        self.headers = headers
    }
}

/// The outcome of feeding bytes to an `HTTPResponseHeadParser`.
package enum ResponseHeadParseResult {
    /// Call again with the same start and more bytes appended.
    case needMore
    /// A complete head of `consumed` bytes.
    case head(HTTPResponseHead, consumed: Int)
    case failure(HTTPParseError)
}

/// Parses an HTTP/1.1 status line and header section (RFC 9112 §4, §5) from bytes as they arrive.
package struct HTTPResponseHeadParser {
    private let maxHeaderBytes: Int
    private let maxHeaderCount: Int
    private var scanner = HeadLineScanner()
    private var statusLine: (version: HTTPVersion, status: HTTPStatus)?
    private var fields: [HTTPHeaders.Field] = []
    private var failed: HTTPParseError?

    /// A parser bounding the whole head (status line included) to `maxHeaderBytes` and `maxHeaderCount` fields.
    package init(maxHeaderBytes: Int, maxHeaderCount: Int) {
        self.maxHeaderBytes = maxHeaderBytes
        self.maxHeaderCount = maxHeaderCount
    }

    /// Ready for the next response on the connection; `parse` does this itself after returning `.head`.
    package mutating func reset() {
        scanner = HeadLineScanner()
        statusLine = nil
        fields = []
        failed = nil
    }

    /// `bytes` starts at the first unconsumed byte; after `.needMore` call again with more bytes appended.
    package mutating func parse(_ bytes: UnsafeRawBufferPointer) -> ResponseHeadParseResult {
        if let failed { return .failure(failed) }
        do throws(HTTPParseError) {
            while true {
                let limit = maxHeaderBytes > 0 ? maxHeaderBytes - 1 : 0
                switch try scanner.nextLine(bytes, limit: limit) {
                case .needMore:
                    return .needMore
                case .overLimit:
                    throw HTTPParseError(.headersTooLarge, "RFC 9112 §2.3: response head larger than \(maxHeaderBytes) bytes")
                case let .line(start, end):
                    guard let (version, status) = statusLine else {
                        statusLine = try Self.statusLine(bytes, start, end)
                        continue
                    }
                    if start == end {
                        let head = HTTPResponseHead(version: version, status: status, headers: HTTPHeaders(fields))
                        reset()
                        return .head(head, consumed: end + 2)
                    }
                    guard fields.count < maxHeaderCount else {
                        throw HTTPParseError(.tooManyHeaders, "RFC 9112 §5: more than \(maxHeaderCount) header fields")
                    }
                    let field = try FieldLine(bytes, start: start, end: end)
                    fields.append((name: field.name(bytes), value: field.value(bytes)))
                }
            }
        } catch {
            failed = error
            return .failure(error)
        }
    }

    /// status-line = HTTP-version SP status-code SP [ reason-phrase ] (RFC 9112 §4). Leniently also accepts a
    /// missing SP when the reason is empty, which some servers send; the reason is informational only.
    private static func statusLine(_ bytes: UnsafeRawBufferPointer, _ start: Int, _ end: Int)
        throws(HTTPParseError) -> (HTTPVersion, HTTPStatus) {
        let bad = HTTPParseError(.malformedStatusLine, "RFC 9112 §4: malformed status line")
        guard end - start >= 12, bytes[start] == UInt8(ascii: "H"), bytes[start + 1] == UInt8(ascii: "T"),
              bytes[start + 2] == UInt8(ascii: "T"), bytes[start + 3] == UInt8(ascii: "P"),
              bytes[start + 4] == UInt8(ascii: "/"), ASCII.isDigit(bytes[start + 5]),
              bytes[start + 6] == UInt8(ascii: "."), ASCII.isDigit(bytes[start + 7]),
              bytes[start + 8] == ASCII.sp else { throw bad }
        // RFC 9110 §6.2: a higher minor version of HTTP/1 is processed as the highest we know; other majors are not HTTP/1.
        guard bytes[start + 5] == UInt8(ascii: "1") else {
            throw HTTPParseError(.malformedStatusLine, "RFC 9112 §4: not an HTTP/1 response")
        }
        let version: HTTPVersion = bytes[start + 7] == UInt8(ascii: "0") ? .http1_0 : .http1_1
        // RFC 9110 §15: status-code = 3DIGIT in 100...599.
        var code = 0
        for i in (start + 9)..<(start + 12) {
            guard ASCII.isDigit(bytes[i]) else { throw bad }
            code = code * 10 + Int(bytes[i] &- 0x30)
        }
        guard (100...599).contains(code) else { throw bad }
        var reasonStart = start + 12
        if reasonStart < end {
            guard bytes[reasonStart] == ASCII.sp else { throw bad }
            reasonStart += 1
        }
        // reason-phrase = 1*( HTAB / SP / VCHAR / obs-text )
        for i in reasonStart..<end where !ASCII.isFieldValueChar(bytes[i]) { throw bad }
        if reasonStart >= end { return (version, HTTPStatus(code: code)) }
        let reason = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[reasonStart..<end]), as: UTF8.self)
        return (version, HTTPStatus(code, reason))
    }

    /// Body framing of a response per RFC 9112 §6.3 given the request method (HEAD, 1xx, 204, 304 → .none;
    /// chunked; Content-Length; else .untilClose).
    package static func framing(of head: HTTPResponseHead, requestMethod: HTTPMethod) throws(HTTPParseError) -> BodyFraming {
        let code = head.status.code
        // RFC 9112 §6.3 item 1: no body after HEAD, and none in 1xx, 204 and 304.
        if requestMethod == .head || (100..<200).contains(code) || code == 204 || code == 304 { return .none }
        // RFC 9112 §6.3 item 2: a 2xx to CONNECT turns the connection into a tunnel; there is no body to frame.
        if requestMethod.rawValue == "CONNECT", (200..<300).contains(code) { return .none }
        var f = FramingFields()
        f.transferEncodings = head.headers.values("Transfer-Encoding")
        f.contentLengths = head.headers.values("Content-Length")
        if !f.transferEncodings.isEmpty {
            // RFC 9112 §6.3 item 3 lets Transfer-Encoding override Content-Length, but both together signal an
            // attempt at smuggling or a broken server: refuse rather than guess.
            guard f.contentLengths.isEmpty else {
                throw HTTPParseError(.conflictingFraming, "RFC 9112 §6.3: both Content-Length and Transfer-Encoding")
            }
            // RFC 9112 §6.1: Transfer-Encoding in an HTTP/1.0 message means faulty framing.
            guard head.version == .http1_1 else {
                throw HTTPParseError(.conflictingFraming, "RFC 9112 §6.1: Transfer-Encoding in an HTTP/1.0 response")
            }
            try f.checkChunked()
            return .chunked
        }
        guard !f.contentLengths.isEmpty else { return .untilClose }  // RFC 9112 §6.3 item 8
        // RFC 9112 §6.3 item 5: repeated Content-Length values are fine if they are all the same.
        var length: Int?
        for value in f.contentLengths {
            for element in value.split(separator: ",", omittingEmptySubsequences: false) {
                let n = try FramingFields.parseContentLength(element.trimmingOWS())
                guard length == nil || length == n else {
                    throw HTTPParseError(.duplicateContentLength, "RFC 9112 §6.3: differing Content-Length values")
                }
                length = n
            }
        }
        return .contentLength(length ?? 0)
    }
}
