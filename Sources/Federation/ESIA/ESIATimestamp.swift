import Foundation

/// ESIA's request `timestamp`: `yyyy.MM.dd HH:mm:ss Z`, e.g. `2013.01.25 14:36:11 +0400` (ESIA-PROTOCOL §4.1).
///
/// Accepted zone forms: `+HHMM`/`-HHMM` (what Java's `Z`, Python's `%z` and PHP's `O` print) and `+HH:MM`/`-HH:MM`
/// (PHP's `P`), offsets up to ±14:00. A space where the sign should be is read as `+`: a client that put a raw `+`
/// into the query string had it turned into a space by form decoding, and `text` restores it, so the signed message
/// is still the one the client signed. Nothing else is tolerated (no `Z`, no fractions, no missing seconds).
public struct ESIATimestamp: Sendable, Equatable {
    /// The instant.
    public let date: Date
    /// The timestamp as the client wrote it (with a decoded `+` restored): the text that goes into the signed message.
    public let text: String

    /// Parses `text`; throws ESIA-007015 when it is not a valid timestamp.
    public init(parsing text: String) throws(ESIAError) {
        let bytes = Array(text.utf8)
        func fail() -> ESIAError { ESIAError(.wrongTimestamp, "timestamp must look like 2013.01.25 14:36:11 +0400") }
        guard bytes.count == 25 || bytes.count == 26 else { throw fail() }
        func number(_ from: Int, _ count: Int) -> Int? {
            var value = 0
            for byte in bytes[from..<from + count] {
                guard byte >= 0x30 && byte <= 0x39 else { return nil }
                value = value * 10 + Int(byte - 0x30)
            }
            return value
        }
        func at(_ index: Int, _ character: Character) -> Bool { bytes[index] == character.asciiValue! }
        guard at(4, "."), at(7, "."), at(10, " "), at(13, ":"), at(16, ":"), at(19, " "),
              let year = number(0, 4), let month = number(5, 2), let day = number(8, 2),
              let hour = number(11, 2), let minute = number(14, 2), let second = number(17, 2)
        else { throw fail() }
        let sign: Int
        switch bytes[20] {
        case UInt8(ascii: "+"), UInt8(ascii: " "): sign = 1
        case UInt8(ascii: "-"): sign = -1
        default: throw fail()
        }
        let offsetHours: Int?, offsetMinutes: Int?
        if bytes.count == 25 {
            (offsetHours, offsetMinutes) = (number(21, 2), number(23, 2))
        } else {
            guard at(23, ":") else { throw fail() }
            (offsetHours, offsetMinutes) = (number(21, 2), number(24, 2))
        }
        guard let offsetHours, let offsetMinutes, offsetMinutes < 60, offsetHours * 60 + offsetMinutes <= 14 * 60,
              year >= 1970, (1...12).contains(month), day >= 1, day <= Self.daysIn(month: month, year: year),
              hour < 24, minute < 60, second < 60
        else { throw fail() }
        let days = Self.daysSinceEpoch(year: year, month: month, day: day)
        let local = days * 86_400 + hour * 3_600 + minute * 60 + second
        date = Date(timeIntervalSince1970: TimeInterval(local - sign * (offsetHours * 3_600 + offsetMinutes * 60)))
        var restored = bytes
        restored[20] = sign > 0 ? UInt8(ascii: "+") : UInt8(ascii: "-")
        self.text = String(decoding: restored, as: UTF8.self)
    }

    /// `date` written as `yyyy.MM.dd HH:mm:ss +HHMM` in the zone `utcOffsetMinutes` east of UTC (default UTC, `+0000`).
    public static func format(_ date: Date, utcOffsetMinutes: Int = 0) -> String {
        let seconds = Int(date.timeIntervalSince1970.rounded(.down)) + utcOffsetMinutes * 60
        var days = seconds / 86_400, rest = seconds % 86_400
        if rest < 0 { days -= 1; rest += 86_400 }
        let (year, month, day) = civil(daysSinceEpoch: days)
        func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
        let offset = abs(utcOffsetMinutes)
        return "\(year).\(two(month)).\(two(day)) \(two(rest / 3_600)):\(two(rest % 3_600 / 60)):\(two(rest % 60)) "
            + (utcOffsetMinutes < 0 ? "-" : "+") + two(offset / 60) + two(offset % 60)
    }

    /// Throws ESIA-007015 unless the timestamp is at most `window` seconds before or after `now`.
    public func check(now: Date, window: TimeInterval) throws(ESIAError) {
        let distance = date.timeIntervalSince(now)
        guard abs(distance) <= window else {
            throw ESIAError(.wrongTimestamp, "timestamp is \(Int(abs(distance))) seconds \(distance < 0 ? "behind" : "ahead of") the server's clock "
                            + "(at most \(Int(window)) accepted)")
        }
    }

    // Proleptic Gregorian calendar arithmetic (H. Hinnant's days_from_civil), so no Calendar or locale is involved.

    private static func daysSinceEpoch(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    private static func civil(daysSinceEpoch days: Int) -> (Int, Int, Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    private static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }
}
