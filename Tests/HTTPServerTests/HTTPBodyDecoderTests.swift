@testable import HTTPServer
import Testing

/// Decodes `bytes` fed in the given pieces, keeping unconsumed bytes like a connection buffer does.
func decodeBody(_ framing: BodyFraming, _ pieces: [[UInt8]], maxBodyBytes: Int = 1 << 20, limits: HTTPLimits = HTTPLimits(),
                finish: Bool = false) -> (body: [UInt8], leftover: [UInt8], complete: Bool, error: HTTPParseError?) {
    var decoder = HTTPBodyDecoder(framing: framing, maxBodyBytes: maxBodyBytes, limits: limits)
    var buffer: [UInt8] = []
    var body: [UInt8] = []
    var complete = false
    for piece in pieces {
        buffer += piece
        if complete { continue }
        switch buffer.withUnsafeBytes({ decoder.decode($0, into: &body) }) {
        case .needMore(let consumed):
            buffer.removeFirst(consumed)
        case .complete(let consumed):
            buffer.removeFirst(consumed)
            complete = true
        case .failure(let e):
            return (body, buffer, false, e)
        }
    }
    if finish, !complete {
        if let e = decoder.finish() { return (body, buffer, false, e) }
        complete = true
    }
    return (body, buffer, complete, nil)
}

func text(_ s: String) -> [UInt8] { Array(s.utf8) }

@Test func contentLengthConsumesExactlyN() {
    let r = decodeBody(.contentLength(5), [text("helloGET / HTTP/1.1")])
    #expect(r.complete)
    #expect(r.body == text("hello"))
    #expect(r.leftover == text("GET / HTTP/1.1"))
}

@Test func contentLengthInPieces() {
    let r = decodeBody(.contentLength(5), [text("he"), [], text("l"), text("lo!")])
    #expect(r.complete)
    #expect(r.body == text("hello"))
    #expect(r.leftover == text("!"))
}

@Test func noBodyAndZeroLengthCompleteAtOnce() {
    for framing in [BodyFraming.none, .contentLength(0)] {
        var decoder = HTTPBodyDecoder(framing: framing, maxBodyBytes: 10, limits: HTTPLimits())
        var body: [UInt8] = []
        #expect(text("GET").withUnsafeBytes { decoder.decode($0, into: &body) } == .complete(consumed: 0))
        #expect(decoder.finish() == nil)
    }
}

@Test func contentLengthOverLimitFailsBeforeReading() {
    var decoder = HTTPBodyDecoder(framing: .contentLength(11), maxBodyBytes: 10, limits: HTTPLimits())
    var body: [UInt8] = []
    let result = [UInt8]().withUnsafeBytes { decoder.decode($0, into: &body) }
    guard case .failure(let e) = result else {
        Issue.record("expected failure, got \(result)")
        return
    }
    #expect(e.code == .bodyTooLarge)
    #expect(e.status.code == 413)
}

@Test func truncatedBodiesFailOnFinish() {
    let cl = decodeBody(.contentLength(5), [text("abc")], finish: true)
    #expect(cl.error?.code == .truncatedBody)
    let chunked = decodeBody(.chunked, [text("5\r\nab")], finish: true)
    #expect(chunked.error?.code == .truncatedBody)
    let trailer = decodeBody(.chunked, [text("0\r\nX: y\r\n")], finish: true)
    #expect(trailer.error?.code == .truncatedBody)
    #expect(trailer.error?.status.code == 400)
}

@Test func untilCloseReadsEverythingAndCompletesOnFinish() {
    let r = decodeBody(.untilClose, [text("abc"), text("def")], finish: true)
    #expect(r.error == nil)
    #expect(r.complete)
    #expect(r.body == text("abcdef"))
    let big = decodeBody(.untilClose, [text("abcdef"), text("ghijk")], maxBodyBytes: 10, finish: true)
    #expect(big.error?.code == .bodyTooLarge)
}

@Test func chunkedBasicsAndHexForms() {
    let r = decodeBody(.chunked, [text("a\r\n0123456789\r\nA\r\nabcdefghij\r\n000\r\n\r\nNEXT")])
    #expect(r.complete)
    #expect(r.body == text("0123456789abcdefghij"))
    #expect(r.leftover == text("NEXT"))
    let f = decodeBody(.chunked, [text("F\r\n" + String(repeating: "x", count: 15) + "\r\n0\r\n\r\n")])
    #expect(f.body.count == 15)
}

@Test func chunkExtensions() {
    let valid = ["1;a", "1;a=b", "1;a=\"quoted value\"", "1;a=\"esc\\\"aped\"", "1;a;b=c;d=\"e\"", "1;!#$%&'*+-.^_`|~=x"]
    for line in valid {
        let r = decodeBody(.chunked, [text(line + "\r\nz\r\n0\r\n\r\n")])
        #expect(r.complete, "\(line)")
        #expect(r.error == nil, "\(line)")
    }
    let invalid = ["1;", "1;=b", "1;a=", "1;a=\"open", "1;a=b c", "1 ;a", "1; a", "1;a =b", "1;a=\"x\"y", "1;a=\"\u{01}\""]
    for line in invalid {
        let r = decodeBody(.chunked, [text(line + "\r\nz\r\n0\r\n\r\n")])
        #expect(r.error?.code == .invalidChunk, "\(line)")
    }
}

@Test func chunkSizeLineIsBounded() {
    let long = "1;a=" + String(repeating: "b", count: HTTPBodyDecoder.maxChunkSizeLineBytes)
    #expect(decodeBody(.chunked, [text(long + "\r\nz\r\n0\r\n\r\n")]).error?.code == .invalidChunk)
    let zeros = String(repeating: "0", count: HTTPBodyDecoder.maxChunkSizeLineBytes + 1)
    #expect(decodeBody(.chunked, [text(zeros + "1\r\nz\r\n0\r\n\r\n")]).error?.code == .invalidChunk)
}

@Test func chunkedTotalIsBounded() {
    let ok = decodeBody(.chunked, [text("5\r\nabcde\r\n5\r\nfghij\r\n0\r\n\r\n")], maxBodyBytes: 10)
    #expect(ok.complete)
    let over = decodeBody(.chunked, [text("5\r\nabcde\r\n6\r\n")], maxBodyBytes: 10)
    #expect(over.error?.code == .bodyTooLarge)
    #expect(over.error?.status.code == 413)
    let huge = decodeBody(.chunked, [text("fffffffffffffffffffffff\r\n")], maxBodyBytes: Int.max)
    #expect(huge.error?.code == .bodyTooLarge)
}

@Test func trailersAreValidatedAndBounded() {
    var limits = HTTPLimits()
    limits.maxHeaderCount = 2
    limits.maxHeaderBytes = 40
    #expect(decodeBody(.chunked, [text("0\r\nA: 1\r\nB: 2\r\n\r\n")], limits: limits).complete)
    #expect(decodeBody(.chunked, [text("0\r\nA: 1\r\nB: 2\r\nC: 3\r\n\r\n")], limits: limits).error?.code == .tooManyHeaders)
    let big = decodeBody(.chunked, [text("0\r\nA: " + String(repeating: "x", count: 40) + "\r\n\r\n")], limits: limits)
    #expect(big.error?.code == .headersTooLarge)
    #expect(big.error?.status.code == 431)
    #expect(decodeBody(.chunked, [text("0\r\nBad Name: 1\r\n\r\n")]).error?.code == .malformedHeader)
    #expect(decodeBody(.chunked, [text("0\r\nA: 1\r\n folded\r\n\r\n")]).error?.code == .obsoleteLineFolding)
    #expect(decodeBody(.chunked, [text("0\r\nA: 1\n\r\n")]).error?.code == .bareLineFeed)
    #expect(decodeBody(.chunked, [text("0\r\nA: 1\r\r\n")]).error?.code == .bareLineFeed)
    #expect(decodeBody(.chunked, [text("0\r\nA: \0\r\n\r\n")]).error?.code == .nulByte)
}

@Test func chunkedSplitAtEveryBoundary() {
    let wire = text("4;x=\"y\"\r\nwiki\r\n5\r\npedia\r\nE\r\n in\r\n\r\nchunks.\r\n0\r\nT: v\r\n\r\nrest")
    let whole = decodeBody(.chunked, [wire])
    #expect(whole.body == text("wikipedia in\r\n\r\nchunks."))
    #expect(whole.leftover == text("rest"))
    for k in 0...wire.count {
        let r = decodeBody(.chunked, [Array(wire[0..<k]), Array(wire[k...])])
        #expect(r.complete && r.body == whole.body && r.leftover == whole.leftover, "split at \(k)")
    }
    let bytewise = decodeBody(.chunked, wire.map { [$0] })
    #expect(bytewise.body == whole.body)
    #expect(bytewise.leftover == whole.leftover)
}

@Test func failureIsStickyInTheDecoder() {
    var decoder = HTTPBodyDecoder(framing: .chunked, maxBodyBytes: 100, limits: HTTPLimits())
    var body: [UInt8] = []
    guard case .failure = text("x").withUnsafeBytes({ decoder.decode($0, into: &body) }) else {
        Issue.record("expected failure")
        return
    }
    guard case .failure = text("1\r\na\r\n").withUnsafeBytes({ decoder.decode($0, into: &body) }) else {
        Issue.record("expected failure again")
        return
    }
    #expect(decoder.finish()?.code == .invalidChunk)
}
