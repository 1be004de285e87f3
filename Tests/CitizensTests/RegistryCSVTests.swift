import Foundation
import Testing
@testable import Citizens

/// The reference registry's CSV: RFC 4180 records, the header, and row validation with line numbers.
@Suite struct RegistryCSVTests {
    static let header = "snils,surname,given_name,patronymic,birth_date,passport_series,passport_number,passport_issue_date,passport_valid"
    static let anna = "112-233-445 95,Петрова,Анна,Сергеевна,1990-05-17,4508,123456,2010-06-01,valid"
    static let ivan = "12345678964,Иванов,Иван,Иванович,14.03.1985,45 05,135790,02.04.2005,1"

    /// The file with the header and `rows`, LF line ends.
    static func file(_ rows: String...) -> String { ([header] + rows).joined(separator: "\n") + "\n" }

    /// The problems importing `text` reports; fails the test when it imports.
    static func problems(_ text: String) -> [RegistryImportError.Problem] {
        do {
            let rows = try ReferenceRegistryCSV.rows(text)
            Issue.record("expected the file to be refused, got \(rows.count) rows")
            return []
        } catch {
            return error.problems
        }
    }

    // MARK: - Records

    @Test func quotedFieldsHoldCommasQuotesAndLineBreaks() throws {
        let records = try ReferenceRegistryCSV.records("a,\"b,c\",\"say \"\"hi\"\"\"\n\"two\nlines\",x,\n3,,\"\"\n")
        #expect(records == [
            .init(line: 1, fields: ["a", "b,c", "say \"hi\""]),
            .init(line: 2, fields: ["two\nlines", "x", ""]),
            .init(line: 4, fields: ["3", "", ""]),
        ])
    }

    @Test func byteOrderMarkCRLFAndBlankLinesAreAccepted() throws {
        let records = try ReferenceRegistryCSV.records("\u{FEFF}a,b\r\n\r\nc,d\r\ne,f")
        #expect(records == [.init(line: 1, fields: ["a", "b"]), .init(line: 3, fields: ["c", "d"]),
                            .init(line: 4, fields: ["e", "f"])])
    }

    @Test func unterminatedQuoteNamesTheLineItOpensOn() {
        #expect(Self.problems("a,b\nc,\"d\ne\n") == [.init(line: 2, column: nil, kind: .unterminatedQuote)])
    }

    @Test func strayQuotesAreRefused() {
        #expect(Self.problems("a,b\"c\n") == [.init(line: 1, column: nil, kind: .strayQuote)])
        #expect(Self.problems("x\n\"a\"b,c\n") == [.init(line: 2, column: nil, kind: .strayQuote)])
    }

    // MARK: - Rows

    @Test func validRowsAreNormalised() throws {
        let rows = try ReferenceRegistryCSV.rows("\u{FEFF}" + Self.file(Self.anna, Self.ivan).replacingOccurrences(of: "\n", with: "\r\n"))
        #expect(rows == [
            ReferenceRow(line: 2, snils: "11223344595", surname: "Петрова", givenName: "Анна", patronymic: "Сергеевна",
                         birthDate: "1990-05-17", passportSeries: "4508", passportNumber: "123456",
                         passportIssueDate: "2010-06-01", passportValid: true),
            ReferenceRow(line: 3, snils: "12345678964", surname: "Иванов", givenName: "Иван", patronymic: "Иванович",
                         birthDate: "1985-03-14", passportSeries: "4505", passportNumber: "135790",
                         passportIssueDate: "2005-04-02", passportValid: true),
        ])
    }

    @Test func quotedNamesAndAnEmptyPatronymic() throws {
        let rows = try ReferenceRegistryCSV.rows(Self.file(
            "11223344595,\"Петрова, урождённая \"\"Смирнова\"\"\", Анна ,,1990-05-17,4508,123456,2010-06-01,TRUE"))
        #expect(rows.first?.surname == "Петрова, урождённая \"Смирнова\"")
        #expect(rows.first?.givenName == "Анна")
        #expect(rows.first?.patronymic == nil)
    }

    @Test(arguments: [("valid", true), ("Invalid", false), ("true", true), ("FALSE", false), ("1", true), ("0", false)])
    func validitySpellings(text: String, valid: Bool) throws {
        let rows = try ReferenceRegistryCSV.rows(Self.file(Self.anna.replacingOccurrences(of: ",valid", with: "," + text)))
        #expect(rows.first?.passportValid == valid)
    }

    @Test func headerOnlyImportsNothing() throws {
        #expect(try ReferenceRegistryCSV.rows(Self.header).isEmpty)
    }

    @Test func missingOrWrongHeaderIsRefused() {
        #expect(Self.problems("") == [.init(line: 1, column: nil, kind: .missingHeader)])
        #expect(Self.problems("\n\n") == [.init(line: 1, column: nil, kind: .missingHeader)])
        #expect(Self.problems(Self.anna + "\n") == [.init(line: 1, column: nil, kind: .wrongHeader)])
        #expect(Self.problems(Self.header.replacingOccurrences(of: "surname,given_name", with: "given_name,surname"))
                == [.init(line: 1, column: nil, kind: .wrongHeader)])
    }

    @Test func headerIsCaseAndSpaceInsensitive() throws {
        #expect(try ReferenceRegistryCSV.rows(Self.header.uppercased().replacingOccurrences(of: ",", with: " , ")).isEmpty)
    }

    @Test(arguments: [
        // (row, column, kind)
        ("112-233-445 9,Петрова,Анна,Сергеевна,1990-05-17,4508,123456,2010-06-01,valid", "snils", RegistryImportError.Problem.Kind.badSNILS),
        ("112.233.445 95,Петрова,Анна,Сергеевна,1990-05-17,4508,123456,2010-06-01,valid", "snils", .badSNILS),
        ("112-233-445 96,Петрова,Анна,Сергеевна,1990-05-17,4508,123456,2010-06-01,valid", "snils", .snilsChecksum),
        ("112-233-445 95,,Анна,Сергеевна,1990-05-17,4508,123456,2010-06-01,valid", "surname", .badName),
        ("112-233-445 95,Петрова,  ,Сергеевна,1990-05-17,4508,123456,2010-06-01,valid", "given_name", .badName),
        ("112-233-445 95,Петрова,Анна,\"Серге\u{7}евна\",1990-05-17,4508,123456,2010-06-01,valid", "patronymic", .badName),
        ("112-233-445 95,Петрова,Анна,Сергеевна,1990-02-30,4508,123456,2010-06-01,valid", "birth_date", .badDate),
        ("112-233-445 95,Петрова,Анна,Сергеевна,17/05/1990,4508,123456,2010-06-01,valid", "birth_date", .badDate),
        ("112-233-445 95,Петрова,Анна,Сергеевна,1990-5-17,4508,123456,2010-06-01,valid", "birth_date", .badDate),
        ("112-233-445 95,Петрова,Анна,Сергеевна,1990-05-17,450,123456,2010-06-01,valid", "passport_series", .badPassportSeries),
        ("112-233-445 95,Петрова,Анна,Сергеевна,1990-05-17,45O8,123456,2010-06-01,valid", "passport_series", .badPassportSeries),
        ("112-233-445 95,Петрова,Анна,Сергеевна,1990-05-17,4508,12345,2010-06-01,valid", "passport_number", .badPassportNumber),
        ("112-233-445 95,Петрова,Анна,Сергеевна,1990-05-17,4508,123456,31.13.2010,valid", "passport_issue_date", .badDate),
        ("112-233-445 95,Петрова,Анна,Сергеевна,1990-05-17,4508,123456,2004-05-16,valid", "passport_issue_date", .issuedBeforeFourteen),
        ("112-233-445 95,Петрова,Анна,Сергеевна,1990-05-17,4508,123456,2010-06-01,yes", "passport_valid", .badValidity),
    ])
    func badFieldIsNamedWithItsLineAndColumn(row: String, column: String, kind: RegistryImportError.Problem.Kind) {
        #expect(Self.problems(Self.file(Self.ivan, row)) == [.init(line: 3, column: column, kind: kind)])
    }

    @Test func wrongFieldCountNamesTheLine() {
        #expect(Self.problems(Self.file(Self.anna, Self.ivan + ",extra", "1,2,3"))
                == [.init(line: 3, column: nil, kind: .wrongFieldCount), .init(line: 4, column: nil, kind: .wrongFieldCount)])
    }

    @Test func everyProblemOfEveryRowIsReported() {
        let problems = Self.problems(Self.file(
            "00000000000,,Анна,,1990-05-17,4508,123456,2010-06-01,maybe",
            Self.ivan,
            "112-233-445 95,Петрова,Анна,,1990-13-01,4508,12,2010-06-01,valid"))
        #expect(problems == [
            .init(line: 2, column: "surname", kind: .badName),
            .init(line: 2, column: "passport_valid", kind: .badValidity),
            .init(line: 4, column: "birth_date", kind: .badDate),
            .init(line: 4, column: "passport_number", kind: .badPassportNumber),
        ])
    }

    @Test func fourteenthBirthdayItselfIsAllowed() throws {
        _ = try ReferenceRegistryCSV.rows(Self.file(Self.anna.replacingOccurrences(of: "2010-06-01", with: "2004-05-17")))
        // Born on 29 February 2000: 28 February 2014 is too early, 1 March 2014 is fine.
        let leap = "112-233-445 95,Петрова,Анна,,29.02.2000,4508,123456,"
        #expect(Self.problems(Self.file(leap + "2014-02-28,valid"))
                == [.init(line: 2, column: "passport_issue_date", kind: .issuedBeforeFourteen)])
        _ = try ReferenceRegistryCSV.rows(Self.file(leap + "2014-03-01,valid"))
    }

    @Test func snilsBelowTheCheckedRangeIsAcceptedUnchecked() throws {
        let row = Self.anna.replacingOccurrences(of: "112-233-445 95", with: "001-001-998 17")
        #expect(try ReferenceRegistryCSV.rows(Self.file(row)).first?.snils == "00100199817")
    }

    @Test func duplicatesNameBothLines() {
        let sameSNILS = "11223344595,Другая,Анна,,1991-01-01,4000,000001,2011-01-01,valid"
        let samePassport = "98765432183,Другой,Пётр,,1980-01-01,45 08,123456,2000-01-01,valid"
        #expect(Self.problems(Self.file(Self.anna, Self.ivan, sameSNILS, samePassport)) == [
            .init(line: 4, column: "snils", kind: .duplicateSNILS, otherLine: 2),
            .init(line: 5, column: "passport_number", kind: .duplicatePassport, otherLine: 2),
        ])
    }

    @Test func lineNumbersCountLineBreaksInsideQuotes() {
        let text = Self.file("\"11223344595\",\"Петрова\nАнна\",Анна,,1990-05-17,4508,123456,2010-06-01,valid",
                             "bad,row")
        #expect(Self.problems(text) == [.init(line: 2, column: "surname", kind: .badName),
                                        .init(line: 4, column: nil, kind: .wrongFieldCount)])
    }

    @Test func tooManyProblemsStopEarly() {
        let rows = Array(repeating: "x", count: 500)
        let error = #expect(throws: RegistryImportError.self) {
            try ReferenceRegistryCSV.rows(([Self.header] + rows).joined(separator: "\n"))
        }
        #expect(error?.problems.count == ReferenceRegistryCSV.maxProblems)
        #expect(error?.truncated == true)
    }

    @Test func messagesNameLineAndColumnButNeverTheValue() {
        let error = RegistryImportError(problems: Self.problems(Self.file(
            Self.anna.replacingOccurrences(of: "1990-05-17", with: "1990-05-77"),
            Self.anna.replacingOccurrences(of: "Петрова", with: "Кузнецова"))))
        #expect(error.description.contains("line 2, column birth_date: not a date"))
        #expect(error.description.contains("line 3, column snils: the same SNILS as line 2"))
        #expect(!error.description.contains("1990-05-77"))
        #expect(!error.description.contains("11223344595") && !error.description.contains("112-233-445"))
    }
}
