import Foundation

/// A span of time in which a CA is accredited: from `from` (inclusive) until `until` (exclusive), or open.
public struct AccreditationPeriod: Sendable, Equatable, Hashable {
    /// When the accreditation starts.
    public var from: Date
    /// When it ends; nil while it is open.
    public var until: Date?

    /// A period; `until`, when given, must be after `from` (the registries check it).
    public init(from: Date, until: Date? = nil) {
        self.from = from
        self.until = until
    }

    /// Whether `time` falls inside the period.
    public func contains(_ time: Date) -> Bool {
        from <= time && (until.map { time < $0 } ?? true)
    }

    /// Whether the two periods share any instant.
    public func overlaps(_ other: AccreditationPeriod) -> Bool {
        let endsAfterOtherStarts = until.map { $0 > other.from } ?? true
        let otherEndsAfterThisStarts = other.until.map { $0 > from } ?? true
        return endsAfterOtherStarts && otherEndsAfterThisStarts
    }

    /// Sorted by start, overlapping or touching periods joined into one.
    static func merged(_ periods: [AccreditationPeriod]) -> [AccreditationPeriod] {
        var out: [AccreditationPeriod] = []
        for period in periods.sorted(by: { $0.from < $1.from }) {
            guard var last = out.last else {
                out.append(period)
                continue
            }
            if let lastUntil = last.until, lastUntil < period.from {
                out.append(period)
                continue
            }
            // Overlapping or touching: the union ends at the later end (open wins).
            if let lastUntil = last.until, let until = period.until {
                last.until = max(lastUntil, until)
            } else {
                last.until = nil
            }
            out[out.count - 1] = last
        }
        return out
    }
}
