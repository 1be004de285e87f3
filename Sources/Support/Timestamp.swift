import Foundation
import Glibc

/// Timestamp formats without Foundation's formatters, which are slow on Linux.
public enum Timestamp {
    /// RFC 3339 UTC with milliseconds: `2026-11-23T18:37:13.123Z`.
    public static func iso8601(_ date: Date) -> String {
        // Round to the nearest millisecond: x.25 s is 1800000000249.9999 ms in binary floating point.
        let ms = Int64((date.timeIntervalSince1970 * 1000).rounded())
        let wholeSeconds = ms >= 0 ? ms / 1000 : (ms - 999) / 1000
        var seconds = time_t(wholeSeconds)
        var tm = tm()
        gmtime_r(&seconds, &tm)
        var out = [UInt8]()
        out.reserveCapacity(24)
        appendDigits(Int(tm.tm_year) + 1900, 4, &out); out.append(UInt8(ascii: "-"))
        appendDigits(Int(tm.tm_mon) + 1, 2, &out); out.append(UInt8(ascii: "-"))
        appendDigits(Int(tm.tm_mday), 2, &out); out.append(UInt8(ascii: "T"))
        appendDigits(Int(tm.tm_hour), 2, &out); out.append(UInt8(ascii: ":"))
        appendDigits(Int(tm.tm_min), 2, &out); out.append(UInt8(ascii: ":"))
        appendDigits(Int(tm.tm_sec), 2, &out); out.append(UInt8(ascii: "."))
        appendDigits(Int(ms - wholeSeconds * 1000), 3, &out); out.append(UInt8(ascii: "Z"))
        return String(decoding: out, as: UTF8.self)
    }

    private static let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// The IMF-fixdate of RFC 9110 §5.6.7: `Sun, 06 Nov 1994 08:49:37 GMT`.
    public static func httpDate(secondsSince1970: Int) -> String {
        var seconds = time_t(secondsSince1970)
        var tm = tm()
        gmtime_r(&seconds, &tm)
        var out = [UInt8]()
        out.reserveCapacity(29)
        out.append(contentsOf: days[Int(tm.tm_wday)].utf8); out.append(contentsOf: Array(", ".utf8))
        appendDigits(Int(tm.tm_mday), 2, &out); out.append(UInt8(ascii: " "))
        out.append(contentsOf: months[Int(tm.tm_mon)].utf8); out.append(UInt8(ascii: " "))
        appendDigits(Int(tm.tm_year) + 1900, 4, &out); out.append(UInt8(ascii: " "))
        appendDigits(Int(tm.tm_hour), 2, &out); out.append(UInt8(ascii: ":"))
        appendDigits(Int(tm.tm_min), 2, &out); out.append(UInt8(ascii: ":"))
        appendDigits(Int(tm.tm_sec), 2, &out); out.append(contentsOf: Array(" GMT".utf8))
        return String(decoding: out, as: UTF8.self)
    }

    private static func appendDigits(_ value: Int, _ width: Int, _ out: inout [UInt8]) {
        var digits = [UInt8](repeating: UInt8(ascii: "0"), count: width)
        var v = value
        var i = width - 1
        while i >= 0 {
            digits[i] = UInt8(ascii: "0") + UInt8(v % 10)
            v /= 10
            i -= 1
        }
        out.append(contentsOf: digits)
    }
}
