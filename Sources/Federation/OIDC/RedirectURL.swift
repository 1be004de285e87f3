/// Appends response parameters to a registered redirect URI (RFC 6749 §4.1.2): the URI's own query is kept, a fragment
/// cannot occur (registration refuses them), values are percent-encoded except RFC 3986 unreserved characters.
public enum RedirectURL {
    /// `base` with `parameters` added to its query; nil values are left out.
    public static func build(_ base: String, _ parameters: [(String, String?)]) -> String {
        let pairs = parameters.compactMap { name, value in value.map { encode(name) + "=" + encode($0) } }
        guard !pairs.isEmpty else { return base }
        let separator = base.contains("?") ? (base.hasSuffix("?") || base.hasSuffix("&") ? "" : "&") : "?"
        return base + separator + pairs.joined(separator: "&")
    }

    /// Percent-encodes all but `A-Z a-z 0-9 - . _ ~`.
    public static func encode(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                out += "%" + String(byte >> 4, radix: 16, uppercase: true) + String(byte & 0xF, radix: 16, uppercase: true)
            }
        }
        return out
    }
}
