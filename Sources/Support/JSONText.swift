/// Writes JSON string literals by hand, for log lines on hot paths where JSONEncoder costs too much.
public enum JSONText {
    private static let hex = Array("0123456789abcdef".utf8)

    /// Appends `value` as a quoted, escaped JSON string (RFC 8259 §7).
    public static func appendString(_ value: String, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        // Most log values (paths, ids, addresses) need no escaping: copy them in one go.
        if !value.utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") || $0 == 0x7F }) {
            out.append(contentsOf: value.utf8)
            out.append(UInt8(ascii: "\""))
            return
        }
        for b in value.utf8 {
            switch b {
            case UInt8(ascii: "\""): out.append(UInt8(ascii: "\\")); out.append(b)
            case UInt8(ascii: "\\"): out.append(UInt8(ascii: "\\")); out.append(b)
            case 0x0A: out.append(UInt8(ascii: "\\")); out.append(UInt8(ascii: "n"))
            case 0x0D: out.append(UInt8(ascii: "\\")); out.append(UInt8(ascii: "r"))
            case 0x09: out.append(UInt8(ascii: "\\")); out.append(UInt8(ascii: "t"))
            case 0..<0x20, 0x7F:
                out.append(contentsOf: Array("\\u00".utf8))
                out.append(hex[Int(b >> 4)])
                out.append(hex[Int(b & 0x0f)])
            default: out.append(b)
            }
        }
        out.append(UInt8(ascii: "\""))
    }

    /// Appends a decimal integer.
    public static func appendInt<I: BinaryInteger>(_ value: I, to out: inout [UInt8]) {
        out.append(contentsOf: String(value).utf8)
    }

    /// Returns `value` as a quoted JSON string.
    public static func quoted(_ value: String) -> String {
        var out = [UInt8]()
        appendString(value, to: &out)
        return String(decoding: out, as: UTF8.self)
    }
}
