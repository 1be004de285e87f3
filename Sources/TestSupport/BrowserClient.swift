import Foundation

/// A tiny browser for end-to-end tests of the HTML pages: keeps cookies, posts forms, follows no redirects.
///
/// Each request goes on a new connection with `Connection: close`, so one test never depends on another's
/// keep-alive state. Cookie attributes other than deletion (`Max-Age=0`) are ignored: the tests check them
/// on the raw `Set-Cookie` values instead.
public final class BrowserClient {
    public let port: Int
    /// Cookie name → value, as a browser would send them back.
    public private(set) var cookies: [String: String] = [:]
    /// Sent with every request; tests may change it.
    public var userAgent = "BrowserClient/1.0"
    /// Sent with every request when set.
    public var acceptLanguage: String?

    /// A browser for the service on `port` (127.0.0.1).
    public init(port: Int) {
        self.port = port
    }

    /// GET `target` (path and query).
    public func get(_ target: String, headers: [(String, String)] = []) throws -> RawResponse {
        try send("GET", target, headers: headers, body: nil)
    }

    /// OPTIONS `target` (a CORS preflight, say).
    public func options(_ target: String, headers: [(String, String)] = []) throws -> RawResponse {
        try send("OPTIONS", target, headers: headers, body: nil)
    }

    /// POST `fields` as `application/x-www-form-urlencoded`, in the order given.
    public func post(_ target: String, _ fields: [(String, String)], headers: [(String, String)] = []) throws -> RawResponse {
        try send("POST", target, headers: headers, body: Self.urlEncoded(fields))
    }

    /// POST `multipart/form-data` (RFC 7578): text `fields`, then `files` as (field name, file name, bytes).
    public func postMultipart(_ target: String, fields: [(String, String)], files: [(name: String, filename: String, bytes: [UInt8])],
                              headers: [(String, String)] = []) throws -> RawResponse {
        let boundary = "----BrowserClientBoundary" + UUID().uuidString.replacingOccurrences(of: "-", with: "")
        var body: [UInt8] = []
        for (name, value) in fields {
            body += Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n".utf8)
        }
        for file in files {
            body += Array(("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(file.name)\"; filename=\"\(file.filename)\"\r\n"
                           + "Content-Type: application/octet-stream\r\n\r\n").utf8)
            body += file.bytes + Array("\r\n".utf8)
        }
        body += Array("--\(boundary)--\r\n".utf8)
        return try send("POST", target, headers: headers, body: body, contentType: "multipart/form-data; boundary=\(boundary)")
    }

    /// Sets or deletes (nil) a cookie by hand, as an attacker's page or a tampered browser might.
    public func setCookie(_ name: String, _ value: String?) {
        cookies[name] = value
    }

    /// The value of the hidden `csrf` field in a page, if there is one.
    public static func csrfField(in html: String) -> String? {
        hiddenValue("csrf", in: html)
    }

    /// The value of the first input named `name` in a page.
    public static func hiddenValue(_ name: String, in html: String) -> String? {
        guard let range = html.range(of: "name=\"\(name)\" value=\"") else { return nil }
        let rest = html[range.upperBound...]
        guard let end = rest.firstIndex(of: "\"") else { return nil }
        return String(rest[..<end])
    }

    /// `a=1&b=2`, percent-encoding everything but unreserved characters (RFC 3986 §2.3).
    public static func urlEncoded(_ fields: [(String, String)]) -> String {
        var allowed = CharacterSet.alphanumerics.intersection(CharacterSet(charactersIn: Unicode.Scalar(0)..<Unicode.Scalar(128)))
        allowed.insert(charactersIn: "-._~")
        func encode(_ text: String) -> String { text.addingPercentEncoding(withAllowedCharacters: allowed) ?? "" }
        return fields.map { encode($0.0) + "=" + encode($0.1) }.joined(separator: "&")
    }

    private func send(_ method: String, _ target: String, headers: [(String, String)], body: String?) throws -> RawResponse {
        try send(method, target, headers: headers, body: body.map { Array($0.utf8) }, contentType: "application/x-www-form-urlencoded")
    }

    private func send(_ method: String, _ target: String, headers: [(String, String)], body: [UInt8]?, contentType: String) throws
        -> RawResponse {
        var head = "\(method) \(target) HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\nUser-Agent: \(userAgent)\r\n"
        if let acceptLanguage { head += "Accept-Language: \(acceptLanguage)\r\n" }
        if !cookies.isEmpty {
            head += "Cookie: " + cookies.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: "; ") + "\r\n"
        }
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        let bytes = body ?? []
        if body != nil {
            head += "Content-Type: \(contentType)\r\nContent-Length: \(bytes.count)\r\n"
        }
        let client = try RawClient(port: port, timeout: 10)
        try client.send(Array((head + "\r\n").utf8) + bytes)
        let response = try client.readResponse()
        for (name, value) in response.headers where name.lowercased() == "set-cookie" { store(value) }
        return response
    }

    private func store(_ setCookie: String) {
        let parts = setCookie.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
        guard let pair = parts.first, let equals = pair.firstIndex(of: "=") else { return }
        let name = String(pair[..<equals])
        let value = String(pair[pair.index(after: equals)...])
        if parts.contains(where: { $0.lowercased() == "max-age=0" }) {
            cookies[name] = nil
        } else {
            cookies[name] = value
        }
    }
}
