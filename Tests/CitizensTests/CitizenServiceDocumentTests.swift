@testable import Citizens
import Foundation
import Storage
import Testing

/// Identity documents: validation, uniqueness across accounts, encryption at rest, and the registry worker.
@Suite struct CitizenServiceDocumentTests {
    static let source = ServiceHarness.source

    @Test func invalidDocumentsAreRefusedWithEveryErrorAndChangeNothing() throws {
        try withCitizenService { h in
            let id = try h.confirmedCitizen()
            var form = ServiceHarness.annaDocuments()
            form.snils = "112-233-445 96"
            form.passportSeries = "45"
            form.passportIssueDate = "2000-01-01"  // before her 14th birthday
            form.inn = "123"
            form.postalCode = "1190"
            guard case .invalid(let errors)? = citizensError({ try h.service.submitDocuments(citizenID: id, form: form, source: Self.source) })
            else {
                Issue.record("expected invalid")
                return
            }
            #expect(Set(errors.map(\.field)) == ["snils", "passportSeries", "passportIssueDate", "inn", "address.postalCode"])
            #expect(errors.contains(FieldError(field: "snils", code: .badChecksum)))
            #expect(try h.count("citizen_documents") == 0)
            #expect(try h.service.profile(citizenID: id).documents == nil)
            #expect(!(try h.auditKinds().contains { $0.hasPrefix("documents.") }))
        }
    }

    @Test func invalidResubmissionKeepsTheDocumentsOnFile() throws {
        try withCitizenService { h in
            let id = try h.confirmedCitizen()
            try h.service.submitDocuments(citizenID: id, form: ServiceHarness.annaDocuments(), source: Self.source)
            let before = try h.service.profile(citizenID: id)
            var form = ServiceHarness.annaDocuments(snils: "987-654-321 83")
            form.passportIssuer = ""
            #expect(citizensError { try h.service.submitDocuments(citizenID: id, form: form, source: Self.source) }
                    == .invalid([FieldError(field: "passportIssuer", code: .required)]))
            #expect(try h.service.profile(citizenID: id) == before)
        }
    }

    @Test func documentsNeedAConfirmedContact() throws {
        try withCitizenService { h in
            let id = try h.service.register(ServiceHarness.anna(), source: Self.source).citizenID
            #expect(citizensError { try h.service.submitDocuments(citizenID: id, form: ServiceHarness.annaDocuments(), source: Self.source) }
                    == .contactNotConfirmed)
        }
    }

    @Test func submittedDocumentsShowMaskedAndPending() throws {
        try withCitizenService { h in
            let id = try h.confirmedCitizen()
            try h.service.submitDocuments(citizenID: id, form: ServiceHarness.annaDocuments(inn: "585204118212"), source: Self.source)
            let docs = try #require(try h.service.profile(citizenID: id).documents)
            #expect(docs.snilsMasked == "***-***-445 95")
            #expect(docs.passportMasked == "** ** ****56")
            #expect(docs.snilsStatus == .pending && docs.passportStatus == .pending && docs.hasINN)
            #expect(try h.service.citizenID(snils: "11223344595") == id)
        }
    }

    /// Two confirmed accounts submit `first` and `second` at the same moment from two threads.
    static func race(_ h: ServiceHarness, _ a: Int64, _ first: DocumentsForm, _ b: Int64, _ second: DocumentsForm) -> [CitizensError.Code?] {
        let start = DispatchSemaphore(value: 0)
        let group = DispatchGroup()
        let results = ResultBox()
        for (index, (id, form)) in [(a, first), (b, second)].enumerated() {
            group.enter()
            Thread {
                start.wait()
                let outcome = citizensError { try h.service.submitDocuments(citizenID: id, form: form, source: Self.source) }
                results.set(index, outcome)
                group.leave()
            }.start()
        }
        start.signal()
        start.signal()
        group.wait()
        return results.values
    }

    final class ResultBox: @unchecked Sendable {
        private let lock = NSLock()
        private var stored: [CitizensError.Code?] = [nil, nil]
        func set(_ index: Int, _ value: CitizensError.Code?) { lock.withLock { stored[index] = value } }
        var values: [CitizensError.Code?] { lock.withLock { stored } }
    }

    @Test(arguments: ["snils", "passport"])
    func concurrentSubmissionsOfTheSameDocumentLetExactlyOneAccountHaveIt(shared: String) throws {
        try withCitizenService { h in
            for round in 0..<5 {
                let a = try h.confirmedCitizen(ServiceHarness.anna(phone: "+7916000\(round)001"))
                let b = try h.confirmedCitizen(ServiceHarness.ivan(phone: "+7916000\(round)002"))
                // Each round uses fresh numbers; only the shared document is the same on both forms.
                let snilsA = Self.snils(100 + round * 2), snilsB = Self.snils(101 + round * 2)
                let first = ServiceHarness.annaDocuments(snils: snilsA, number: "10000\(round)")
                var second = ServiceHarness.annaDocuments(snils: shared == "snils" ? snilsA : snilsB,
                                                          number: shared == "passport" ? "10000\(round)" : "20000\(round)")
                second.passportIssueDate = "2005-04-02"
                let outcomes = Self.race(h, a, first, b, second)
                #expect(outcomes.filter { $0 == nil }.count == 1, "round \(round): \(outcomes)")
                #expect(outcomes.filter { $0 == .duplicateAccount }.count == 1, "round \(round): \(outcomes)")
                let winner = outcomes[0] == nil ? a : b, loser = outcomes[0] == nil ? b : a
                #expect(try h.service.profile(citizenID: winner).documents != nil)
                #expect(try h.service.profile(citizenID: loser).documents == nil)
            }
            #expect(try h.count("citizen_documents") == 5)
            #expect(try h.auditKinds().filter { $0 == "documents.duplicate" }.count == 5)
        }
    }

    @Test func theDuplicateErrorAndItsAuditRecordNameNoOtherAccount() throws {
        try withCitizenService { h in
            let anna = try h.confirmedCitizen(ServiceHarness.anna())
            try h.service.submitDocuments(citizenID: anna, form: ServiceHarness.annaDocuments(), source: Self.source)
            let annaProfile = try h.service.profile(citizenID: anna)
            let ivan = try h.confirmedCitizen(ServiceHarness.ivan())
            var caught: (any Error)?
            do {
                try h.service.submitDocuments(citizenID: ivan, form: ServiceHarness.annaDocuments(number: "999999"), source: Self.source)
            } catch {
                caught = error
            }
            let error = try #require(caught as? CitizensError)
            #expect(error.code == .duplicateAccount)
            let texts = [String(describing: error), String(reflecting: error), error.localizedDescription]
            let records = try h.database.read { try h.audit.records(subject: "citizen:\(ivan)", limit: 10, using: $0) }
            let duplicate = try #require(records.first { $0.event.kind == "documents.duplicate" })
            let auditText = "\(duplicate.event)"
            for text in texts + [auditText] {
                for secret in [annaProfile.publicID, "citizen:\(anna)", "Петрова", "Анна", "11223344595", "445 95"] {
                    #expect(!text.contains(secret), "\(text) reveals \(secret)")
                }
            }
        }
    }

    /// The SNILS with these first nine digits (from 002-000-000 up) and its check digits.
    static func snils(_ n: Int) -> String {
        let firstNine = String(2_000_000 + n).leftPadded(to: 9)
        return firstNine + SNILS.checkDigits(forFirstNine: firstNine)
    }

    // MARK: Encryption at rest

    @Test func theDatabaseFilesHoldNoPlaintextSNILSPassportOrINN() throws {
        try withCitizenService { h in
            let id = try h.confirmedCitizen()
            var form = ServiceHarness.annaDocuments(snils: "715-398-174 20", series: "4611", number: "731904", inn: "376864406601")
            form.passportIssueDate = "2011-02-03"
            try h.service.submitDocuments(citizenID: id, form: form, source: Self.source)
            // Touch the row again so the WAL holds more than one version of it.
            form.house = "18"
            try h.service.submitDocuments(citizenID: id, form: form, source: Self.source)
            #expect(try h.service.profile(citizenID: id).documents?.hasINN == true)

            let needles = ["71539817420", "715-398-174 20", "715-398-17420", "715 398 174 20", "715398174",
                           "4611731904", "4611 731904", "46 11 731904", "731904",
                           "376864406601", "3768 6440 6601"]
            var scanned = 0
            for suffix in ["", "-wal", "-shm", "-journal"] {
                let path = h.databasePath + suffix
                guard let data = FileManager.default.contents(atPath: path) else { continue }
                scanned += data.count
                let bytes = [UInt8](data)
                for needle in needles {
                    for encoding in [Array(needle.utf8), Array(needle.utf16).flatMap { [UInt8($0 & 0xff), UInt8($0 >> 8)] }] {
                        #expect(!Self.contains(bytes, encoding), "\(needle) found in test.sqlite\(suffix)")
                    }
                }
            }
            #expect(scanned > 0)
            // The scan would see plaintext: the registration's phone number is stored as typed.
            let main = [UInt8](FileManager.default.contents(atPath: h.databasePath) ?? Data())
                + [UInt8](FileManager.default.contents(atPath: h.databasePath + "-wal") ?? Data())
            #expect(Self.contains(main, Array("+79161234567".utf8)))
        }
    }

    static func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        guard !needle.isEmpty, haystack.count >= needle.count else { return false }
        let first = needle[0]
        var i = 0
        let last = haystack.count - needle.count
        while i <= last {
            if haystack[i] == first && Array(haystack[i..<(i + needle.count)]) == needle { return true }
            i += 1
        }
        return false
    }
}
