@testable import HTTPServer
import Testing

func parseResponse(_ bytes: [UInt8], maxHeaderBytes: Int = 16 * 1024, maxHeaderCount: Int = 100) -> ResponseHeadParseResult {
    var parser = HTTPResponseHeadParser(maxHeaderBytes: maxHeaderBytes, maxHeaderCount: maxHeaderCount)
    return bytes.withUnsafeBytes { parser.parse($0) }
}

func responseHead(_ bytes: [UInt8]) -> HTTPResponseHead? {
    if case let .head(head, _) = parseResponse(bytes) { return head }
    return nil
}

func responseError(_ bytes: [UInt8], maxHeaderBytes: Int = 16 * 1024, maxHeaderCount: Int = 100) -> HTTPParseError? {
    if case let .failure(e) = parseResponse(bytes, maxHeaderBytes: maxHeaderBytes, maxHeaderCount: maxHeaderCount) { return e }
    return nil
}

func framing(_ statusLine: String, _ fields: [String], method: HTTPMethod = .get) throws(HTTPParseError) -> BodyFraming? {
    guard let head = responseHead(Array(([statusLine] + fields + ["", ""]).joined(separator: "\r\n").utf8)) else { return nil }
    return try HTTPResponseHeadParser.framing(of: head, requestMethod: method)
}

@Test func statusLines() {
    let cases: [(String, HTTPVersion, Int, String)] = [
        ("HTTP/1.1 200 OK", .http1_1, 200, "OK"),
        ("HTTP/1.0 404 Not Found", .http1_0, 404, "Not Found"),
        ("HTTP/1.1 204 ", .http1_1, 204, "No Content"),  // empty reason: the standard phrase
        ("HTTP/1.1 204", .http1_1, 204, "No Content"),  // leniently accepted without the SP
        ("HTTP/1.1 599 Whatever it is\tfine", .http1_1, 599, "Whatever it is\tfine"),
        ("HTTP/1.1 200 Très bien", .http1_1, 200, "Très bien"),
        ("HTTP/1.2 200 OK", .http1_1, 200, "OK"),  // RFC 9110 §6.2: a higher minor is handled as 1.1
    ]
    for (line, version, code, reason) in cases {
        let bytes = Array((line + "\r\nServer: x\r\n\r\n").utf8)
        guard case let .head(head, consumed) = parseResponse(bytes + Array("body".utf8)) else {
            Issue.record("\(line) did not parse")
            continue
        }
        #expect(head.version == version, "\(line)")
        #expect(head.status.code == code, "\(line)")
        #expect(head.status.reason == reason, "\(line)")
        #expect(head.headers["server"] == "x")
        #expect(consumed == bytes.count)
    }
}

@Test func malformedStatusLines() {
    let bad = ["HTTP/2 200 OK", "HTTP/2.0 200 OK", "http/1.1 200 OK", "HTTP/1.1 20 OK", "HTTP/1.1 2000 OK",
               "HTTP/1.1 099 Low", "HTTP/1.1 600 High", "HTTP/1.1 200OK", "HTTP/1.1  200 OK", "HTTP/1.1 2x0 OK",
               "HTTP/1.1 200 O\u{01}K", "ICY 200 OK", ""]
    for line in bad {
        let e = responseError(Array((line + "\r\n\r\n").utf8))
        #expect(e?.code == .malformedStatusLine, "\(line.debugDescription)")
    }
}

@Test func responseFieldRulesAndLimits() {
    #expect(responseError(Array("HTTP/1.1 200 OK\r\nA : b\r\n\r\n".utf8))?.code == .malformedHeader)
    #expect(responseError(Array("HTTP/1.1 200 OK\r\nA: b\r\n c\r\n\r\n".utf8))?.code == .obsoleteLineFolding)
    #expect(responseError(Array("HTTP/1.1 200 OK\nA: b\r\n\r\n".utf8))?.code == .bareLineFeed)
    #expect(responseError(Array("HTTP/1.1 200 OK\r\nA: \0\r\n\r\n".utf8))?.code == .nulByte)
    let many = "HTTP/1.1 200 OK\r\nA: 1\r\nB: 2\r\nC: 3\r\n\r\n"
    #expect(responseError(Array(many.utf8), maxHeaderCount: 2)?.code == .tooManyHeaders)
    #expect(responseError(Array(many.utf8), maxHeaderCount: 3) == nil)
    #expect(responseError(Array(many.utf8), maxHeaderBytes: many.utf8.count)?.code == nil)
    let big = responseError(Array(many.utf8), maxHeaderBytes: many.utf8.count - 1)
    #expect(big?.code == .headersTooLarge)
    #expect(big?.status.code == 431)
    #expect(responseError(Array("HTTP/1.1 200 OK\r\nA: xxxxxxxxxxxxxxxxxxxxxxxxxxx".utf8), maxHeaderBytes: 20)?.code == .headersTooLarge)
}

@Test func responseHeadSplitAtEveryBoundary() {
    let bytes = Array("HTTP/1.1 201 Created\r\nLocation: /x\r\nContent-Length: 0\r\n\r\n".utf8)
    for k in 0..<bytes.count {
        var parser = HTTPResponseHeadParser(maxHeaderBytes: 1024, maxHeaderCount: 10)
        guard case .needMore = Array(bytes[0..<k]).withUnsafeBytes({ parser.parse($0) }) else {
            Issue.record("prefix \(k) should need more")
            continue
        }
        guard case let .head(head, consumed) = bytes.withUnsafeBytes({ parser.parse($0) }) else {
            Issue.record("split at \(k) did not parse")
            continue
        }
        #expect(head.status.code == 201 && head.headers["location"] == "/x" && consumed == bytes.count)
    }
}

@Test func responseFramingDecisions() throws {
    #expect(try framing("HTTP/1.1 200 OK", ["Content-Length: 5"], method: .head) == BodyFraming.none)
    #expect(try framing("HTTP/1.1 200 OK", ["Transfer-Encoding: chunked"], method: .head) == BodyFraming.none)
    #expect(try framing("HTTP/1.1 100 Continue", []) == BodyFraming.none)
    #expect(try framing("HTTP/1.1 101 Switching Protocols", []) == BodyFraming.none)
    #expect(try framing("HTTP/1.1 204 No Content", ["Content-Length: 5"]) == BodyFraming.none)
    #expect(try framing("HTTP/1.1 304 Not Modified", ["Content-Length: 5"]) == BodyFraming.none)
    #expect(try framing("HTTP/1.1 200 OK", [], method: HTTPMethod("CONNECT")) == BodyFraming.none)
    #expect(try framing("HTTP/1.1 200 OK", ["Transfer-Encoding: chunked"]) == .chunked)
    #expect(try framing("HTTP/1.1 200 OK", ["Transfer-Encoding: Chunked"]) == .chunked)
    #expect(try framing("HTTP/1.1 200 OK", ["Content-Length: 42"]) == .contentLength(42))
    #expect(try framing("HTTP/1.1 200 OK", ["Content-Length: 42", "Content-Length: 42"]) == .contentLength(42))
    #expect(try framing("HTTP/1.1 200 OK", ["Content-Length: 42, 42"]) == .contentLength(42))
    #expect(try framing("HTTP/1.1 200 OK", []) == .untilClose)
    #expect(try framing("HTTP/1.0 200 OK", []) == .untilClose)
    #expect(try framing("HTTP/1.1 404 Not Found", ["Content-Length: 0"]) == .contentLength(0))
}

@Test func responseFramingErrors() {
    let cases: [([String], String, HTTPParseError.Code)] = [
        (["Content-Length: 5", "Content-Length: 6"], "HTTP/1.1 200 OK", .duplicateContentLength),
        (["Content-Length: 5, 6"], "HTTP/1.1 200 OK", .duplicateContentLength),
        (["Content-Length: -5"], "HTTP/1.1 200 OK", .invalidContentLength),
        (["Content-Length: 5,"], "HTTP/1.1 200 OK", .invalidContentLength),
        (["Content-Length: 5", "Transfer-Encoding: chunked"], "HTTP/1.1 200 OK", .conflictingFraming),
        (["Transfer-Encoding: chunked"], "HTTP/1.0 200 OK", .conflictingFraming),
        (["Transfer-Encoding: gzip"], "HTTP/1.1 200 OK", .unsupportedTransferEncoding),
        (["Transfer-Encoding: chunked, gzip"], "HTTP/1.1 200 OK", .unsupportedTransferEncoding),
        (["Transfer-Encoding: chunked, chunked"], "HTTP/1.1 200 OK", .conflictingFraming),
    ]
    for (fields, statusLine, code) in cases {
        #expect(performing: { try framing(statusLine, fields) }, throws: { ($0 as? HTTPParseError)?.code == code })
    }
}

@Test func chunkedResponseDecodes() throws {
    let wire = Array("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n6\r\nhello \r\n5\r\nworld\r\n0\r\n\r\n".utf8)
    guard case let .head(head, consumed) = parseResponse(wire) else {
        Issue.record("no head")
        return
    }
    let f = try HTTPResponseHeadParser.framing(of: head, requestMethod: .get)
    #expect(f == .chunked)
    let r = decodeBody(f, [Array(wire[consumed...])])
    #expect(r.complete)
    #expect(String(decoding: r.body, as: UTF8.self) == "hello world")
}

@Test func untilCloseResponseEndsWithFinish() throws {
    let wire = Array("HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nall of this until close".utf8)
    guard case let .head(head, consumed) = parseResponse(wire) else {
        Issue.record("no head")
        return
    }
    let f = try HTTPResponseHeadParser.framing(of: head, requestMethod: .get)
    #expect(f == .untilClose)
    let r = decodeBody(f, [Array(wire[consumed...])], finish: true)
    #expect(r.complete && r.error == nil)
    #expect(String(decoding: r.body, as: UTF8.self) == "all of this until close")
}
