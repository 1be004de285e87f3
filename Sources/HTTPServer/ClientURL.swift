import Glibc

/// An absolute http or https URL split into what one request needs (RFC 3986, RFC 9110 §4.2).
///
/// Strict on purpose: only printable ASCII allowed in URIs, no userinfo (it would put credentials on the wire and
/// in logs), no percent-encoding in the host. The fragment is dropped; it is never sent (RFC 9110 §4.2.5).
public struct ClientURL: Sendable, Equatable, CustomStringConvertible {
    /// The two schemes the client speaks.
    public enum Scheme: String, Sendable {
        case http, https

        /// 80 or 443.
        public var defaultPort: Int { self == .http ? 80 : 443 }
    }

    /// http or https.
    public let scheme: Scheme
    /// A lowercased DNS name or IPv4 address, or an IPv6 address without its brackets.
    public let host: String
    /// The port, the scheme's default when the URL names none.
    public let port: Int
    /// Path and query as sent in the request line, never empty ("/" at least).
    public let target: String

    /// Parses an absolute URL such as `https://[::1]:8443/crl?x=1`.
    public init(_ string: String) throws(HTTPClientError) {
        guard !string.isEmpty else { throw HTTPClientError(.invalidURL, "empty URL") }
        try Self.checkCharacters(string)
        let url = Self.withoutFragment(string)
        guard let (schemeName, rest) = Self.splitScheme(url) else {
            throw HTTPClientError(.invalidURL, "not an absolute URL: \(Self.quoted(string))")
        }
        guard let scheme = Scheme(rawValue: schemeName.lowercased()) else {
            throw HTTPClientError(.unsupportedScheme, "only http and https are supported, not \(Self.quoted(String(schemeName)))")
        }
        guard rest.hasPrefix("//") else {
            throw HTTPClientError(.invalidURL, "no authority (//host) in \(Self.quoted(string))")
        }
        let afterSlashes = rest.dropFirst(2)
        let authorityEnd = afterSlashes.firstIndex { $0 == "/" || $0 == "?" } ?? afterSlashes.endIndex
        let (host, port) = try Self.parseAuthority(afterSlashes[..<authorityEnd], scheme: scheme)
        self.scheme = scheme
        self.host = host
        self.port = port
        let pathAndQuery = afterSlashes[authorityEnd...]
        target = pathAndQuery.first == "?" ? "/" + pathAndQuery : (pathAndQuery.isEmpty ? "/" : String(pathAndQuery))
    }

    /// The value of the Host header: the port only when it is not the scheme's default (RFC 9110 §7.2).
    public var hostHeader: String {
        let name = host.contains(":") ? "[\(host)]" : host
        return port == scheme.defaultPort ? name : "\(name):\(port)"
    }

    /// Scheme, host and port: redirects that change it must not carry credentials along.
    public var origin: String { "\(scheme.rawValue)://\(hostHeader)" }

    /// The URL as text, without fragment.
    public var description: String { origin + target }

    /// Resolves a reference such as a Location value against this URL (RFC 3986 §5.2).
    public func resolving(_ reference: String) throws(HTTPClientError) -> ClientURL {
        try Self.checkCharacters(reference)
        let ref = Self.withoutFragment(reference)
        if Self.splitScheme(ref) != nil { return try ClientURL(String(ref)) }
        if ref.hasPrefix("//") { return try ClientURL(scheme.rawValue + ":" + String(ref)) }
        let path = target.prefix { $0 != "?" }
        let resolved: String
        if ref.isEmpty {
            resolved = target
        } else if ref.hasPrefix("?") {
            resolved = String(path + ref)
        } else {
            let queryStart = ref.firstIndex(of: "?") ?? ref.endIndex
            let refPath = ref[..<queryStart]
            // A relative path replaces the last segment of the base path (RFC 3986 §5.2.3).
            let merged = refPath.hasPrefix("/") ? String(refPath) : String(path[...(path.lastIndex(of: "/") ?? path.startIndex)] + refPath)
            resolved = Self.removingDotSegments(merged) + ref[queryStart...]
        }
        return try ClientURL(origin + resolved)
    }

    /// RFC 3986 §5.2.4 for an absolute path: "." and ".." segments go, ".." never climbs above the root.
    static func removingDotSegments(_ path: String) -> String {
        let segments = path.split(separator: "/", omittingEmptySubsequences: false).dropFirst()
        var output: [Substring] = []
        for (index, segment) in zip(segments.indices, segments) {
            let isLast = index == segments.endIndex - 1
            switch segment {
            case ".":
                if isLast { output.append("") }
            case "..":
                if !output.isEmpty { output.removeLast() }
                if isLast { output.append("") }
            default:
                output.append(segment)
            }
        }
        return "/" + output.joined(separator: "/")
    }

    /// Only characters RFC 3986 allows in a URI: unreserved, reserved and "%" followed by two hex digits.
    /// No spaces, controls or non-ASCII, so nothing can break the request line or be read two ways.
    private static func checkCharacters(_ string: String) throws(HTTPClientError) {
        let bytes = Array(string.utf8)
        for (i, b) in bytes.enumerated() {
            guard b < 0x80, allowed[Int(b)] else {
                throw HTTPClientError(.invalidURL, "character \(b < 0x20 || b >= 0x7F ? "0x" + String(b, radix: 16) : "'\(Character(Unicode.Scalar(b)))'") "
                    + "not allowed in a URL: \(quoted(string))")
            }
            if b == UInt8(ascii: "%") {
                guard i + 2 < bytes.count, ASCII.hexValue(bytes[i + 1]) != nil, ASCII.hexValue(bytes[i + 2]) != nil else {
                    throw HTTPClientError(.invalidURL, "'%' not followed by two hex digits in \(quoted(string))")
                }
            }
        }
    }

    private static let allowed: [Bool] = (0..<128).map { b in
        let c = UInt8(b)
        return (c >= 0x30 && c <= 0x39) || (c | 0x20 >= 0x61 && c | 0x20 <= 0x7A) || "-._~:/?#[]@!$&'()*+,;=%".utf8.contains(c)
    }

    private static func withoutFragment(_ string: String) -> Substring {
        string[..<(string.firstIndex(of: "#") ?? string.endIndex)]
    }

    /// scheme ":" rest, where scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) (RFC 3986 §3.1); nil if none.
    private static func splitScheme(_ url: Substring) -> (Substring, Substring)? {
        guard let colon = url.firstIndex(of: ":"), colon != url.startIndex else { return nil }
        let name = url[..<colon]
        guard name.first!.isASCII, name.first!.isLetter,
              name.utf8.allSatisfy({ ASCII.isDigit($0) || ($0 | 0x20 >= 0x61 && $0 | 0x20 <= 0x7A) || $0 == 0x2B || $0 == 0x2D || $0 == 0x2E })
        else { return nil }
        return (name, url[url.index(after: colon)...])
    }

    private static func parseAuthority(_ authority: Substring, scheme: Scheme) throws(HTTPClientError) -> (String, Int) {
        guard !authority.contains("@") else {
            throw HTTPClientError(.invalidURL, "user information in URLs is not supported")
        }
        let host: String
        let portText: Substring?
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else {
                throw HTTPClientError(.invalidURL, "unterminated IPv6 address in \(quoted(String(authority)))")
            }
            host = String(authority[authority.index(after: authority.startIndex)..<close]).lowercased()
            var address = in6_addr()
            guard inet_pton(AF_INET6, host, &address) == 1 else {
                throw HTTPClientError(.invalidURL, "bad IPv6 address \(quoted(host))")
            }
            let after = authority[authority.index(after: close)...]
            guard after.isEmpty || after.first == ":" else {
                throw HTTPClientError(.invalidURL, "unexpected text after the IPv6 address in \(quoted(String(authority)))")
            }
            portText = after.isEmpty ? nil : after.dropFirst()
        } else {
            let colon = authority.firstIndex(of: ":")
            host = String(authority[..<(colon ?? authority.endIndex)]).lowercased()
            portText = colon.map { authority[authority.index(after: $0)...] }
            // DNS names and IPv4 addresses only: letters, digits, "-", "." and "_" (seen in some internal names).
            guard !host.isEmpty, host.utf8.allSatisfy({ ASCII.isDigit($0) || ($0 >= 0x61 && $0 <= 0x7A) || $0 == 0x2D || $0 == 0x2E || $0 == 0x5F })
            else { throw HTTPClientError(.invalidURL, "bad host \(quoted(host))") }
        }
        // RFC 3986 §3.2.3: an empty port means the default.
        guard let portText, !portText.isEmpty else { return (host, scheme.defaultPort) }
        guard portText.count <= 5, portText.utf8.allSatisfy(ASCII.isDigit), let port = Int(portText), (1...65535).contains(port) else {
            throw HTTPClientError(.invalidURL, "bad port \(quoted(String(portText)))")
        }
        return (host, port)
    }

    /// For error details: bounded and printable, so a hostile URL can neither flood nor forge log lines.
    static func quoted(_ text: String) -> String {
        let printable = String(decoding: text.utf8.prefix(200).map { $0 >= 0x20 && $0 < 0x7F ? $0 : UInt8(ascii: "?") }, as: UTF8.self)
        return text.utf8.count > 200 ? "\"\(printable)…\"" : "\"\(printable)\""
    }
}
