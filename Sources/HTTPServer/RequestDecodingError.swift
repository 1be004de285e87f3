/// Why a request's path, query, form, multipart or JSON content could not be decoded.
/// The application's error mapping renders it; `status` says which 4xx it is.
public struct RequestDecodingError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What went wrong; field names are the client's own, so render them escaped.
    public enum Code: Sendable, Equatable {
        case malformedForm
        case duplicateField(String)
        case unsupportedMediaType
        case malformedJSON
        case malformedMultipart
        case fieldTooLarge(String)
        case tooManyFields
        case invalidPathParameter
        case missingField(String)
    }

    /// What went wrong.
    public var code: Code
    /// A short explanation for logs and problem documents; never a copy of large input.
    public var detail: String

    /// An error with a code and an optional short detail.
    public init(_ code: Code, detail: String = "") {
        self.code = code
        self.detail = detail
    }

    /// 413 for content over a limit, 415 for an unaccepted media type, 400 otherwise.
    public var status: HTTPStatus {
        switch code {
        case .fieldTooLarge, .tooManyFields: .contentTooLarge
        case .unsupportedMediaType: .unsupportedMediaType
        default: .badRequest
        }
    }

    /// Errors are equal when their codes are; the detail is for people, not for matching.
    public static func == (a: RequestDecodingError, b: RequestDecodingError) -> Bool { a.code == b.code }

    /// The code and the detail, for logs.
    public var description: String { detail.isEmpty ? "\(code)" : "\(code): \(detail)" }

    /// A plain-text response with the status, for a default error mapping.
    public var defaultResponse: HTTPResponse { .text(status.reason + "\n", status: status) }

    /// The form was not valid application/x-www-form-urlencoded.
    public static let malformedForm = RequestDecodingError(.malformedForm)
    /// The body's media type is not one the handler accepts.
    public static let unsupportedMediaType = RequestDecodingError(.unsupportedMediaType)
    /// The multipart body was not valid multipart/form-data.
    public static let malformedMultipart = RequestDecodingError(.malformedMultipart)
    /// More fields or parts than the limit.
    public static let tooManyFields = RequestDecodingError(.tooManyFields)
    /// A path parameter was not valid percent-encoded UTF-8.
    public static let invalidPathParameter = RequestDecodingError(.invalidPathParameter)
    /// The body was not JSON, or not JSON of the expected shape.
    public static func malformedJSON(_ detail: String = "") -> RequestDecodingError { .init(.malformedJSON, detail: detail) }
    /// A field that must appear at most once appeared more often.
    public static func duplicateField(_ name: String) -> RequestDecodingError { .init(.duplicateField(name)) }
    /// A required field is absent.
    public static func missingField(_ name: String) -> RequestDecodingError { .init(.missingField(name)) }
    /// A field or file is larger than its limit.
    public static func fieldTooLarge(_ name: String) -> RequestDecodingError { .init(.fieldTooLarge(name)) }
}
