/// Percent-decoding (RFC 3986 §2.1) into UTF-8 text, strict: bad escapes and bad UTF-8 are failures, not repairs.
public enum PercentDecoding {
    /// Decodes `%XX` escapes (and `+` as space when asked, for forms); nil when an escape or the UTF-8 is invalid.
    public static func decode(_ text: Substring, plusAsSpace: Bool = false) -> String? {
        // Fast path: most segments and values contain nothing to decode.
        var needsWork = false
        for byte in text.utf8 where byte == UInt8(ascii: "%") || (plusAsSpace && byte == UInt8(ascii: "+")) {
            needsWork = true
            break
        }
        if !needsWork { return String(text) }
        guard let bytes = decodeBytes(text.utf8, plusAsSpace: plusAsSpace) else { return nil }
        return String(validating: bytes, as: UTF8.self)
    }

    /// Decodes `%XX` escapes (and `+` as space when asked, for forms); nil when an escape or the UTF-8 is invalid.
    public static func decode(_ text: String, plusAsSpace: Bool = false) -> String? {
        decode(text[...], plusAsSpace: plusAsSpace)
    }

    /// Decodes `%XX` escapes into bytes; nil on `%` not followed by two hex digits. Inlinable so that callers in other
    /// modules get it specialised for their collection (unspecialised, it was a fifth of a token introspection).
    @inlinable
    public static func decodeBytes(_ input: some Collection<UInt8>, plusAsSpace: Bool) -> [UInt8]? {
        var out = [UInt8]()
        out.reserveCapacity(input.count)
        var i = input.startIndex
        while i != input.endIndex {
            let byte = input[i]
            input.formIndex(after: &i)
            if byte == UInt8(ascii: "%") {
                guard i != input.endIndex, let high = hexValue(input[i]) else { return nil }
                input.formIndex(after: &i)
                guard i != input.endIndex, let low = hexValue(input[i]) else { return nil }
                input.formIndex(after: &i)
                out.append(high << 4 | low)
            } else if plusAsSpace && byte == UInt8(ascii: "+") {
                out.append(UInt8(ascii: " "))
            } else {
                out.append(byte)
            }
        }
        return out
    }

    @inlinable @inline(__always)
    static func hexValue(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): c - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
