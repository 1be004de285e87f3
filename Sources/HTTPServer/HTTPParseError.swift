/// Why an HTTP/1.1 message could not be parsed, with the status the server answers before closing the connection.
public struct HTTPParseError: Error, Equatable, Sendable, CustomStringConvertible {
    /// What went wrong; tests and callers match on this, the detail is for logs.
    public enum Code: Sendable, Equatable {
        case requestLineTooLong, headersTooLarge, tooManyHeaders, bodyTooLarge
        case malformedRequestLine, invalidMethod, invalidTarget, unsupportedVersion, malformedHeader, obsoleteLineFolding
        /// A bare LF or a bare CR: lines must end with CRLF.
        case bareLineFeed
        case nulByte, missingHost, duplicateHost
        /// Framing that cannot be trusted: Content-Length with Transfer-Encoding, Transfer-Encoding in HTTP/1.0, chunked twice.
        case conflictingFraming
        case invalidContentLength, duplicateContentLength, unsupportedTransferEncoding, invalidChunk, malformedStatusLine
        case truncatedBody
    }

    public let code: Code
    /// Human-readable reason citing the RFC section, e.g. "RFC 9112 §6.3: both Content-Length and Transfer-Encoding".
    public let detail: String

    /// Makes an error from its code and detail.
    public init(_ code: Code, _ detail: String) {
        self.code = code
        self.detail = detail
    }

    /// The status to answer with. Junk versions are reported as `.malformedRequestLine` (400), so a well-formed
    /// `HTTP/x.y` other than 1.0 and 1.1 is the only source of `.unsupportedVersion` (505).
    public var status: HTTPStatus {
        switch code {
        case .requestLineTooLong: .uriTooLong
        case .headersTooLarge, .tooManyHeaders: .requestHeaderFieldsTooLarge
        case .bodyTooLarge: .contentTooLarge
        case .unsupportedTransferEncoding: .notImplemented  // RFC 9112 §6.1
        case .unsupportedVersion: .httpVersionNotSupported  // RFC 9110 §15.6.6
        default: .badRequest
        }
    }

    public var description: String { "\(status.code) \(code): \(detail)" }

    /// Errors compare by code only, so tests need not repeat the detail text.
    public static func == (lhs: HTTPParseError, rhs: HTTPParseError) -> Bool { lhs.code == rhs.code }
}
