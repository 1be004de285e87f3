import Foundation
import Support

extension HTTPRequest {
    /// The query string's fields; empty when there is no query. Throws like `FormFields(urlEncoded:)`.
    public func queryFields(maxFields: Int = FormFields.defaultMaxFields) throws(RequestDecodingError) -> FormFields {
        guard let query = head.query else { return FormFields() }
        return try FormFields(urlEncoded: query, maxFields: maxFields)
    }

    /// The body's fields; Content-Type must be `application/x-www-form-urlencoded` (UTF-8), else `.unsupportedMediaType`.
    public func formFields(maxFields: Int = FormFields.defaultMaxFields) throws(RequestDecodingError) -> FormFields {
        guard let media = headers["Content-Type"].flatMap(MediaType.init),
              media.is("application", "x-www-form-urlencoded"), media.charsetIsUTF8 else {
            throw RequestDecodingError.unsupportedMediaType
        }
        return try FormFields(urlEncoded: body, maxFields: maxFields)
    }

    /// The body as `multipart/form-data` (RFC 7578), within the limits.
    public func multipartForm(limits: MultipartLimits = MultipartLimits()) throws(RequestDecodingError) -> MultipartForm {
        let boundary = try MultipartForm.boundary(fromContentType: headers["Content-Type"])
        return try MultipartForm(parsing: body, boundary: boundary, limits: limits)
    }

    /// The cookies of every `Cookie` field, in order.
    public func cookies() -> Cookies {
        Cookies(headerValues: headers.values("Cookie"))
    }

    /// Decodes a JSON body; Content-Type must be `application/json` or `application/*+json` (RFC 6839 §3.1).
    /// Decoding failures become `.malformedJSON` with a short detail naming the path, never the input;
    /// errors a type's own `init(from:)` throws pass through unchanged.
    public func decodeJSON<T: Decodable>(_ type: T.Type, decoder: JSONDecoder = JSONDecoder()) throws -> T {
        guard let media = headers["Content-Type"].flatMap(MediaType.init), media.type == "application",
              media.subtype == "json" || media.subtype.hasSuffix("+json"), media.charsetIsUTF8 else {
            throw RequestDecodingError.unsupportedMediaType
        }
        guard !body.isEmpty else { throw RequestDecodingError.malformedJSON("empty body") }
        do {
            return try decoder.decode(type, from: Data(body))
        } catch let error as DecodingError {
            throw RequestDecodingError.malformedJSON(HTTPRequest.describe(error))
        }
    }

    /// A short account of a decoding error. Coding paths can hold keys from the input, so they are cut short.
    private static func describe(_ error: DecodingError) -> String {
        func path(_ keys: [any CodingKey]) -> String {
            let text = keys.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
            return text.isEmpty ? "the top level" : (text.count > 100 ? String(text.prefix(100)) + "…" : text)
        }
        switch error {
        case .keyNotFound(let key, let context): return "missing \(path(context.codingPath + [key]))"
        case .valueNotFound(_, let context): return "missing value at \(path(context.codingPath))"
        case .typeMismatch(_, let context): return "wrong type at \(path(context.codingPath))"
        case .dataCorrupted(let context):
            return context.codingPath.isEmpty ? "not valid JSON" : "invalid value at \(path(context.codingPath))"
        @unknown default: return "not valid JSON"
        }
    }
}

/// A parsed Content-Type value (RFC 9110 §8.3.1): type and subtype lowercased, parameters with lowercased names.
struct MediaType {
    var type: String
    var subtype: String
    var parameters: [(name: String, value: String)]

    /// nil when the value is not `type/subtype` followed by parameters.
    init?(_ text: String) {
        // Split on bytes: splitting a String by Character was a tenth of a form request's time.
        let pieces = text.utf8.split(separator: UInt8(ascii: ";"), omittingEmptySubsequences: false).map { Substring($0) }
        let essence = pieces[0].trimmingSpacesAndTabs().lowercased()
        let parts = essence.utf8.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false).map { Substring($0) }
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else { return nil }
        type = String(parts[0])
        subtype = String(parts[1])
        parameters = []
        for piece in pieces.dropFirst() {
            let trimmed = piece.trimmingSpacesAndTabs()
            if trimmed.isEmpty { continue }
            guard let equals = trimmed.firstIndex(of: "=") else { return nil }
            let name = trimmed[..<equals].trimmingSpacesAndTabs().lowercased()
            var value = String(trimmed[trimmed.index(after: equals)...].trimmingSpacesAndTabs())
            // A quoted-string value (RFC 9110 §5.6.4); boundaries and charsets never need escapes inside.
            if value.count >= 2, value.hasPrefix("\""), value.hasSuffix("\"") {
                value = String(value.dropFirst().dropLast())
                value = value.replacingOccurrences(of: "\\\"", with: "\"").replacingOccurrences(of: "\\\\", with: "\\")
            }
            parameters.append((name, value))
        }
    }

    /// Whether the type and subtype are these (compared ignoring case).
    func `is`(_ type: String, _ subtype: String) -> Bool {
        self.type == type && self.subtype == subtype
    }

    /// The first value of a parameter (name given in lowercase).
    func parameter(_ name: String) -> String? {
        parameters.first { $0.name == name }?.value
    }

    /// True when there is no charset parameter or it says UTF-8: the only encoding accepted here.
    var charsetIsUTF8: Bool {
        guard let charset = parameter("charset")?.lowercased() else { return true }
        return charset == "utf-8" || charset == "utf8"
    }
}
