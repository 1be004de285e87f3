import Foundation
import Storage
import Testing
@testable import Citizens

/// Opens a migrated database in a fresh temporary directory with a reference registry on it,
/// runs `body`, then closes the database and removes the directory.
func withReferenceRegistry(_ body: (ReferenceRegistry, Database, URL) throws -> Void) throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("registry-tests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let database = try Database(path: directory.appendingPathComponent("test.sqlite").path)
    defer { database.close() }
    try database.migrate(ReferenceRegistry.migrations)
    try body(ReferenceRegistry(database: database, indexKey: Array(repeating: 7, count: 32)), database, directory)
}

/// The reference registry adapter: import into the database and the checks against it.
@Suite struct RegistryReferenceTests {
    static let people = RegistryCSVTests.file(
        RegistryCSVTests.anna,
        RegistryCSVTests.ivan,
        "234-567-890 99,Сидоров,Пётр,Алексеевич,1978-11-30,4023,112233,2023-12-15,valid",
        "456-789-012 38,Волков,Дмитрий,Николаевич,1969-07-07,4514,000111,2014-07-20,invalid",
        "345-678-901 23,Смирнова,Ольга,,2001-02-28,4615,778899,2015-03-10,valid")

    /// Anna as she registered: everything matches the registry.
    static let anna = RegistryQuery(snils: "11223344595", surname: "Петрова", givenName: "Анна", patronymic: "Сергеевна",
                                    birthDate: "1990-05-17", passportSeries: "4508", passportNumber: "123456",
                                    passportIssueDate: "2010-06-01")

    static func rejected(_ reason: String) -> DocumentCheck { .rejected(reason: reason) }

    @Test func importThenEveryoneChecksOut() throws {
        try withReferenceRegistry { (registry, _, _) throws in
            #expect(try registry.importCSV(Self.people) == 5)
            #expect(try registry.count() == 5)
            #expect(try registry.check(Self.anna) == RegistryAnswer(snils: .verified, passport: .verified))
            let ivan = RegistryQuery(snils: "12345678964", surname: "Иванов", givenName: "Иван", patronymic: "Иванович",
                                     birthDate: "1985-03-14", passportSeries: "4505", passportNumber: "135790",
                                     passportIssueDate: "2005-04-02")
            #expect(try registry.check(ivan) == RegistryAnswer(snils: .verified, passport: .verified))
        }
    }

    @Test func namesAreComparedTrimmedCaseFoldedWithYoAsYe() throws {
        try withReferenceRegistry { (registry, _, _) throws in
            try registry.importCSV(Self.people)
            let petr = RegistryQuery(snils: "234-567-890 99", surname: "  СИДОРОВ ", givenName: "петр", patronymic: "алексеевич",
                                     birthDate: "1978-11-30", passportSeries: "40 23", passportNumber: "112233",
                                     passportIssueDate: "2023-12-15")
            #expect(try registry.check(petr) == RegistryAnswer(snils: .verified, passport: .verified))
            var olga = RegistryQuery(snils: "34567890123", surname: "Смирнова", givenName: "Ольга", patronymic: nil,
                                     birthDate: "2001-02-28", passportSeries: "4615", passportNumber: "778899",
                                     passportIssueDate: "2015-03-10")
            #expect(try registry.check(olga) == RegistryAnswer(snils: .verified, passport: .verified))
            olga.patronymic = " "
            #expect(try registry.check(olga) == RegistryAnswer(snils: .verified, passport: .verified))
            olga.patronymic = "Петровна"
            #expect(try registry.check(olga) == RegistryAnswer(snils: Self.rejected("nameMismatch"),
                                                               passport: Self.rejected("passportNotOfPerson")))
        }
    }

    @Test func nameMismatch() throws {
        try withReferenceRegistry { (registry, _, _) throws in
            try registry.importCSV(Self.people)
            var query = Self.anna
            query.surname = "Петровa" // a Latin "a" at the end
            #expect(try registry.check(query) == RegistryAnswer(snils: Self.rejected(RegistryRejection.nameMismatch),
                                                                passport: Self.rejected(RegistryRejection.passportNotOfPerson)))
        }
    }

    @Test func birthDateMismatch() throws {
        try withReferenceRegistry { (registry, _, _) throws in
            try registry.importCSV(Self.people)
            var query = Self.anna
            query.birthDate = "1990-05-18"
            #expect(try registry.check(query).snils == Self.rejected(RegistryRejection.birthDateMismatch))
        }
    }

    @Test func unknownSNILSAndPassportAreNotFound() throws {
        try withReferenceRegistry { (registry, _, _) throws in
            try registry.importCSV(Self.people)
            var query = Self.anna
            query.snils = "98765432183"
            query.passportNumber = "999999"
            #expect(try registry.check(query) == RegistryAnswer(snils: Self.rejected(RegistryRejection.notFound),
                                                                passport: Self.rejected(RegistryRejection.notFound)))
        }
    }

    @Test func invalidPassport() throws {
        try withReferenceRegistry { (registry, _, _) throws in
            try registry.importCSV(Self.people)
            let dmitry = RegistryQuery(snils: "45678901238", surname: "Волков", givenName: "Дмитрий", patronymic: "Николаевич",
                                       birthDate: "1969-07-07", passportSeries: "4514", passportNumber: "000111",
                                       passportIssueDate: "2014-07-20")
            #expect(try registry.check(dmitry) == RegistryAnswer(snils: .verified,
                                                                 passport: Self.rejected(RegistryRejection.passportInvalid)))
        }
    }

    @Test func passportOfAnotherPerson() throws {
        try withReferenceRegistry { (registry, _, _) throws in
            try registry.importCSV(Self.people)
            var query = Self.anna
            (query.passportSeries, query.passportNumber, query.passportIssueDate) = ("4505", "135790", "2005-04-02") // Ivan's
            #expect(try registry.check(query) == RegistryAnswer(snils: .verified,
                                                                passport: Self.rejected(RegistryRejection.passportNotOfPerson)))
        }
    }

    @Test func issueDateMismatch() throws {
        try withReferenceRegistry { (registry, _, _) throws in
            try registry.importCSV(Self.people)
            var query = Self.anna
            query.passportIssueDate = "2010-06-02"
            #expect(try registry.check(query) == RegistryAnswer(snils: .verified,
                                                                passport: Self.rejected(RegistryRejection.issueDateMismatch)))
        }
    }

    @Test func importReplacesTheOldContents() throws {
        try withReferenceRegistry { (registry, _, _) throws in
            try registry.importCSV(Self.people)
            #expect(try registry.importCSV(RegistryCSVTests.file(RegistryCSVTests.ivan)) == 1)
            #expect(try registry.count() == 1)
            #expect(try registry.check(Self.anna).snils == Self.rejected(RegistryRejection.notFound))
        }
    }

    @Test func failingImportLeavesThePreviousRegistry() throws {
        try withReferenceRegistry { (registry, _, _) throws in
            try registry.importCSV(Self.people)
            let bad = RegistryCSVTests.file(RegistryCSVTests.ivan, "11223344596,Петрова,Анна,,1990-05-17,4508,123456,2010-06-01,valid")
            let error = #expect(throws: RegistryImportError.self) { try registry.importCSV(bad) }
            #expect(error?.problems == [.init(line: 3, column: "snils", kind: .snilsChecksum)])
            #expect(try registry.count() == 5)
            #expect(try registry.check(Self.anna) == RegistryAnswer(snils: .verified, passport: .verified))
        }
    }

    @Test func databaseFailureIsUnavailableNotRejected() throws {
        try withReferenceRegistry { (registry, database, _) throws in
            try registry.importCSV(Self.people)
            database.close()
            #expect(throws: RegistryUnavailable.self) { try registry.check(Self.anna) }
        }
    }

    @Test func storedBytesHoldNoPlaintextSNILSOrPassportNumber() throws {
        try withReferenceRegistry { (registry, database, directory) throws in
            try registry.importCSV(Self.people)
            database.close() // checkpoints the WAL into the main file; both are searched anyway
            var files = [UInt8]()
            for name in try FileManager.default.contentsOfDirectory(atPath: directory.path) {
                files += try Array(Data(contentsOf: directory.appendingPathComponent(name)))
            }
            #expect(files.count > 0)
            // The names are stored in the clear, so the search itself works.
            #expect(Self.contains(files, "Петрова"))
            for secret in ["11223344595", "112-233-445", "4508123456", "123456", "12345678964", "135790",
                           "45678901238", "23456789099", "000111", "778899", "112233"] {
                #expect(!Self.contains(files, secret), "found \(secret) in the database files")
            }
        }
    }

    static func contains(_ haystack: [UInt8], _ needle: String) -> Bool {
        let needle = Array(needle.utf8)
        guard haystack.count >= needle.count else { return false }
        return (0...(haystack.count - needle.count)).contains { start in
            haystack[start..<(start + needle.count)].elementsEqual(needle)
        }
    }
}
