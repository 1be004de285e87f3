import Foundation

/// Base64url without padding (RFC 4648 §5), as JOSE and cookies use it.
public enum Base64URL {
    public static func encode<Bytes: Sequence>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
        var s = Data(bytes).base64EncodedString()
        s = s.replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
        while s.hasSuffix("=") { s.removeLast() }
        return s
    }

    /// Decodes base64url; returns nil for anything that is not strictly base64url (padding is refused).
    public static func decode(_ text: String) -> [UInt8]? {
        var s = ""
        s.reserveCapacity(text.utf8.count + 3)
        for c in text.utf8 {
            switch c {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"):
                s.unicodeScalars.append(Unicode.Scalar(c))
            case UInt8(ascii: "-"): s.append("+")
            case UInt8(ascii: "_"): s.append("/")
            default: return nil
            }
        }
        if s.utf8.count % 4 == 1 { return nil }
        while s.utf8.count % 4 != 0 { s.append("=") }
        guard let data = Data(base64Encoded: s) else { return nil }
        return [UInt8](data)
    }
}
