@testable import HTTPServer
import Testing

// Request smuggling works when two HTTP parsers disagree on where a message ends. These are the known
// disagreements; each must be refused outright rather than resolved one way or the other.

/// A request with the given header lines (Host included) and raw bytes after the head.
func post(_ fields: [String], _ rest: String = "") -> [UInt8] {
    Array((["POST / HTTP/1.1", "Host: h"] + fields + ["", rest]).joined(separator: "\r\n").utf8)
}

/// A chunked request whose body is `body` exactly as written.
func chunked(_ body: String) -> [UInt8] { post(["Transfer-Encoding: chunked"], body) }

let smuggling: [BadInput] = [
    // Framing headers (RFC 9112 §6.1, §6.3).
    BadInput(post(["Content-Length: 4", "Transfer-Encoding: chunked"], "0\r\n\r\n"), .conflictingFraming),
    BadInput(post(["Transfer-Encoding: chunked", "Content-Length: 4"], "0\r\n\r\n"), .conflictingFraming),
    BadInput(post(["Transfer-Encoding: chunked, identity"]), .unsupportedTransferEncoding, 501),
    BadInput(post(["Transfer-Encoding: identity"]), .unsupportedTransferEncoding, 501),
    BadInput(post(["Transfer-Encoding: gzip, chunked"]), .unsupportedTransferEncoding, 501),
    BadInput(post(["Transfer-Encoding: xchunked"]), .unsupportedTransferEncoding, 501),
    BadInput(post(["Transfer-Encoding: chunked;q=1"]), .unsupportedTransferEncoding, 501),
    BadInput(post(["Transfer-Encoding: \"chunked\""]), .unsupportedTransferEncoding, 501),
    BadInput(post(["Transfer-Encoding: chunked, chunked"]), .conflictingFraming),
    BadInput(post(["Transfer-Encoding: chunked", "Transfer-Encoding: chunked"]), .conflictingFraming),
    BadInput(post(["Transfer-Encoding : chunked"]), .malformedHeader),
    BadInput(post(["Transfer-Encoding\t: chunked"]), .malformedHeader),
    BadInput(post([" Transfer-Encoding: chunked"]), .obsoleteLineFolding),
    BadInput(post(["Transfer-Encoding:", " chunked"]), .obsoleteLineFolding),
    BadInput(post(["X: y", "\tTransfer-Encoding: chunked"]), .obsoleteLineFolding),
    BadInput(post(["Transfer_Encoding: chunked", "Transfer Encoding: chunked"]), .malformedHeader),
    BadInput(Array("POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n".utf8), .conflictingFraming),
    BadInput(Array("POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n".utf8), .conflictingFraming),
    // Content-Length (RFC 9110 §8.6, RFC 9112 §6.3).
    BadInput(post(["Content-Length: 5", "Content-Length: 5"], "hello"), .duplicateContentLength),
    BadInput(post(["Content-Length: 5", "Content-Length: 6"], "hello!"), .duplicateContentLength),
    BadInput(post(["Content-Length: 5, 5"], "hello"), .duplicateContentLength),
    BadInput(post(["Content-Length: 5,6"], "hello"), .duplicateContentLength),
    BadInput(post(["Content-Length: +5"], "hello"), .invalidContentLength),
    BadInput(post(["Content-Length: 0x5"], "hello"), .invalidContentLength),
    BadInput(post(["Content-Length: 5 5"], "hello"), .invalidContentLength),
    BadInput(post(["Content-Length: 5\t0"], "hello"), .invalidContentLength),
    BadInput(post(["Content-Length: -1"]), .invalidContentLength),
    BadInput(post(["Content-Length: 5.0"], "hello"), .invalidContentLength),
    BadInput(post(["Content-Length: ５"], "hello"), .invalidContentLength),
    BadInput(post(["Content-Length: 99999999999999999999999999"]), .invalidContentLength),
    BadInput(post(["Content-Length: 9223372036854775808"]), .invalidContentLength),
    BadInput(post(["Content-Length : 5"], "hello"), .malformedHeader),
    // Chunk sizes and chunk framing (RFC 9112 §7.1).
    BadInput(chunked("0x1\r\na\r\n0\r\n\r\n"), .invalidChunk),
    BadInput(chunked("-1\r\na\r\n0\r\n\r\n"), .invalidChunk),
    BadInput(chunked("+1\r\na\r\n0\r\n\r\n"), .invalidChunk),
    BadInput(chunked(" 1\r\na\r\n0\r\n\r\n"), .invalidChunk),
    BadInput(chunked("1 \r\na\r\n0\r\n\r\n"), .invalidChunk),
    BadInput(chunked("1 ;x\r\na\r\n0\r\n\r\n"), .invalidChunk),
    BadInput(chunked("1\t;x\r\na\r\n0\r\n\r\n"), .invalidChunk),
    BadInput(chunked("\r\na\r\n0\r\n\r\n"), .invalidChunk),
    BadInput(chunked("g\r\na\r\n0\r\n\r\n"), .invalidChunk),
    BadInput(chunked("1\r\nab\r\n0\r\n\r\n"), .invalidChunk),
    BadInput(chunked("1\r\naXY0\r\n\r\n"), .invalidChunk),
    BadInput(chunked("1\r\na\n0\r\n\r\n"), .invalidChunk),
    BadInput(chunked("1\r\na\r0\r\n\r\n"), .invalidChunk),
    BadInput(chunked("ffffffffffffffffffffffff\r\n"), .bodyTooLarge, 413),
    BadInput(chunked("8000000000000000\r\n"), .bodyTooLarge, 413),
    BadInput(chunked("1\na\n0\n\n"), .bareLineFeed),
    BadInput(chunked("1\r\na\r\n0\n\n"), .bareLineFeed),
    BadInput(chunked("1\ra\r\n0\r\n\r\n"), .bareLineFeed),
    BadInput(chunked("1;a=\"x\ny\"\r\na\r\n0\r\n\r\n"), .bareLineFeed),
    BadInput(chunked("1;a\rb\r\na\r\n0\r\n\r\n"), .bareLineFeed),
    BadInput(chunked("1\r\na\r\n0\r\nX: y\n\r\n"), .bareLineFeed),
    BadInput(chunked("1\r\na\r\n0\r\n\n"), .bareLineFeed),
    // Line endings and bytes in the head (RFC 9112 §2.2, RFC 9110 §5.5).
    BadInput(Array("POST / HTTP/1.1\nHost: h\nContent-Length: 5\n\nhello".utf8), .bareLineFeed),
    BadInput(Array("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 5\n\r\nhello".utf8), .bareLineFeed),
    BadInput(Array("POST / HTTP/1.1\rHost: h\r\n\r\n".utf8), .bareLineFeed),
    BadInput(Array("POST / HTTP/1.1\r\nHost: h\r\nX: a\rContent-Length: 5\r\n\r\nhello".utf8), .bareLineFeed),
    BadInput(Array("POST / HTTP/1.1\r\nHost: h\r\nX: a\0\r\nContent-Length: 5\r\n\r\nhello".utf8), .nulByte),
    BadInput(Array("POST / HTTP/1.1\r\nHost: h\r\nContent-Length\0: 5\r\n\r\nhello".utf8), .nulByte),
    BadInput(post(["Content Length: 5"], "hello"), .malformedHeader),
    BadInput(post(["X: a", " Content-Length: 5"], "hello"), .obsoleteLineFolding),
    BadInput(post(["Content-Length: 5\u{0B}"], "hello"), .malformedHeader),
]

@Test(arguments: smuggling)
func smugglingAttemptIsRejected(_ input: BadInput) {
    let r = parseAll(input.bytes)
    #expect(r.error?.code == input.code)
    #expect(r.error?.status.code == input.status)
    // Whatever the split, the same verdict.
    var c = FakeConnection()
    for b in input.bytes { c.receive([b]) }
    #expect(c.error?.code == input.code)
}

@Test func requestsAfterAContentLengthBodyAreSeparateRequests() {
    // The classic CL.TE payload, seen by a strict parser: the body is exactly 13 bytes, then a second request.
    let bytes = post(["Content-Length: 13"], "0\r\n\r\nSMUGGLED") + Array(" / HTTP/1.1\r\nHost: h\r\n\r\n".utf8)
    let r = parseAll(bytes)
    #expect(r.requests.first?.bodyText == "0\r\n\r\nSMUGGLED")
    // The rest does not parse as a request: the method must not start with a space.
    #expect(r.error?.code == .malformedRequestLine)
}

@Test func chunkedBodyEndsExactlyAtTheLastChunk() {
    let bytes = chunked("3\r\nabc\r\n0\r\n\r\n") + Array("GET /next HTTP/1.1\r\nHost: h\r\n\r\n".utf8)
    let r = parseAll(bytes)
    #expect(r.error == nil)
    #expect(r.requests.map(\.path) == ["/", "/next"])
    #expect(r.requests.first?.bodyText == "abc")
}
