/// The bounds a `multipart/form-data` body must keep; each breach names the field.
public struct MultipartLimits: Sendable {
    /// Most parts (text fields and files together).
    public var maxParts = 100
    /// Largest text field.
    public var maxFieldBytes = 64 * 1024
    /// Largest file.
    public var maxFileBytes = 1024 * 1024
    /// Largest header section of one part.
    public var maxPartHeaderBytes = 4 * 1024

    /// The default limits.
    public init() {}

    /// Limits given explicitly.
    public init(maxParts: Int = 100, maxFieldBytes: Int = 64 * 1024, maxFileBytes: Int = 1024 * 1024,
                maxPartHeaderBytes: Int = 4 * 1024) {
        self.maxParts = maxParts
        self.maxFieldBytes = maxFieldBytes
        self.maxFileBytes = maxFileBytes
        self.maxPartHeaderBytes = maxPartHeaderBytes
    }
}

/// A file from a `multipart/form-data` body: bytes, never assumed to be text.
public struct MultipartFile: Sendable, Equatable {
    /// The form field's name.
    public var fieldName: String
    /// The file name the client sent (untrusted, possibly empty); never use it as a path.
    public var filename: String
    /// The part's Content-Type, if it had one.
    public var contentType: String?
    /// The file's content.
    public var bytes: [UInt8]

    /// A file.
    public init(fieldName: String, filename: String, contentType: String?, bytes: [UInt8]) {
        self.fieldName = fieldName
        self.filename = filename
        self.contentType = contentType
        self.bytes = bytes
    }
}

/// A parsed `multipart/form-data` body (RFC 7578): text fields in order, and files.
public struct MultipartForm: Sendable {
    /// Parts without a `filename`, as UTF-8 text.
    public var fields: FormFields
    /// Parts with a `filename`.
    public var files: [MultipartFile]

    /// A form from its fields and files.
    public init(fields: FormFields = FormFields(), files: [MultipartFile] = []) {
        self.fields = fields
        self.files = files
    }

    /// The files sent under a field name, in order.
    public func files(_ fieldName: String) -> [MultipartFile] {
        files.filter { $0.fieldName == fieldName }
    }

    /// Parses a body with the boundary from its Content-Type (see `boundary(fromContentType:)`).
    public init(parsing body: [UInt8], boundary: String, limits: MultipartLimits = MultipartLimits()) throws(RequestDecodingError) {
        guard MultipartForm.isValidBoundary(boundary) else { throw MultipartForm.malformed("invalid boundary") }
        var parser = MultipartParser(body: body, boundary: Array(boundary.utf8), limits: limits)
        self = try parser.parse()
    }

    /// The boundary parameter of a `multipart/form-data` Content-Type; throws `.unsupportedMediaType` for another
    /// media type and `.malformedMultipart` for a missing or invalid boundary.
    public static func boundary(fromContentType contentType: String?) throws(RequestDecodingError) -> String {
        guard let contentType, let media = MediaType(contentType), media.is("multipart", "form-data") else {
            throw RequestDecodingError.unsupportedMediaType
        }
        guard let boundary = media.parameter("boundary"), isValidBoundary(boundary) else {
            throw malformed("missing or invalid boundary")
        }
        return boundary
    }

    /// RFC 2046 §5.1.1: 1–70 bchars, not ending in a space.
    static func isValidBoundary(_ boundary: String) -> Bool {
        let bytes = Array(boundary.utf8)
        guard (1...70).contains(bytes.count), bytes.last != UInt8(ascii: " ") else { return false }
        return bytes.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                 UInt8(ascii: "A")...UInt8(ascii: "Z"):
                true
            default:
                Array("'()+_,-./:=? ".utf8).contains(byte)
            }
        }
    }

    static func malformed(_ detail: String) -> RequestDecodingError {
        RequestDecodingError(.malformedMultipart, detail: detail)
    }
}

/// One pass over a multipart body. Each delimiter is found by a scan that never revisits a byte more than
/// the delimiter's length (at most 76), so the whole parse is linear in the body's size.
private struct MultipartParser {
    let body: [UInt8]
    /// `--boundary`
    let dashBoundary: [UInt8]
    let limits: MultipartLimits
    var position = 0

    private static let cr = UInt8(ascii: "\r"), lf = UInt8(ascii: "\n"), dash = UInt8(ascii: "-")

    init(body: [UInt8], boundary: [UInt8], limits: MultipartLimits) {
        self.body = body
        self.dashBoundary = Array("--".utf8) + boundary
        self.limits = limits
    }

    mutating func parse() throws(RequestDecodingError) -> MultipartForm {
        var form = MultipartForm()
        // RFC 2046 §5.1.1: an optional preamble, then the first dash-boundary at a line start.
        if startsWith(dashBoundary, at: 0) {
            position = dashBoundary.count
        } else if let found = find(delimiter: Array("\r\n".utf8) + dashBoundary, from: 0) {
            position = found + 2 + dashBoundary.count
        } else {
            throw MultipartForm.malformed("no boundary delimiter")
        }
        var partCount = 0
        while true {
            // After a delimiter: "--" closes the body; otherwise optional padding, then CRLF and a part.
            if startsWith([Self.dash, Self.dash], at: position) { return form }
            skipTransportPadding()
            guard startsWith([Self.cr, Self.lf], at: position) else {
                throw MultipartForm.malformed("delimiter not followed by CRLF")
            }
            position += 2
            partCount += 1
            guard partCount <= limits.maxParts else {
                throw RequestDecodingError(.tooManyFields, detail: "more than \(limits.maxParts) parts")
            }
            let headers = try readPartHeaders()
            guard let next = find(delimiter: Array("\r\n".utf8) + dashBoundary, from: position) else {
                throw MultipartForm.malformed("missing final delimiter")
            }
            let content = body[position..<next]
            position = next + 2 + dashBoundary.count
            try add(content, headers: headers, to: &form)
        }
    }

    /// RFC 7578 §4.2: each part has `Content-Disposition: form-data; name="…"`, a `filename` for files.
    private func add(_ content: ArraySlice<UInt8>, headers: PartHeaders, to form: inout MultipartForm) throws(RequestDecodingError) {
        let name = headers.name
        if let filename = headers.filename {
            guard content.count <= limits.maxFileBytes else { throw RequestDecodingError.fieldTooLarge(name) }
            form.files.append(MultipartFile(fieldName: name, filename: filename, contentType: headers.contentType,
                                            bytes: Array(content)))
        } else {
            guard content.count <= limits.maxFieldBytes else { throw RequestDecodingError.fieldTooLarge(name) }
            // RFC 7578 §5.1: text is UTF-8 unless said otherwise; this service accepts nothing else.
            guard let value = String(validating: content, as: UTF8.self) else {
                throw MultipartForm.malformed("field \(name) is not UTF-8")
            }
            form.fields.append(name: name, value: value)
        }
    }

    struct PartHeaders {
        var name: String
        var filename: String?
        var contentType: String?
    }

    /// Reads header lines, each ending in CRLF, up to the empty line; bounded by `maxPartHeaderBytes`.
    private mutating func readPartHeaders() throws(RequestDecodingError) -> PartHeaders {
        let start = position
        let limit = min(body.count, start + limits.maxPartHeaderBytes)
        var lines: [String] = []
        var lineStart = start
        var i = start
        while true {
            guard i < limit else {
                throw MultipartForm.malformed(limit == body.count ? "part headers not terminated"
                                                                  : "part headers over \(limits.maxPartHeaderBytes) bytes")
            }
            let byte = body[i]
            if byte == Self.lf { throw MultipartForm.malformed("header line without CRLF") }
            if byte == Self.cr {
                guard i + 1 < body.count, body[i + 1] == Self.lf else { throw MultipartForm.malformed("header line without CRLF") }
                if i == lineStart {
                    position = i + 2
                    break
                }
                guard let line = String(validating: body[lineStart..<i], as: UTF8.self) else {
                    throw MultipartForm.malformed("part header is not UTF-8")
                }
                lines.append(line)
                i += 2
                lineStart = i
                continue
            }
            i += 1
        }

        var disposition: String?
        var contentType: String?
        for line in lines {
            guard let colon = line.firstIndex(of: ":"), colon != line.startIndex,
                  !line[..<colon].contains(where: { $0 == " " || $0 == "\t" }) else {
                // Obsolete line folding (RFC 9112 §5.2) and junk lines alike.
                throw MultipartForm.malformed("invalid part header line")
            }
            let name = line[..<colon]
            let value = line[line.index(after: colon)...].trimmingSpaces
            if HTTPHeaders.equalNames(String(name), "Content-Disposition") {
                // Two dispositions could name two fields; refuse the ambiguity.
                guard disposition == nil else { throw MultipartForm.malformed("repeated Content-Disposition") }
                disposition = String(value)
            } else if HTTPHeaders.equalNames(String(name), "Content-Type") {
                contentType = String(value)
            }
        }
        guard let disposition else { throw MultipartForm.malformed("part without Content-Disposition") }
        let parsed = ContentDisposition(disposition)
        guard parsed.type.lowercased() == "form-data", let name = parsed.parameter("name") else {
            throw MultipartForm.malformed("part without form-data name")
        }
        return PartHeaders(name: name, filename: parsed.parameter("filename"), contentType: contentType)
    }

    private mutating func skipTransportPadding() {
        while position < body.count, body[position] == UInt8(ascii: " ") || body[position] == UInt8(ascii: "\t") {
            position += 1
        }
    }

    private func startsWith(_ prefix: [UInt8], at index: Int) -> Bool {
        guard index + prefix.count <= body.count else { return false }
        for (offset, byte) in prefix.enumerated() where body[index + offset] != byte { return false }
        return true
    }

    /// The index of the first occurrence of `delimiter` at or after `from`.
    private func find(delimiter: [UInt8], from: Int) -> Int? {
        let count = delimiter.count
        guard count > 0, body.count - from >= count else { return nil }
        let first = delimiter[0]
        return body.withUnsafeBufferPointer { buffer -> Int? in
            var i = from
            let last = buffer.count - count
            while i <= last {
                if buffer[i] == first {
                    var j = 1
                    while j < count && buffer[i + j] == delimiter[j] { j += 1 }
                    if j == count { return i }
                }
                i += 1
            }
            return nil
        }
    }
}

/// A `Content-Disposition` value: a type and parameters (RFC 6266 §4.1, as browsers send it for RFC 7578).
private struct ContentDisposition {
    var type: String
    var parameters: [(name: String, value: String)] = []

    /// Browsers escape `"` in names as `%22` (HTML §4.10.21.8) rather than with backslashes, so a quoted
    /// value ends at the next `"` and a backslash is an ordinary character (Windows file names keep theirs).
    init(_ text: String) {
        var rest = Substring(text)
        let end = rest.firstIndex(of: ";") ?? rest.endIndex
        type = String(rest[..<end].trimmingSpaces)
        rest = rest[end...]
        while rest.first == ";" {
            rest = rest.dropFirst().drop { $0 == " " || $0 == "\t" }
            guard let equals = rest.firstIndex(where: { $0 == "=" || $0 == ";" }), rest[equals] == "=" else {
                // A parameter without a value: skip it.
                rest = rest.drop { $0 != ";" }
                continue
            }
            let name = rest[..<equals].trimmingSpaces.lowercased()
            rest = rest[rest.index(after: equals)...].drop { $0 == " " || $0 == "\t" }
            var value: Substring
            if rest.first == "\"" {
                let body = rest.dropFirst()
                let close = body.firstIndex(of: "\"") ?? body.endIndex
                value = body[..<close]
                rest = close == body.endIndex ? body[close...] : body[body.index(after: close)...]
                rest = rest.drop { $0 != ";" }
            } else {
                let end = rest.firstIndex(of: ";") ?? rest.endIndex
                value = rest[..<end].trimmingSpaces
                rest = rest[end...]
            }
            parameters.append((name, String(value)))
        }
    }

    /// The first value of a parameter (names are case-insensitive).
    func parameter(_ name: String) -> String? {
        parameters.first { $0.name == name }?.value
    }
}

fileprivate extension Substring {
    /// Without leading and trailing spaces and tabs.
    var trimmingSpaces: Substring {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        guard let start = firstIndex(where: { !isSpace($0) }), let end = lastIndex(where: { !isSpace($0) }) else {
            return self[endIndex...]
        }
        return self[start...end]
    }
}
