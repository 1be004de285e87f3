import Support
/// Why a reference-registry CSV was refused: every problem found, each naming its line and column.
///
/// Messages name lines and columns, never the values, since the values are personal data.
public struct RegistryImportError: Error, Sendable, Equatable, CustomStringConvertible {
    /// One thing wrong with the file.
    public struct Problem: Sendable, Equatable, CustomStringConvertible {
        /// What is wrong.
        public enum Kind: String, Sendable {
            /// The file is empty: not even a header row.
            case missingHeader
            /// The first row is not the expected header.
            case wrongHeader
            /// A quoted field is never closed.
            case unterminatedQuote
            /// A quote inside an unquoted field, or text after a closing quote.
            case strayQuote
            /// A row has more or fewer than nine fields.
            case wrongFieldCount
            /// The SNILS is not 11 digits (spaces and hyphens allowed between them).
            case badSNILS
            /// The SNILS's check number is wrong.
            case snilsChecksum
            /// A name is empty where required, too long, or holds control characters.
            case badName
            /// A date is neither YYYY-MM-DD nor DD.MM.YYYY, or no such day exists.
            case badDate
            /// The passport series is not 4 digits.
            case badPassportSeries
            /// The passport number is not 6 digits.
            case badPassportNumber
            /// The passport was issued before the holder's 14th birthday.
            case issuedBeforeFourteen
            /// The validity is not one of valid/invalid, true/false, 1/0.
            case badValidity
            /// The same SNILS appears on an earlier line.
            case duplicateSNILS
            /// The same passport (series and number) appears on an earlier line.
            case duplicatePassport
        }

        /// The 1-based line where the row starts (the header is line 1).
        public var line: Int
        /// The header name of the column at fault, nil when the whole row is.
        public var column: String?
        /// What is wrong.
        public var kind: Kind
        /// For duplicates: the earlier line holding the same document.
        public var otherLine: Int?

        /// Makes a problem.
        public init(line: Int, column: String?, kind: Kind, otherLine: Int? = nil) {
            self.line = line
            self.column = column
            self.kind = kind
            self.otherLine = otherLine
        }

        public var description: String {
            let place = column.map { "line \(line), column \($0)" } ?? "line \(line)"
            return "\(place): \(explanation)"
        }

        private var explanation: String {
            switch kind {
            case .missingHeader: "the file is empty; it needs the header row"
            case .wrongHeader: "the header must be \(ReferenceRegistryCSV.header.joined(separator: ","))"
            case .unterminatedQuote: "a quoted field is never closed"
            case .strayQuote: "a quote inside an unquoted field or text after a closing quote"
            case .wrongFieldCount: "expected \(ReferenceRegistryCSV.header.count) fields"
            case .badSNILS: "not a SNILS of 11 digits"
            case .snilsChecksum: "the SNILS check number is wrong"
            case .badName: "empty, longer than \(ReferenceRegistryCSV.maxNameLength) characters, or holding control characters"
            case .badDate: "not a date in YYYY-MM-DD or DD.MM.YYYY"
            case .badPassportSeries: "not a passport series of 4 digits"
            case .badPassportNumber: "not a passport number of 6 digits"
            case .issuedBeforeFourteen: "issued before the holder's 14th birthday"
            case .badValidity: "must be valid/invalid, true/false or 1/0"
            case .duplicateSNILS: "the same SNILS as line \(otherLine ?? 0)"
            case .duplicatePassport: "the same passport as line \(otherLine ?? 0)"
            }
        }
    }

    /// The problems in file order; at most `ReferenceRegistryCSV.maxProblems`.
    public var problems: [Problem]
    /// Whether checking stopped early because there were too many problems.
    public var truncated: Bool

    /// Makes the error.
    public init(problems: [Problem], truncated: Bool = false) {
        self.problems = problems
        self.truncated = truncated
    }

    public var description: String {
        var lines = ["the reference registry file was refused; nothing was imported:"]
        lines += problems.map { "  \($0)" }
        if truncated { lines.append("  (stopped after \(problems.count) problems)") }
        return lines.joined(separator: "\n")
    }
}

/// One person of the reference registry, validated and normalised.
struct ReferenceRow: Sendable, Equatable {
    /// Where the row starts in the file.
    var line: Int
    /// 11 digits.
    var snils: String
    var surname: String
    var givenName: String
    var patronymic: String?
    /// YYYY-MM-DD.
    var birthDate: String
    /// 4 digits.
    var passportSeries: String
    /// 6 digits.
    var passportNumber: String
    /// YYYY-MM-DD.
    var passportIssueDate: String
    var passportValid: Bool
}

/// The reference registry's file format: RFC 4180 CSV, UTF-8, a header row, one person per row.
enum ReferenceRegistryCSV {
    /// The header row, in this order.
    static let header = ["snils", "surname", "given_name", "patronymic", "birth_date",
                         "passport_series", "passport_number", "passport_issue_date", "passport_valid"]
    /// Checking stops after this many problems; a wholly wrong file needs no longer list.
    static let maxProblems = 100
    /// Longer names are refused as a sign of a shifted column.
    static let maxNameLength = 100

    /// Parses and validates a whole file; any problem refuses the whole file.
    static func rows(_ text: String) throws(RegistryImportError) -> [ReferenceRow] {
        let records = try self.records(text)
        guard let first = records.first else {
            throw RegistryImportError(problems: [.init(line: 1, column: nil, kind: .missingHeader)])
        }
        let names = first.fields.map { trimmed($0).lowercased() }
        guard names == header else {
            throw RegistryImportError(problems: [.init(line: first.line, column: nil, kind: .wrongHeader)])
        }

        var problems = [RegistryImportError.Problem]()
        var rows = [ReferenceRow]()
        var lineBySNILS = [String: Int]()
        var lineByPassport = [String: Int]()
        for record in records.dropFirst() {
            if problems.count >= maxProblems {
                throw RegistryImportError(problems: Array(problems.prefix(maxProblems)), truncated: true)
            }
            guard record.fields.count == header.count else {
                problems.append(.init(line: record.line, column: nil, kind: .wrongFieldCount))
                continue
            }
            var rowProblems = [RegistryImportError.Problem]()
            func fail(_ column: Int, _ kind: RegistryImportError.Problem.Kind, other: Int? = nil) {
                rowProblems.append(.init(line: record.line, column: header[column], kind: kind, otherLine: other))
            }
            let f = record.fields.map(trimmed)

            var snils: String?
            switch snilsDigits(f[0]) {
            case nil: fail(0, .badSNILS)
            case let digits? where (try? SNILS(parsing: digits)) == nil: fail(0, .snilsChecksum)
            case let digits?: snils = digits
            }
            let surname = name(f[1], required: true)
            if surname == nil { fail(1, .badName) }
            let givenName = name(f[2], required: true)
            if givenName == nil { fail(2, .badName) }
            let patronymic = name(f[3], required: false)
            if patronymic == nil { fail(3, .badName) }
            let birthDate = date(f[4])
            if birthDate == nil { fail(4, .badDate) }
            let series = digits(f[5], count: 4)
            if series == nil { fail(5, .badPassportSeries) }
            let number = digits(f[6], count: 6)
            if number == nil { fail(6, .badPassportNumber) }
            let issueDate = date(f[7])
            if issueDate == nil {
                fail(7, .badDate)
            } else if let birthDate, issueDate! < fourteenthBirthday(birthDate) {
                fail(7, .issuedBeforeFourteen)
            }
            let valid = validity(f[8])
            if valid == nil { fail(8, .badValidity) }

            if let snils {
                if let earlier = lineBySNILS[snils] { fail(0, .duplicateSNILS, other: earlier) }
                else { lineBySNILS[snils] = record.line }
            }
            if let series, let number {
                if let earlier = lineByPassport[series + number] { fail(6, .duplicatePassport, other: earlier) }
                else { lineByPassport[series + number] = record.line }
            }

            if rowProblems.isEmpty, let snils, let surname, let givenName, let patronymic, let birthDate,
               let series, let number, let issueDate, let valid {
                rows.append(ReferenceRow(line: record.line, snils: snils, surname: surname, givenName: givenName,
                                         patronymic: patronymic.isEmpty ? nil : patronymic, birthDate: birthDate,
                                         passportSeries: series, passportNumber: number,
                                         passportIssueDate: issueDate, passportValid: valid))
            }
            problems += rowProblems
        }
        guard problems.isEmpty else {
            throw RegistryImportError(problems: Array(problems.prefix(maxProblems)), truncated: problems.count > maxProblems)
        }
        return rows
    }

    // MARK: - RFC 4180 records

    /// Splits text into records with the shared RFC 4180 reader, naming syntax errors in this file's terms.
    static func records(_ text: String) throws(RegistryImportError) -> [CSV.Record] {
        do {
            return try CSV.records(text)
        } catch {
            let kind: RegistryImportError.Problem.Kind = error.kind == .unterminatedQuote ? .unterminatedQuote : .strayQuote
            throw RegistryImportError(problems: [.init(line: error.line, column: nil, kind: kind)])
        }
    }

    // MARK: - Fields

    /// The 11 digits of a SNILS written with or without spaces and hyphens, or nil.
    static func snilsDigits(_ text: String) -> String? {
        var digits = ""
        for c in text.unicodeScalars {
            if c == " " || c == "-" { continue }
            guard ("0"..."9").contains(c) else { return nil }
            digits.unicodeScalars.append(c)
        }
        return digits.count == 11 ? digits : nil
    }

    /// `count` ASCII digits, spaces between them allowed ("45 08"), or nil.
    static func digits(_ text: String, count: Int) -> String? {
        let digits = String(text.unicodeScalars.filter { $0 != " " }.map(Character.init))
        guard digits.count == count, digits.unicodeScalars.allSatisfy({ ("0"..."9").contains($0) }) else { return nil }
        return digits
    }

    /// A trimmed name; "" for an empty optional one; nil when it is unacceptable.
    static func name(_ text: String, required: Bool) -> String? {
        if text.isEmpty { return required ? nil : "" }
        guard text.count <= maxNameLength,
              !text.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else { return nil }
        return text
    }

    /// A date written YYYY-MM-DD or DD.MM.YYYY, as YYYY-MM-DD; nil when malformed or no such day.
    static func date(_ text: String) -> String? {
        let parts: [Substring]
        let year: Int?, month: Int?, day: Int?
        if text.contains("-") {
            parts = text.split(separator: "-", omittingEmptySubsequences: false)
            guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2 else { return nil }
            (year, month, day) = (number(parts[0]), number(parts[1]), number(parts[2]))
        } else {
            parts = text.split(separator: ".", omittingEmptySubsequences: false)
            guard parts.count == 3, parts[0].count == 2, parts[1].count == 2, parts[2].count == 4 else { return nil }
            (year, month, day) = (number(parts[2]), number(parts[1]), number(parts[0]))
        }
        guard let year, let month, let day, (1900...2199).contains(year), (1...12).contains(month),
              (1...daysIn(month: month, year: year)).contains(day) else { return nil }
        return "\(year)-\(twoDigits(month))-\(twoDigits(day))"
    }

    /// Strictly ASCII digits; `Int("+5")` would accept a sign.
    private static func number(_ text: Substring) -> Int? {
        guard text.unicodeScalars.allSatisfy({ ("0"..."9").contains($0) }) else { return nil }
        return Int(text)
    }

    private static func twoDigits(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }

    private static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// The 14th birthday of a YYYY-MM-DD birth date, as a YYYY-MM-DD string to compare against.
    /// Someone born on 29 February gets "YYYY-02-29", which sorts between the 28th and 1 March, as the law reads it.
    static func fourteenthBirthday(_ birthDate: String) -> String {
        let year = Int(birthDate.prefix(4))!
        return "\(year + 14)\(birthDate.dropFirst(4))"
    }

    /// `text` without leading and trailing spaces and tabs.
    static func trimmed(_ text: String) -> String {
        let scalars = text.unicodeScalars
        guard let start = scalars.firstIndex(where: { $0 != " " && $0 != "\t" }) else { return "" }
        let end = scalars.lastIndex(where: { $0 != " " && $0 != "\t" })!
        return String(scalars[start...end])
    }

    /// valid/invalid, true/false or 1/0, any case.
    static func validity(_ text: String) -> Bool? {
        switch text.lowercased() {
        case "valid", "true", "1": true
        case "invalid", "false", "0": false
        default: nil
        }
    }
}
