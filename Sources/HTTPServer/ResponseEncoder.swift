/// Writes a response head and body in HTTP/1.1 wire format. The server owns the framing headers:
/// `Date`, `Connection`, `Content-Length` and `X-Request-Id` are always its own, whatever the handler set.
enum ResponseEncoder {
    static func encode(_ response: HTTPResponse, requestID: String, date: [UInt8], keepAlive: Bool, omitBody: Bool,
                       into out: inout [UInt8]) {
        out.append(contentsOf: statusLine(response.status))
        out.append(contentsOf: dateKey); out.append(contentsOf: date); out.append(contentsOf: crlf)
        if !response.status.forbidsBody {
            // RFC 9110 §8.6: a HEAD response may carry the length the GET would have had.
            out.append(contentsOf: contentLengthKey)
            out.append(contentsOf: String(response.body.count).utf8)
            out.append(contentsOf: crlf)
        }
        out.append(contentsOf: keepAlive ? connectionKeepAlive : connectionClose)
        if !requestID.isEmpty {
            out.append(contentsOf: requestIDKey); out.append(contentsOf: requestID.utf8); out.append(contentsOf: crlf)
        }
        for field in response.headers where !isServerOwned(field.name) {
            // Handlers are ours, but a CR or LF in a value would split the response (RFC 9110 §5.5): drop such fields.
            guard !field.value.utf8.contains(where: { $0 == 0x0D || $0 == 0x0A || $0 == 0 }),
                  !field.name.utf8.contains(where: { $0 <= 0x20 || $0 == UInt8(ascii: ":") }) else { continue }
            out.append(contentsOf: field.name.utf8)
            out.append(contentsOf: colonSpace)
            out.append(contentsOf: field.value.utf8)
            out.append(contentsOf: crlf)
        }
        out.append(contentsOf: crlf)
        if !omitBody && !response.status.forbidsBody {
            out.append(contentsOf: response.body)
        }
    }

    /// The interim `100 Continue` response (RFC 9110 §10.1.1).
    static let continueResponse = Array("HTTP/1.1 100 Continue\r\n\r\n".utf8)

    private static func isServerOwned(_ name: String) -> Bool {
        HTTPHeaders.equalNames(name, "Content-Length") || HTTPHeaders.equalNames(name, "Connection")
            || HTTPHeaders.equalNames(name, "Date") || HTTPHeaders.equalNames(name, "Transfer-Encoding")
            || HTTPHeaders.equalNames(name, "X-Request-Id")
    }

    private static let commonStatusLines: [Int: [UInt8]] = {
        var lines: [Int: [UInt8]] = [:]
        for code in [200, 201, 204, 302, 303, 304, 400, 401, 403, 404, 405, 408, 413, 414, 431, 500, 503] {
            let status = HTTPStatus(code: code)
            lines[code] = Array("HTTP/1.1 \(status.code) \(status.reason)\r\n".utf8)
        }
        return lines
    }()

    private static func statusLine(_ status: HTTPStatus) -> [UInt8] {
        if let line = commonStatusLines[status.code], HTTPStatus(code: status.code).reason == status.reason { return line }
        return Array("HTTP/1.1 \(status.code) \(status.reason)\r\n".utf8)
    }

    private static let crlf: [UInt8] = [0x0D, 0x0A]
    private static let colonSpace = Array(": ".utf8)
    private static let dateKey = Array("Date: ".utf8)
    private static let contentLengthKey = Array("Content-Length: ".utf8)
    private static let connectionKeepAlive = Array("Connection: keep-alive\r\n".utf8)
    private static let connectionClose = Array("Connection: close\r\n".utf8)
    private static let requestIDKey = Array("X-Request-Id: ".utf8)
}
