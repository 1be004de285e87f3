import Foundation
import Testing
@testable import Citizens

/// docs/examples/reference-registry.csv, the registry `make run` loads: it must import and hold only real checksums.
@Suite struct RegistryExampleTests {
    static var exampleURL: URL {
        URL(fileURLWithPath: #filePath)            // Tests/CitizensTests/RegistryExampleTests.swift
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("docs/examples/reference-registry.csv")
    }

    /// An independent SNILS checksum (ESIA-PROTOCOL §11.1), so the file is not judged by the code it tests.
    static func checksumHolds(_ snils: String) -> Bool {
        let d = snils.compactMap(\.wholeNumberValue)
        guard d.count == 11 else { return false }
        let sum = zip(d.prefix(9), (1...9).reversed()).map { $0 * $1 }.reduce(0, +)
        return (sum % 101) % 100 == d[9] * 10 + d[10]
    }

    @Test func checksumVectorsFromTheProtocolNotes() {
        #expect(Self.checksumHolds("112-233-445 95"))
        #expect(Self.checksumHolds("987-654-321 83"))
        #expect(Self.checksumHolds("715-398-174 20"))
        #expect(!Self.checksumHolds("715-398-174 21"))
    }

    @Test func exampleImportsCleanlyAndEverySNILSPassesTheChecksum() throws {
        let text = try String(contentsOf: Self.exampleURL, encoding: .utf8)
        let rows = try ReferenceRegistryCSV.rows(text)
        #expect((5...8).contains(rows.count))
        for row in rows { #expect(Self.checksumHolds(row.snils), "line \(row.line)") }
        #expect(rows.contains { !$0.passportValid })
        try withReferenceRegistry { (registry, _, _) throws in
            #expect(try registry.importCSV(text) == rows.count)
            for row in rows {
                let query = RegistryQuery(snils: row.snils, surname: row.surname, givenName: row.givenName,
                                          patronymic: row.patronymic, birthDate: row.birthDate,
                                          passportSeries: row.passportSeries, passportNumber: row.passportNumber,
                                          passportIssueDate: row.passportIssueDate)
                let passport: DocumentCheck = row.passportValid ? .verified : .rejected(reason: RegistryRejection.passportInvalid)
                #expect(try registry.check(query) == RegistryAnswer(snils: .verified, passport: passport))
            }
        }
    }
}
