/// The outcome of feeding bytes to an `HTTPBodyDecoder`.
package enum BodyDecodeResult: Equatable {
    /// All `consumed` bytes were used (some may be held internally); the body is not finished.
    case needMore(consumed: Int)
    /// The body ended after `consumed` bytes; the rest belongs to the next message.
    case complete(consumed: Int)
    /// The body is malformed or too large: answer `error.status` and close the connection.
    case failure(HTTPParseError)
}

/// Decodes a message body by its framing (RFC 9112 §6, §7.1), streaming: every byte is looked at once, whatever
/// the boundaries at which the bytes arrive.
package struct HTTPBodyDecoder {
    /// Where the decoder is inside a chunk-size line's extensions (RFC 9112 §7.1.1), strict: no BWS.
    private enum Extension { case nameStart, name, valueStart, token, quoted, quotedEscape, afterQuoted }

    private enum State {
        case length(remaining: Int)
        case untilClose
        /// Reading chunk-size hex digits; `digits` counts them.
        case size(digits: Int)
        case chunkExtension(Extension)
        /// The CR of the chunk-size line was read; LF must follow.
        case sizeLF
        case data(remaining: Int)
        case dataCR
        case dataLF
        case trailerLine
        case trailerLF
        case done
        case failed(HTTPParseError)
    }

    /// Longest chunk-size line (size and extensions), so extensions cannot be used to make us read forever.
    static let maxChunkSizeLineBytes = 4096

    private var state: State
    private let maxBodyBytes: Int
    private let maxTrailerBytes: Int
    private let maxTrailerCount: Int
    /// Decoded body bytes so far.
    private var total = 0
    /// The size of the current chunk while its size line is read.
    private var chunkSize = 0
    private var sizeLineBytes = 0
    /// The trailer field line being read (trailers are validated and then discarded).
    private var trailerLine: [UInt8] = []
    private var trailerBytes = 0
    private var trailerCount = 0

    /// A decoder for one body; `limits` bounds trailer fields like header fields (maxHeaderBytes, maxHeaderCount).
    package init(framing: BodyFraming, maxBodyBytes: Int, limits: HTTPLimits) {
        self.maxBodyBytes = maxBodyBytes
        maxTrailerBytes = limits.maxHeaderBytes
        maxTrailerCount = limits.maxHeaderCount
        switch framing {
        case .none: state = .done
        case .contentLength(let n) where n < 0:
            state = .failed(HTTPParseError(.invalidContentLength, "RFC 9110 §8.6: negative Content-Length"))
        case .contentLength(let n) where n > maxBodyBytes:
            // Refused before reading any of it (RFC 9110 §15.5.14).
            state = .failed(HTTPParseError(.bodyTooLarge, "RFC 9110 §15.5.14: Content-Length \(n) exceeds \(maxBodyBytes)"))
        case .contentLength(let n): state = n == 0 ? .done : .length(remaining: n)
        case .chunked: state = .size(digits: 0)
        case .untilClose: state = .untilClose
        }
    }

    /// Consumes as much of `bytes` as it can, appending decoded body bytes to `body`.
    package mutating func decode(_ bytes: UnsafeRawBufferPointer, into body: inout [UInt8]) -> BodyDecodeResult {
        do throws(HTTPParseError) {
            return try step(bytes, into: &body)
        } catch {
            state = .failed(error)
            return .failure(error)
        }
    }

    /// End of stream: `.untilClose` completes; anything else unfinished is `.truncatedBody`.
    package mutating func finish() -> HTTPParseError? {
        switch state {
        case .done: return nil
        case .untilClose:
            state = .done
            return nil
        case .failed(let error): return error
        default:
            let error = HTTPParseError(.truncatedBody, "RFC 9112 §8: connection closed before the body was complete")
            state = .failed(error)
            return error
        }
    }

    private mutating func step(_ bytes: UnsafeRawBufferPointer, into body: inout [UInt8]) throws(HTTPParseError) -> BodyDecodeResult {
        let count = bytes.count
        var i = 0
        while true {
            switch state {
            case .done:
                return .complete(consumed: i)
            case .failed(let error):
                throw error
            case .length(let remaining):
                if body.isEmpty { body.reserveCapacity(remaining) }
                let n = min(remaining, count - i)
                append(bytes, i, n, to: &body)
                i += n
                if n == remaining { state = .done; continue }
                state = .length(remaining: remaining - n)
                return .needMore(consumed: i)
            case .untilClose:
                let n = count - i
                // Bounded like any other body (RFC 9110 §15.5.14).
                guard n <= maxBodyBytes - total else {
                    throw HTTPParseError(.bodyTooLarge, "RFC 9110 §15.5.14: body exceeds \(maxBodyBytes) bytes")
                }
                append(bytes, i, n, to: &body)
                total += n
                return .needMore(consumed: count)
            case .data(let remaining):
                let n = min(remaining, count - i)
                append(bytes, i, n, to: &body)
                i += n
                if n == remaining { state = .dataCR; continue }
                state = .data(remaining: remaining - n)
                return .needMore(consumed: i)
            default:
                // Line-oriented parts: one byte at a time.
                guard i < count else { return .needMore(consumed: i) }
                try byte(bytes[i])
                i += 1
            }
        }
    }

    @inline(__always)
    private func append(_ bytes: UnsafeRawBufferPointer, _ start: Int, _ n: Int, to body: inout [UInt8]) {
        guard n > 0 else { return }
        body.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[start..<(start + n)]))
    }

    /// Advances the chunked state machine by one byte (RFC 9112 §7.1).
    private mutating func byte(_ b: UInt8) throws(HTTPParseError) {
        switch state {
        case .size, .chunkExtension:
            sizeLineBytes += 1
            guard sizeLineBytes <= Self.maxChunkSizeLineBytes else {
                throw HTTPParseError(.invalidChunk, "RFC 9112 §7.1.1: chunk-size line longer than \(Self.maxChunkSizeLineBytes) bytes")
            }
            if b == ASCII.lf { throw HTTPParseError(.bareLineFeed, "RFC 9112 §7.1: bare LF in chunk-size line") }
        default:
            break
        }
        switch state {
        case .size(let digits):
            // RFC 9112 §7.1: chunk-size = 1*HEXDIG; no sign, no "0x", no whitespace.
            if let d = ASCII.hexValue(b) {
                let (m, o1) = chunkSize.multipliedReportingOverflow(by: 16)
                let (s, o2) = m.addingReportingOverflow(d)
                guard !o1, !o2, s <= maxBodyBytes - total else {
                    throw HTTPParseError(.bodyTooLarge, "RFC 9110 §15.5.14: chunked body exceeds \(maxBodyBytes) bytes")
                }
                chunkSize = s
                state = .size(digits: digits + 1)
            } else if digits == 0 {
                throw HTTPParseError(.invalidChunk, "RFC 9112 §7.1: chunk-size is not 1*HEXDIG")
            } else if b == ASCII.semicolon {
                state = .chunkExtension(.nameStart)
            } else if b == ASCII.cr {
                state = .sizeLF
            } else {
                throw HTTPParseError(.invalidChunk, "RFC 9112 §7.1: unexpected byte after chunk-size")
            }
        case .chunkExtension(let ext):
            // nil: the CR ending the size line.
            state = try extensionByte(b, ext).map { .chunkExtension($0) } ?? .sizeLF
        case .sizeLF:
            guard b == ASCII.lf else { throw HTTPParseError(.bareLineFeed, "RFC 9112 §7.1: CR not followed by LF") }
            sizeLineBytes = 0
            if chunkSize == 0 {
                state = .trailerLine  // RFC 9112 §7.1: last-chunk, then the trailer section
            } else {
                total += chunkSize
                state = .data(remaining: chunkSize)
                chunkSize = 0
            }
        case .dataCR:
            // RFC 9112 §7.1: chunk-data is followed by exactly CRLF.
            guard b == ASCII.cr else { throw HTTPParseError(.invalidChunk, "RFC 9112 §7.1: chunk data not followed by CRLF") }
            state = .dataLF
        case .dataLF:
            guard b == ASCII.lf else { throw HTTPParseError(.invalidChunk, "RFC 9112 §7.1: chunk data not followed by CRLF") }
            state = .size(digits: 0)
        case .trailerLine:
            trailerBytes += 1
            // RFC 9112 §7.1.2: trailer fields are bounded like header fields.
            guard trailerBytes <= maxTrailerBytes else {
                throw HTTPParseError(.headersTooLarge, "RFC 9112 §7.1.2: trailer section larger than \(maxTrailerBytes) bytes")
            }
            switch b {
            case ASCII.cr: state = .trailerLF
            case ASCII.lf: throw HTTPParseError(.bareLineFeed, "RFC 9112 §2.2: bare LF in trailer section")
            case 0: throw HTTPParseError(.nulByte, "RFC 9110 §5.5: NUL byte in trailer section")
            default: trailerLine.append(b)
            }
        case .trailerLF:
            trailerBytes += 1
            guard b == ASCII.lf else { throw HTTPParseError(.bareLineFeed, "RFC 9112 §2.2: CR not followed by LF") }
            if trailerLine.isEmpty {
                state = .done
                return
            }
            trailerCount += 1
            guard trailerCount <= maxTrailerCount else {
                throw HTTPParseError(.tooManyHeaders, "RFC 9112 §7.1.2: more than \(maxTrailerCount) trailer fields")
            }
            // RFC 9112 §7.1.2: trailer fields follow the field-line rules (§5); we validate and discard them.
            let error = trailerLine.withUnsafeBytes { (raw: UnsafeRawBufferPointer) -> HTTPParseError? in
                do throws(HTTPParseError) {
                    _ = try FieldLine(raw, start: 0, end: raw.count)
                    return nil
                } catch { return error }
            }
            if let error { throw error }
            trailerLine.removeAll(keepingCapacity: true)
            state = .trailerLine
        default:
            break
        }
    }

    /// chunk-ext = *( ";" chunk-ext-name [ "=" chunk-ext-val ] ), chunk-ext-val = token / quoted-string
    /// (RFC 9112 §7.1.1). BWS is not accepted: a space after the size is where parsers disagree.
    private func extensionByte(_ b: UInt8, _ ext: Extension) throws(HTTPParseError) -> Extension? {
        let bad = HTTPParseError(.invalidChunk, "RFC 9112 §7.1.1: malformed chunk extension")
        switch ext {
        case .nameStart:
            guard ASCII.isTchar(b) else { throw bad }
            return .name
        case .name, .token:
            if ASCII.isTchar(b) { return ext }
            if b == UInt8(ascii: "="), ext == .name { return .valueStart }
            return try extensionEnd(b, bad)
        case .valueStart:
            if ASCII.isTchar(b) { return .token }
            guard b == UInt8(ascii: "\"") else { throw bad }
            return .quoted
        case .quoted:
            // RFC 9110 §5.6.4: qdtext = HTAB / SP / %x21 / %x23-5B / %x5D-7E / obs-text
            if b == UInt8(ascii: "\"") { return .afterQuoted }
            if b == UInt8(ascii: "\\") { return .quotedEscape }
            guard ASCII.isFieldValueChar(b) else { throw bad }
            return .quoted
        case .quotedEscape:
            guard ASCII.isFieldValueChar(b) else { throw bad }  // quoted-pair = "\" ( HTAB / SP / VCHAR / obs-text )
            return .quoted
        case .afterQuoted:
            return try extensionEnd(b, bad)
        }
    }

    /// After a complete extension: another one, or nil for the CR that ends the size line.
    private func extensionEnd(_ b: UInt8, _ bad: HTTPParseError) throws(HTTPParseError) -> Extension? {
        if b == ASCII.semicolon { return .nameStart }
        guard b == ASCII.cr else { throw bad }
        return nil
    }
}
