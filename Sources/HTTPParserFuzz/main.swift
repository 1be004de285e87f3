// libFuzzer target for the HTTP/1.1 parser. Built with `-sanitize=fuzzer,address -parse-as-library -DFUZZING` by
// .ci/fuzz.sh; in a plain build it is an ordinary executable that replays the files (or directories of files)
// given as arguments, so CI can replay a corpus and crash files without libFuzzer.
//
// Every input is run three ways: as a stream of pipelined requests (head parser + body decoder), as a response
// (head parser + framing + body), and as a bare chunked body. Each is fed whole, split in two at an input-derived
// point, and in small input-derived pieces; the outcomes must be identical, and `consumed` must never exceed
// what was offered. Any difference traps, which libFuzzer reports as a crash.

import HTTPServer

#if !FUZZING
import Foundation
#endif

/// Small limits, so inputs of a few hundred bytes reach every limit check.
let fuzzLimits: HTTPLimits = {
    var limits = HTTPLimits()
    limits.maxRequestLineBytes = 200
    limits.maxHeaderBytes = 400
    limits.maxHeaderCount = 12
    limits.maxBodyBytes = 1000
    return limits
}()

/// What a run produced, compared between the ways of feeding the same bytes.
struct Outcome: Equatable {
    var messages: [String] = []
    var bodies: [[UInt8]] = []
    var error: HTTPParseError.Code?
    /// Unconsumed bytes at the end (only compared when there was no error).
    var leftover: [UInt8] = []

    static func == (a: Outcome, b: Outcome) -> Bool {
        a.messages == b.messages && a.bodies == b.bodies && a.error == b.error && (a.error != nil || a.leftover == b.leftover)
    }
}

func check(_ condition: Bool, _ message: @autoclosure () -> String) {
    if !condition { fatalError("fuzz invariant violated: \(message())") }
}

/// Removes `consumed` bytes from the front, trapping if the parser claims more than it was given.
func drop(_ consumed: Int, from buffer: inout [UInt8]) {
    check(consumed >= 0 && consumed <= buffer.count, "consumed \(consumed) of \(buffer.count) bytes")
    buffer.removeFirst(consumed)
}

/// Decodes a body from `buffer`; returns true when complete, false when more is needed, nil on failure.
func decode(_ decoder: inout HTTPBodyDecoder, _ buffer: inout [UInt8], _ body: inout [UInt8], _ outcome: inout Outcome) -> Bool? {
    switch buffer.withUnsafeBytes({ decoder.decode($0, into: &body) }) {
    case .needMore(let consumed):
        drop(consumed, from: &buffer)
        return false
    case .complete(let consumed):
        drop(consumed, from: &buffer)
        return true
    case .failure(let e):
        check(!e.detail.isEmpty, "error without detail")
        outcome.error = e.code
        return nil
    }
}

/// Pipelined requests, as a server connection reads them.
func runRequests(_ input: [UInt8], _ pieces: [Range<Int>]) -> Outcome {
    var outcome = Outcome()
    var buffer: [UInt8] = []
    var parser = HTTPRequestHeadParser(limits: fuzzLimits)
    var decoder: HTTPBodyDecoder?
    var body: [UInt8] = []
    feeding: for piece in pieces {
        buffer.append(contentsOf: input[piece])
        while true {
            if decoder == nil {
                switch buffer.withUnsafeBytes({ parser.parse($0) }) {
                case .needMore:
                    continue feeding
                case .failure(let e):
                    outcome.error = e.code
                    return outcome
                case let .head(head, framing, consumed):
                    check(consumed > 0, "empty head")
                    drop(consumed, from: &buffer)
                    check(framing != .untilClose, "request framed until close")
                    if head.version == .http1_1 { check(head.headers.contains("Host"), "HTTP/1.1 without Host") }
                    outcome.messages.append("\(head.method) \(head.target) \(head.path) \(head.query ?? "-") \(head.version) "
                        + "\(head.keepAlive) \(framing) \(head.headers.map { "\($0.name)=\($0.value)" })")
                    decoder = HTTPBodyDecoder(framing: framing, maxBodyBytes: fuzzLimits.maxBodyBytes, limits: fuzzLimits)
                    body = []
                }
            }
            guard var d = decoder else { continue }
            let done = decode(&d, &buffer, &body, &outcome)
            decoder = d
            guard let done else { return outcome }
            guard done else { continue feeding }
            check(body.count <= fuzzLimits.maxBodyBytes, "body over the limit")
            outcome.bodies.append(body)
            decoder = nil
            parser.reset()
        }
    }
    if var d = decoder, let e = d.finish() { outcome.error = e.code }
    outcome.leftover = buffer
    return outcome
}

/// One response, as the HTTP client reads it (the request method is taken from the input).
func runResponse(_ input: [UInt8], _ pieces: [Range<Int>]) -> Outcome {
    var outcome = Outcome()
    var buffer: [UInt8] = []
    var parser = HTTPResponseHeadParser(maxHeaderBytes: fuzzLimits.maxHeaderBytes, maxHeaderCount: fuzzLimits.maxHeaderCount)
    var decoder: HTTPBodyDecoder?
    var body: [UInt8] = []
    let method: HTTPMethod = input.count % 3 == 0 ? .head : .get
    feeding: for piece in pieces {
        buffer.append(contentsOf: input[piece])
        if decoder == nil {
            switch buffer.withUnsafeBytes({ parser.parse($0) }) {
            case .needMore:
                continue feeding
            case .failure(let e):
                outcome.error = e.code
                return outcome
            case let .head(head, consumed):
                drop(consumed, from: &buffer)
                check((100...599).contains(head.status.code), "status \(head.status.code)")
                let framing: BodyFraming
                do throws(HTTPParseError) {
                    framing = try HTTPResponseHeadParser.framing(of: head, requestMethod: method)
                } catch {
                    outcome.error = error.code
                    return outcome
                }
                outcome.messages.append("\(head.version) \(head.status) \(framing) \(head.headers.map { "\($0.name)=\($0.value)" })")
                decoder = HTTPBodyDecoder(framing: framing, maxBodyBytes: fuzzLimits.maxBodyBytes, limits: fuzzLimits)
            }
        }
        guard var d = decoder else { continue }
        let done = decode(&d, &buffer, &body, &outcome)
        decoder = d
        guard let done else { return outcome }
        if done {
            // Bytes after the message stay unread, however they arrived.
            outcome.bodies.append(body)
            outcome.leftover = buffer + input[piece.upperBound...]
            return outcome
        }
    }
    if var d = decoder, let e = d.finish() {
        outcome.error = e.code
        return outcome
    }
    if decoder != nil { outcome.bodies.append(body) }
    outcome.leftover = buffer
    return outcome
}

/// The input as a bare chunked body.
func runChunked(_ input: [UInt8], _ pieces: [Range<Int>]) -> Outcome {
    var outcome = Outcome()
    var buffer: [UInt8] = []
    var decoder = HTTPBodyDecoder(framing: .chunked, maxBodyBytes: fuzzLimits.maxBodyBytes, limits: fuzzLimits)
    var body: [UInt8] = []
    for piece in pieces {
        buffer.append(contentsOf: input[piece])
        guard let done = decode(&decoder, &buffer, &body, &outcome) else { return outcome }
        if done {
            check(body.count <= fuzzLimits.maxBodyBytes, "chunked body over the limit")
            outcome.bodies.append(body)
            outcome.leftover = buffer + input[piece.upperBound...]
            return outcome
        }
    }
    if let e = decoder.finish() { outcome.error = e.code }
    outcome.leftover = buffer
    return outcome
}

/// Runs one input every way and traps on any disagreement.
func fuzz(_ input: [UInt8]) {
    // FNV-1a: the split point and piece size come from the input, so libFuzzer can steer them.
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for b in input { hash = (hash ^ UInt64(b)) &* 0x100_0000_01b3 }
    let n = input.count
    let split = Int(hash % UInt64(n + 1))
    let step = Int((hash >> 16) % 13) + 1
    let whole = [0..<n]
    let halves = [0..<split, split..<n]
    let small = stride(from: 0, to: n, by: step).map { $0..<min($0 + step, n) }

    for (name, run) in [("requests", runRequests), ("response", runResponse), ("chunked", runChunked)] {
        let reference = run(input, whole)
        let a = run(input, halves)
        check(a == reference, "\(name): split at \(split) gave \(a), whole gave \(reference)")
        let b = run(input, small)
        check(b == reference, "\(name): pieces of \(step) gave \(b), whole gave \(reference)")
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzerTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let input = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    fuzz(input)
    return 0
}

#if !FUZZING
/// Plain mode: replays files and directories of files given as arguments; without arguments, a few built-in samples.
func replayMain() {
    var count = 0
    let files = FileManager.default
    for path in CommandLine.arguments.dropFirst() {
        var isDirectory: ObjCBool = false
        guard files.fileExists(atPath: path, isDirectory: &isDirectory) else {
            print("HTTPParserFuzz: no such file: \(path)")
            exit(2)
        }
        let paths = isDirectory.boolValue
            ? ((try? files.contentsOfDirectory(atPath: path)) ?? []).sorted().map { path + "/" + $0 }
            : [path]
        for file in paths {
            guard let data = files.contents(atPath: file) else { continue }
            fuzz([UInt8](data))
            count += 1
        }
    }
    if CommandLine.arguments.count == 1 {
        let samples = [
            "GET /a?b HTTP/1.1\r\nHost: h\r\n\r\nPOST / HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\n\r\nabc",
            "PUT / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n3;x=y\r\nabc\r\n0\r\nT: 1\r\n\r\n",
            "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok",
        ]
        for sample in samples {
            fuzz(Array(sample.utf8))
            count += 1
        }
    }
    print("HTTPParserFuzz: replayed \(count) inputs without a finding")
}

// The entry point, written as a declaration rather than a statement: the fuzzing build compiles this file with
// -parse-as-library, where even inactive #if blocks may not hold top-level statements.
let replayed: Void = replayMain()
#endif
