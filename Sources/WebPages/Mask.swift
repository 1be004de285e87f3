/// Masks for identifiers shown on pages: enough to recognise one's own, too little to reuse someone else's.
public enum Mask {
    /// `***-***-445 95`: the last three digits of the number and the check digits.
    public static func snils(_ value: String) -> String {
        // Already masked (the server keeps only masked numbers for display): shown as it is.
        if value.hasPrefix("***-***-"), digits(value).count == 5 { return value }
        let d = digits(value)
        guard d.count == 11 else { return "***-***-*** **" }
        return "***-***-" + d[6..<9] + " " + d[9..<11]
    }

    /// `** ** ****56`: only the last two digits of the number. Takes the number alone or series and number.
    /// The series narrows a person down to a region and year, so it is never shown.
    public static func passport(_ value: String) -> String {
        if value.hasPrefix("** ** ****"), digits(value).count == 2 { return value }
        let d = digits(value)
        guard d.count == 6 || d.count == 10 else { return "** ** ******" }
        return "** ** ****" + d[(d.count - 2)..<d.count]
    }

    /// `+7 912 ***-**-89` for a Russian mobile number; other numbers show only their last two digits.
    public static func phone(_ value: String) -> String {
        var d = digits(value)
        if d.count == 11, d.hasPrefix("8") { d = "7" + d.dropFirst() }
        if d.count == 11, d.hasPrefix("7") { return "+7 " + d[1..<4] + " ***-**-" + d[9..<11] }
        guard d.count >= 4 else { return "***" }
        return "***" + d[(d.count - 2)..<d.count]
    }

    /// `iv***@example.ru`: the first two characters of the local part and the whole domain.
    public static func email(_ value: String) -> String {
        guard let at = value.lastIndex(of: "@") else { return "***" }
        let local = value[..<at]
        let shown = local.count > 4 ? String(local.prefix(2)) : String(local.prefix(1))
        return shown + "***" + value[at...]
    }

    private static func digits(_ value: String) -> String {
        String(value.unicodeScalars.filter { $0.properties.numericType != nil && $0.isASCII }.map(Character.init))
    }
}

private extension String {
    /// Characters by integer range; the strings here are short ASCII digits.
    subscript(_ range: Range<Int>) -> String {
        let start = index(startIndex, offsetBy: range.lowerBound)
        let end = index(startIndex, offsetBy: range.upperBound)
        return String(self[start..<end])
    }
}
