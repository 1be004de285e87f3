import Foundation
import Support

/// The cookies of a request's `Cookie` header(s), in the order sent. Browsers send the same name more than once
/// when cookies differ in path or domain, longest path first (RFC 6265 §5.4), so all are kept.
public struct Cookies: Sendable, Equatable, Sequence {
    /// One cookie as the client sent it.
    public struct Cookie: Sendable, Hashable {
        /// The cookie's name.
        public var name: String
        /// The cookie's value, without surrounding quotes, otherwise as sent.
        public var value: String

        /// A cookie pair.
        public init(name: String, value: String) {
            self.name = name
            self.value = value
        }
    }

    /// The pairs in order.
    public private(set) var pairs: [Cookie]

    /// Cookies from pairs.
    public init(_ pairs: [Cookie] = []) { self.pairs = pairs }

    /// Parses `Cookie` field values leniently: pairs without `=` or with an empty name are skipped, one pair of
    /// surrounding double quotes is removed from a value (RFC 6265 §4.1.1), and values are not decoded further.
    public init(headerValues: [String]) {
        pairs = []
        for header in headerValues {
            // RFC 6265 §4.2.1 says "; " separates pairs; browsers and proxies are not always so tidy.
            for piece in header.split(separator: ";", omittingEmptySubsequences: true) {
                guard let equals = piece.firstIndex(of: "=") else { continue }
                let name = piece[..<equals].trimmingSpaces
                var value = piece[piece.index(after: equals)...].trimmingSpaces
                guard !name.isEmpty else { continue }
                if value.count >= 2, value.first == "\"", value.last == "\"" {
                    value = value.dropFirst().dropLast()
                }
                pairs.append(Cookie(name: String(name), value: String(value)))
            }
        }
    }

    /// How many pairs.
    public var count: Int { pairs.count }
    /// Whether there are no pairs.
    public var isEmpty: Bool { pairs.isEmpty }

    /// Iterates over the pairs in order.
    public func makeIterator() -> IndexingIterator<[Cookie]> { pairs.makeIterator() }

    /// The first value sent for a name (the most specific path), or nil.
    public func first(_ name: String) -> String? {
        pairs.first { $0.name == name }?.value
    }

    /// Every value sent for a name, in order.
    public func values(_ name: String) -> [String] {
        pairs.filter { $0.name == name }.map(\.value)
    }
}

/// A `Set-Cookie` header (RFC 6265 §4.1). Invalid names, values or attribute combinations are programmer errors.
public struct SetCookie: Sendable, Equatable {
    /// The SameSite attribute (RFC 6265bis §4.1.2.7).
    public enum SameSite: String, Sendable {
        case strict = "Strict"
        case lax = "Lax"
        case none = "None"
    }

    /// The cookie's name: a token.
    public let name: String
    /// The cookie's value: cookie-octets only, optionally in double quotes.
    public let value: String
    /// The Path attribute; nil leaves it out.
    public let path: String?
    /// The Domain attribute; nil makes a host-only cookie, the safer default.
    public let domain: String?
    /// Max-Age in seconds; zero or less expires the cookie at once.
    public let maxAge: Int?
    /// Expires, for clients that ignore Max-Age.
    public let expires: Date?
    /// Whether the cookie is only sent over TLS.
    public let secure: Bool
    /// Whether scripts are kept away from the cookie.
    public let httpOnly: Bool
    /// When the cookie goes along with cross-site requests.
    public let sameSite: SameSite

    /// A cookie; stops the process on an invalid name or value, on SameSite=None without Secure (RFC 6265bis
    /// §4.1.2.7), and on `__Secure-`/`__Host-` names whose attributes break their prefix's rules (§4.1.3).
    public init(name: String, value: String, path: String? = "/", domain: String? = nil, maxAge: Int? = nil,
                expires: Date? = nil, secure: Bool = true, httpOnly: Bool = true, sameSite: SameSite = .lax) {
        precondition(SetCookie.isToken(name), "cookie name is not a token: \(name)")
        precondition(SetCookie.isCookieValue(value), "cookie value has characters outside cookie-octet")
        precondition(path.map(SetCookie.isAttributeValue) ?? true, "cookie path has invalid characters")
        precondition(domain.map(SetCookie.isAttributeValue) ?? true, "cookie domain has invalid characters")
        precondition(sameSite != .none || secure, "SameSite=None requires Secure")
        if name.hasPrefix("__Secure-") || name.hasPrefix("__Host-") {
            precondition(secure, "\(name) requires Secure")
        }
        if name.hasPrefix("__Host-") {
            precondition(path == "/" && domain == nil, "\(name) requires Path=/ and no Domain")
        }
        self.name = name
        self.value = value
        self.path = path
        self.domain = domain
        self.maxAge = maxAge
        self.expires = expires
        self.secure = secure
        self.httpOnly = httpOnly
        self.sameSite = sameSite
    }

    /// A cookie that makes the client delete its cookie of that name, path and domain at once.
    public static func removal(of name: String, path: String? = "/", domain: String? = nil, secure: Bool = true,
                               httpOnly: Bool = true, sameSite: SameSite = .lax) -> SetCookie {
        SetCookie(name: name, value: "", path: path, domain: domain, maxAge: 0, expires: Date(timeIntervalSince1970: 0),
                  secure: secure, httpOnly: httpOnly, sameSite: sameSite)
    }

    /// The `Set-Cookie` field value.
    public var headerValue: String {
        var out = name + "=" + value
        if let path { out += "; Path=" + path }
        if let domain { out += "; Domain=" + domain }
        if let maxAge { out += "; Max-Age=\(maxAge)" }
        if let expires {
            // RFC 6265 §4.1.1: sane-cookie-date is the IMF-fixdate of RFC 9110 §5.6.7.
            out += "; Expires=" + Timestamp.httpDate(secondsSince1970: Int(expires.timeIntervalSince1970.rounded(.down)))
        }
        if secure { out += "; Secure" }
        if httpOnly { out += "; HttpOnly" }
        out += "; SameSite=" + sameSite.rawValue
        return out
    }

    /// RFC 9110 §5.6.2 token.
    static func isToken(_ text: String) -> Bool {
        !text.isEmpty && text.utf8.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                 UInt8(ascii: "A")...UInt8(ascii: "Z"):
                true
            default:
                Array("!#$%&'*+-.^_`|~".utf8).contains(byte)
            }
        }
    }

    /// RFC 6265 §4.1.1: `*cookie-octet / ( DQUOTE *cookie-octet DQUOTE )`.
    static func isCookieValue(_ text: String) -> Bool {
        var bytes = Substring(text).utf8[...]
        if bytes.count >= 2, bytes.first == UInt8(ascii: "\""), bytes.last == UInt8(ascii: "\"") {
            bytes = bytes.dropFirst().dropLast()
        }
        return bytes.allSatisfy { byte in
            // US-ASCII except CTLs, whitespace, DQUOTE, comma, semicolon and backslash.
            byte == 0x21 || (0x23...0x2B).contains(byte) || (0x2D...0x3A).contains(byte)
                || (0x3C...0x5B).contains(byte) || (0x5D...0x7E).contains(byte)
        }
    }

    /// RFC 6265 §4.1.1 av-octet: any CHAR except CTLs or ";".
    static func isAttributeValue(_ text: String) -> Bool {
        text.utf8.allSatisfy { (0x20...0x7E).contains($0) && $0 != UInt8(ascii: ";") }
    }
}

extension HTTPResponse {
    /// Adds a `Set-Cookie` field, keeping the others (RFC 6265 §3: one cookie per field, never folded).
    public mutating func setCookie(_ cookie: SetCookie) {
        headers.add("Set-Cookie", cookie.headerValue)
    }
}

fileprivate extension Substring {
    /// Without leading and trailing spaces and tabs (RFC 6265 §5.2 strips WSP).
    var trimmingSpaces: Substring {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        guard let start = firstIndex(where: { !isSpace($0) }), let end = lastIndex(where: { !isSpace($0) }) else {
            return self[endIndex...]
        }
        return self[start...end]
    }
}
