import Crypto
import Foundation
import Support

/// The canonical encoding of a record and the keyed hash that links it to the one before.
///
/// Threat model: the hash is an HMAC under a key kept in the key directory, not in the database.
/// Someone who can write the database file but does not hold the key can delete, change, reorder or
/// insert records, but cannot compute the hashes that would make the altered chain verify again.
/// A plain SHA-256 chain would not stop them: they would simply recompute every hash after their edit.
/// What the chain cannot show on its own is the loss of the newest records (a truncated tail looks
/// like a shorter intact log); an anchor kept elsewhere (the last sequence and hash) would.
enum AuditChain {
    /// The `previous_hash` of the first record.
    static let genesisHash = [UInt8](repeating: 0, count: 32)

    /// Tags the encoding, so a future change of layout can never produce the same bytes as this one.
    private static let formatTag = "openesia.audit.v1"

    /// The stored columns that the hash covers, in their stored (text) form.
    struct Fields {
        var sequence: Int64
        var time: String
        var kind: String
        var actor: String
        var subject: String?
        var sourceAddress: String?
        var details: String
    }

    /// HMAC-SHA-256(key, previousHash ‖ encoding(fields)).
    static func hash(key: [UInt8], previousHash: [UInt8], _ fields: Fields) -> [UInt8] {
        HMAC.sha256(key: key, message: previousHash + encoding(fields))
    }

    /// The unambiguous byte form of a record: every field carries its length (or a presence byte),
    /// so no two different records encode alike, whatever characters their fields contain.
    ///
    /// Layout: text(tag) ‖ u64(sequence) ‖ text(time) ‖ text(kind) ‖ text(actor) ‖ optional(subject)
    /// ‖ optional(source_address) ‖ text(details), where text(s) = u32 big-endian UTF-8 length ‖ bytes,
    /// optional(nil) = 0x00 and optional(s) = 0x01 ‖ text(s). `details` is the stored canonical JSON.
    static func encoding(_ fields: Fields) -> [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(160 + fields.details.utf8.count)
        appendText(formatTag, to: &out)
        appendUInt64(UInt64(bitPattern: fields.sequence), to: &out)
        appendText(fields.time, to: &out)
        appendText(fields.kind, to: &out)
        appendText(fields.actor, to: &out)
        appendOptionalText(fields.subject, to: &out)
        appendOptionalText(fields.sourceAddress, to: &out)
        appendText(fields.details, to: &out)
        return out
    }

    private static func appendUInt64(_ value: UInt64, to out: inout [UInt8]) {
        for shift in stride(from: 56, through: 0, by: -8) { out.append(UInt8(truncatingIfNeeded: value >> UInt64(shift))) }
    }

    private static func appendText(_ text: String, to out: inout [UInt8]) {
        // Fields are bounded far below 4 GiB by validation; a stored field is whatever the database returns.
        let count = UInt32(clamping: text.utf8.count)
        for shift in stride(from: 24, through: 0, by: -8) { out.append(UInt8(truncatingIfNeeded: count >> UInt32(shift))) }
        out.append(contentsOf: text.utf8.prefix(Int(count)))
    }

    private static func appendOptionalText(_ text: String?, to out: inout [UInt8]) {
        guard let text else { return out.append(0) }
        out.append(1)
        appendText(text, to: &out)
    }

    // MARK: Details as canonical JSON

    /// `details` as a JSON object with keys in byte order and no spaces, escaped as by `JSONText`,
    /// so the same dictionary always gives the same text (and so the same hash).
    static func canonicalJSON(_ details: [String: String]) -> String {
        var out: [UInt8] = [UInt8(ascii: "{")]
        let keys = details.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        for (index, key) in keys.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            JSONText.appendString(key, to: &out)
            out.append(UInt8(ascii: ":"))
            JSONText.appendString(details[key]!, to: &out)
        }
        out.append(UInt8(ascii: "}"))
        return String(decoding: out, as: UTF8.self)
    }

    /// Reads a stored details text back; nil when it is not a JSON object of strings.
    static func parseDetails(_ text: String) -> [String: String]? {
        try? JSONDecoder().decode([String: String].self, from: Data(text.utf8))
    }

    // MARK: Time

    /// The stored form of an instant: RFC 3339 UTC with milliseconds, as `Timestamp.iso8601` writes it.
    static func timeText(_ date: Date) -> String { Timestamp.iso8601(date) }

    /// Parses exactly `YYYY-MM-DDTHH:MM:SS.mmmZ` into the instant that formats back to it; nil for anything else.
    static func parseTime(_ text: String) -> Date? {
        let b = Array(text.utf8)
        guard b.count == 24, b[4] == UInt8(ascii: "-"), b[7] == UInt8(ascii: "-"), b[10] == UInt8(ascii: "T"),
              b[13] == UInt8(ascii: ":"), b[16] == UInt8(ascii: ":"), b[19] == UInt8(ascii: "."),
              b[23] == UInt8(ascii: "Z") else { return nil }
        func number(_ from: Int, _ count: Int) -> Int? {
            var value = 0
            for byte in b[from..<from + count] {
                guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) else { return nil }
                value = value * 10 + Int(byte - UInt8(ascii: "0"))
            }
            return value
        }
        guard let year = number(0, 4), let month = number(5, 2), let day = number(8, 2),
              let hour = number(11, 2), let minute = number(14, 2), let second = number(17, 2),
              let millisecond = number(20, 3),
              (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 60 else { return nil }
        let days = daysSince1970(year: year, month: month, day: day)
        let milliseconds = ((Int64(days) * 24 + Int64(hour)) * 60 + Int64(minute)) * 60_000
            + Int64(second) * 1000 + Int64(millisecond)
        // Date counts from 2001 and Timestamp.iso8601 floors, so the nearest Date can print one millisecond
        // early: step it up by an ulp or two so the record's time formats back to exactly the stored text.
        var date = Date(timeIntervalSince1970: Double(milliseconds) / 1000)
        for _ in 0..<8 where (date.timeIntervalSince1970 * 1000).rounded(.down) < Double(milliseconds) {
            date = Date(timeIntervalSinceReferenceDate: date.timeIntervalSinceReferenceDate.nextUp)
        }
        return date
    }

    /// Days from 1970-01-01 to a proleptic Gregorian date (H. Hinnant's days_from_civil).
    private static func daysSince1970(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }
}
