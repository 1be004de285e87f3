/// A day in the Gregorian calendar with no time or zone: a birth date, a document's issue date.
public struct CalendarDate: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Year, 1–9999.
    public let year: Int
    /// Month, 1–12.
    public let month: Int
    /// Day of the month, 1–28…31.
    public let day: Int

    /// A date, or nil when it does not exist (2023-02-30, month 13, year 0).
    public init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month),
              day >= 1, day <= CalendarDate.daysIn(month: month, year: year) else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    /// Parses `YYYY-MM-DD` (ISO 8601, HTML date inputs) or `DD.MM.YYYY` (Russian documents, ESIA JSON).
    ///
    /// Day and month need two digits and the year four; surrounding spaces are ignored.
    public init(parsing text: String, field: String) throws(FieldError) {
        let trimmed = TextRules.trimmed(text)
        if trimmed.isEmpty { throw FieldError(field: field, code: .required) }
        let parts: (year: Substring, month: Substring, day: Substring)
        let dashed = trimmed.split(separator: "-", omittingEmptySubsequences: false)
        let dotted = trimmed.split(separator: ".", omittingEmptySubsequences: false)
        if dashed.count == 3 {
            parts = (dashed[0], dashed[1], dashed[2])
        } else if dotted.count == 3 {
            parts = (dotted[2], dotted[1], dotted[0])
        } else {
            throw FieldError(field: field, code: .invalidFormat)
        }
        guard parts.year.count == 4, parts.month.count == 2, parts.day.count == 2,
              TextRules.isASCIIDigits(String(parts.year + parts.month + parts.day)),
              let year = Int(parts.year), let month = Int(parts.month), let day = Int(parts.day),
              let date = CalendarDate(year: year, month: month, day: day) else {
            throw FieldError(field: field, code: .invalidFormat)
        }
        self = date
    }

    /// `YYYY-MM-DD`.
    public var iso8601: String {
        String(year).leftPadded(to: 4) + "-" + String(month).leftPadded(to: 2) + "-" + String(day).leftPadded(to: 2)
    }

    /// `DD.MM.YYYY`, the form of Russian documents and of ESIA's `birthDate`.
    public var russian: String {
        String(day).leftPadded(to: 2) + "." + String(month).leftPadded(to: 2) + "." + String(year).leftPadded(to: 4)
    }

    /// The ISO form.
    public var description: String { iso8601 }

    /// Earlier dates sort first.
    public static func < (lhs: CalendarDate, rhs: CalendarDate) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }

    /// The same month and day `years` later (or earlier); 29 February becomes 28 February in a common year.
    ///
    /// This is how a term in years ends under the Civil Code (art. 192): on the same date, or on the
    /// last day of the month when that date does not exist. So someone born on 29 February turns 14 on 28 February.
    /// Nil when the year leaves 1–9999.
    public func adding(years: Int) -> CalendarDate? {
        let newYear = year + years
        guard (1...9999).contains(newYear) else { return nil }
        return CalendarDate(year: newYear, month: month, day: min(day, CalendarDate.daysIn(month: month, year: newYear)))
    }

    /// Full years between this date (a birth date) and `date`; negative when `date` is earlier.
    public func age(on date: CalendarDate) -> Int {
        var years = date.year - year
        if (date.month, date.day) < (month, day) {
            years -= 1
            // Born on 29 February: in a common year the birthday is taken as 28 February (see `adding(years:)`).
            if month == 2 && day == 29 && date.month == 2 && date.day == 28 && !CalendarDate.isLeap(date.year) {
                years += 1
            }
        }
        return years
    }

    /// Whether `year` has a 29 February.
    public static func isLeap(_ year: Int) -> Bool {
        (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
    }

    /// The number of days in a month.
    public static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }
}
