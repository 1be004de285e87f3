// Byte classes, line scanning and field-line parsing shared by the request, response and trailer parsers.

/// How a message body is delimited (RFC 9112 §6).
package enum BodyFraming: Equatable, Sendable {
    /// No body (length 0).
    case none
    /// Exactly this many bytes.
    case contentLength(Int)
    /// The chunked transfer coding (RFC 9112 §7.1).
    case chunked
    /// Everything until the connection closes; responses only (RFC 9112 §6.3 item 8).
    case untilClose
}

enum ASCII {
    static let cr: UInt8 = 0x0D
    static let lf: UInt8 = 0x0A
    static let sp: UInt8 = 0x20
    static let htab: UInt8 = 0x09
    static let colon: UInt8 = 0x3A
    static let comma: UInt8 = 0x2C
    static let semicolon: UInt8 = 0x3B

    /// tchar (RFC 9110 §5.6.2) as a 128-bit mask, so the check is two shifts and no table lookup.
    @inline(__always)
    static func isTchar(_ b: UInt8) -> Bool {
        b < 64 ? (0x03FF_6CFA_0000_0000 as UInt64) &>> UInt64(b) & 1 != 0
            : b < 128 ? (0x57FF_FFFF_C7FF_FFFE as UInt64) &>> UInt64(b &- 64) & 1 != 0 : false
    }

    /// Characters of a Host value: unreserved, sub-delims, "%", ":", "[", "]" (RFC 3986 §3.2.2, RFC 9110 §7.2).
    @inline(__always)
    static func isHostChar(_ b: UInt8) -> Bool {
        b < 64 ? (0x2FFF_7FF2_0000_0000 as UInt64) &>> UInt64(b) & 1 != 0
            : b < 128 ? (0x47FF_FFFE_AFFF_FFFE as UInt64) &>> UInt64(b &- 64) & 1 != 0 : false
    }

    /// field-vchar plus SP and HTAB (RFC 9110 §5.5): visible ASCII, obs-text, whitespace; no other controls, no DEL.
    @inline(__always)
    static func isFieldValueChar(_ b: UInt8) -> Bool { b >= 0x20 ? b != 0x7F : b == htab }

    @inline(__always)
    static func isDigit(_ b: UInt8) -> Bool { b &- 0x30 < 10 }

    /// The value of a hex digit, or nil.
    @inline(__always)
    static func hexValue(_ b: UInt8) -> Int? {
        switch b {
        case 0x30...0x39: Int(b &- 0x30)
        case 0x41...0x46: Int(b &- 0x41 &+ 10)
        case 0x61...0x66: Int(b &- 0x61 &+ 10)
        default: nil
        }
    }
}

/// Finds CRLF-terminated lines in a buffer that grows between calls, never rescanning a byte it has passed.
/// Strict on purpose (RFC 9112 §2.2 allows lenient LF; we do not, because parsers that disagree on line ends
/// are how requests get smuggled): a bare LF, a CR not followed by LF, or a NUL is an error.
struct HeadLineScanner {
    enum Scan { case line(start: Int, end: Int), needMore, overLimit }

    /// Next byte to examine.
    var position = 0
    /// Start of the line being scanned.
    var lineStart = 0

    /// The next complete line (`end` is the index of its CR); `.overLimit` once a byte at `limit` or beyond has
    /// arrived that is not the LF of a CRLF whose CR lies before `limit`.
    @inline(__always)
    mutating func nextLine(_ bytes: UnsafeRawBufferPointer, limit: Int) throws(HTTPParseError) -> Scan {
        let count = bytes.count
        let stop = min(count, limit)
        var i = position
        while i < stop {
            let b = bytes[i]
            if b > ASCII.cr { i &+= 1; continue }
            if b == ASCII.cr {
                guard i + 1 < count else { position = i; return .needMore }
                guard bytes[i + 1] == ASCII.lf else {
                    throw HTTPParseError(.bareLineFeed, "RFC 9112 §2.2: CR not followed by LF")
                }
                let start = lineStart
                position = i + 2
                lineStart = i + 2
                return .line(start: start, end: i)
            }
            if b == ASCII.lf { throw HTTPParseError(.bareLineFeed, "RFC 9112 §2.2: bare LF; lines must end with CRLF") }
            if b == 0 { throw HTTPParseError(.nulByte, "RFC 9110 §5.5: NUL byte in the message head") }
            i &+= 1
        }
        position = i
        return i < count ? .overLimit : .needMore
    }
}

/// A field line split into name and value ranges (value without surrounding whitespace).
struct FieldLine {
    var nameStart: Int, nameEnd: Int, valueStart: Int, valueEnd: Int

    /// Parses `field-name ":" OWS field-value OWS` (RFC 9112 §5) in `bytes[start..<end]`.
    @inline(__always)
    init(_ bytes: UnsafeRawBufferPointer, start: Int, end: Int) throws(HTTPParseError) {
        // RFC 9112 §5.2: obs-fold (a line starting with SP/HTAB) must be rejected by a server; §2.2 also forbids
        // whitespace between the start line and the first field.
        let first = bytes[start]
        if first == ASCII.sp || first == ASCII.htab {
            throw HTTPParseError(.obsoleteLineFolding, "RFC 9112 §5.2: obsolete line folding or leading whitespace")
        }
        var i = start
        while i < end, ASCII.isTchar(bytes[i]) { i += 1 }
        guard i < end, bytes[i] == ASCII.colon else {
            if i < end, bytes[i] == ASCII.sp || bytes[i] == ASCII.htab {
                // RFC 9112 §5.1: no whitespace between field name and colon; must be answered with 400.
                throw HTTPParseError(.malformedHeader, "RFC 9112 §5.1: whitespace between field name and colon")
            }
            throw HTTPParseError(.malformedHeader, "RFC 9110 §5.1: field name is not a token or the colon is missing")
        }
        guard i > start else { throw HTTPParseError(.malformedHeader, "RFC 9110 §5.1: empty field name") }
        nameStart = start
        nameEnd = i
        i += 1
        var valueEnd = end
        while i < valueEnd, bytes[i] == ASCII.sp || bytes[i] == ASCII.htab { i += 1 }  // OWS, RFC 9112 §5
        while valueEnd > i, bytes[valueEnd - 1] == ASCII.sp || bytes[valueEnd - 1] == ASCII.htab { valueEnd -= 1 }
        valueStart = i
        self.valueEnd = valueEnd
        // RFC 9110 §5.5: field-value = *field-content of VCHAR, obs-text, SP, HTAB; CR, LF and NUL never reach here
        // (the line scanner rejects them), other controls and DEL are rejected too.
        while i < valueEnd {
            guard ASCII.isFieldValueChar(bytes[i]) else {
                throw HTTPParseError(.malformedHeader, "RFC 9110 §5.5: control character in field value")
            }
            i += 1
        }
    }

    /// Whether the name equals `lowercase` ignoring ASCII case; `lowercase` must be lowercase ASCII.
    @inline(__always)
    func nameIs(_ lowercase: StaticString, in bytes: UnsafeRawBufferPointer) -> Bool {
        guard nameEnd - nameStart == lowercase.utf8CodeUnitCount else { return false }
        let expected = lowercase.utf8Start
        for k in 0..<(nameEnd - nameStart) where bytes[nameStart + k] | 0x20 != expected[k] { return false }
        return true
    }

    func name(_ bytes: UnsafeRawBufferPointer) -> String {
        String(decoding: UnsafeRawBufferPointer(rebasing: bytes[nameStart..<nameEnd]), as: UTF8.self)
    }

    /// The value; obs-text is decoded as UTF-8 with replacement characters.
    func value(_ bytes: UnsafeRawBufferPointer) -> String {
        String(decoding: UnsafeRawBufferPointer(rebasing: bytes[valueStart..<valueEnd]), as: UTF8.self)
    }
}

/// Framing-relevant fields collected while parsing a head.
struct FramingFields {
    var contentLengths: [String] = []
    var transferEncodings: [String] = []
    var connectionSeen = false

    /// Notes the field if it matters for framing or persistence; cheap for every other field (length check first).
    @inline(__always)
    mutating func note(_ field: FieldLine, _ bytes: UnsafeRawBufferPointer) {
        switch field.nameEnd - field.nameStart {
        case 14 where field.nameIs("content-length", in: bytes): contentLengths.append(field.value(bytes))
        case 17 where field.nameIs("transfer-encoding", in: bytes): transferEncodings.append(field.value(bytes))
        case 10 where field.nameIs("connection", in: bytes): connectionSeen = true
        default: break
        }
    }

    /// Validates Transfer-Encoding: we support only `chunked`, exactly once and last (RFC 9112 §6.1, §7).
    func checkChunked() throws(HTTPParseError) {
        var codings: [Substring] = []
        for value in transferEncodings {
            for element in value.split(separator: ",", omittingEmptySubsequences: false) {
                let coding = element.trimmingOWS()
                if !coding.isEmpty { codings.append(coding) }  // RFC 9110 §5.6.1: empty list elements are ignored
            }
        }
        guard !codings.isEmpty else {
            throw HTTPParseError(.malformedHeader, "RFC 9112 §6.1: empty Transfer-Encoding")
        }
        for coding in codings where !HTTPHeaders.equalNames(String(coding), "chunked") {
            // RFC 9112 §6.1: a server receiving a transfer coding it does not understand should answer 501.
            throw HTTPParseError(.unsupportedTransferEncoding, "RFC 9112 §6.1: unsupported transfer coding \"\(coding.prefix(40))\"")
        }
        if codings.count > 1 {
            // RFC 9112 §6.1: a sender must not apply chunked more than once.
            throw HTTPParseError(.conflictingFraming, "RFC 9112 §6.1: chunked applied more than once")
        }
    }

    /// Parses one Content-Length value: 1*DIGIT, no sign, no inner whitespace, no overflow (RFC 9110 §8.6).
    static func parseContentLength(_ value: Substring) throws(HTTPParseError) -> Int {
        guard !value.isEmpty else { throw HTTPParseError(.invalidContentLength, "RFC 9110 §8.6: empty Content-Length") }
        var n = 0
        for b in value.utf8 {
            guard ASCII.isDigit(b) else {
                throw HTTPParseError(.invalidContentLength, "RFC 9110 §8.6: Content-Length is not 1*DIGIT")
            }
            let (m, o1) = n.multipliedReportingOverflow(by: 10)
            let (s, o2) = m.addingReportingOverflow(Int(b &- 0x30))
            guard !o1, !o2 else { throw HTTPParseError(.invalidContentLength, "RFC 9110 §8.6: Content-Length overflows") }
            n = s
        }
        return n
    }
}

extension Substring {
    /// Without leading and trailing SP/HTAB (OWS, RFC 9110 §5.6.3).
    func trimmingOWS() -> Substring {
        var s = self[...]
        while let f = s.utf8.first, f == ASCII.sp || f == ASCII.htab { s = s.dropFirst() }
        while let l = s.utf8.last, l == ASCII.sp || l == ASCII.htab { s = s.dropLast() }
        return s
    }
}
