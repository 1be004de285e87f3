@testable import Citizens
import Foundation
import Storage
import Testing

/// The registry worker against the example reference registry and against a registry that is down.
@Suite struct CitizenServiceRegistryTests {
    static let source = ServiceHarness.source

    /// The reference registry of docs/examples/reference-registry.csv on the harness's database and index key.
    static func exampleRegistry(_ h: ServiceHarness) throws -> ReferenceRegistry {
        let registry = ReferenceRegistry(database: h.database, indexKey: h.indexKey.bytes)
        #expect(try registry.importCSV(String(contentsOfFile: exampleRegistryFile, encoding: .utf8)) == 6)
        return registry
    }

    @Test func matchingDocumentsAreVerifiedAndTheAccountBecomesStandard() throws {
        try withCitizenService { h in
            let worker = RegistryWorker(service: h.service, adapter: try Self.exampleRegistry(h))
            let anna = try h.confirmedCitizen(ServiceHarness.anna())
            let ivan = try h.confirmedCitizen(ServiceHarness.ivan())
            try h.service.submitDocuments(citizenID: anna, form: ServiceHarness.annaDocuments(), source: Self.source)
            try h.service.submitDocuments(citizenID: ivan, form: ServiceHarness.ivanDocuments(), source: Self.source)
            #expect(worker.checkDue() == 2)
            for id in [anna, ivan] {
                let profile = try h.service.profile(citizenID: id)
                #expect(profile.level == .standard)
                #expect(profile.evidence.method == "registry")
                #expect(profile.documents?.snilsStatus == .verified && profile.documents?.passportStatus == .verified)
            }
            #expect(worker.checkDue() == 0)
            #expect(try h.auditKinds(subject: "citizen:\(anna)").suffix(2) == ["registry.checked", "level.changed"])
        }
    }

    @Test func aNameMismatchIsRejectedWithItsReasonAndTheAccountStaysSimplified() throws {
        try withCitizenService { h in
            let worker = RegistryWorker(service: h.service, adapter: try Self.exampleRegistry(h))
            var form = ServiceHarness.anna()
            form.patronymic = "Петровна"
            let id = try h.confirmedCitizen(form)
            try h.service.submitDocuments(citizenID: id, form: ServiceHarness.annaDocuments(), source: Self.source)
            #expect(worker.checkDue() == 1)
            let profile = try h.service.profile(citizenID: id)
            #expect(profile.level == .simplified)
            #expect(profile.documents?.snilsStatus == .rejected)
            #expect(profile.documents?.snilsReason == RegistryRejection.nameMismatch)
            #expect(profile.documents?.passportStatus == .rejected)
            #expect(profile.documents?.passportReason == RegistryRejection.passportNotOfPerson)
        }
    }

    @Test func correctedDocumentsAfterARejectionAreCheckedAgain() throws {
        try withCitizenService { h in
            let worker = RegistryWorker(service: h.service, adapter: try Self.exampleRegistry(h))
            let id = try h.confirmedCitizen(ServiceHarness.anna())
            var wrongDate = ServiceHarness.annaDocuments()
            wrongDate.passportIssueDate = "2010-06-02"
            try h.service.submitDocuments(citizenID: id, form: wrongDate, source: Self.source)
            worker.checkDue()
            #expect(try h.service.profile(citizenID: id).documents?.passportReason == RegistryRejection.issueDateMismatch)
            // Same numbers, corrected date: the rejected passport is checked again.
            try h.service.submitDocuments(citizenID: id, form: ServiceHarness.annaDocuments(), source: Self.source)
            #expect(try h.service.profile(citizenID: id).documents?.passportStatus == .pending)
            #expect(worker.checkDue() == 1)
            #expect(try h.service.profile(citizenID: id).level == .standard)
        }
    }

    @Test func anUnavailableRegistryLeavesDocumentsPendingAndIsRetriedLater() throws {
        try withCitizenService { h in
            let adapter = FlakyRegistry(answering: try Self.exampleRegistry(h))
            let worker = RegistryWorker(service: h.service, adapter: adapter)
            let id = try h.confirmedCitizen(ServiceHarness.anna())
            try h.service.submitDocuments(citizenID: id, form: ServiceHarness.annaDocuments(), source: Self.source)
            #expect(worker.checkDue() == 0)
            #expect(adapter.calls == 1)
            var profile = try h.service.profile(citizenID: id)
            #expect(profile.level == .simplified && profile.documents?.snilsStatus == .pending)

            // Not retried before its back-off has passed (5 s after the first failure, then 10 s, ...).
            #expect(worker.checkDue() == 0)
            #expect(adapter.calls == 1)
            h.clock.advance(by: 5)
            #expect(worker.checkDue() == 0)
            #expect(adapter.calls == 2)
            h.clock.advance(by: 5)
            #expect(worker.checkDue() == 0)
            #expect(adapter.calls == 2)

            adapter.down = false
            h.clock.advance(by: 5)
            #expect(worker.checkDue() == 1)
            #expect(adapter.calls == 3)
            profile = try h.service.profile(citizenID: id)
            #expect(profile.level == .standard && profile.documents?.snilsStatus == .verified)
        }
    }

    @Test func anAnswerForDocumentsChangedMeanwhileIsDropped() throws {
        try withCitizenService { h in
            let registry = try Self.exampleRegistry(h)
            let adapter = FlakyRegistry(answering: registry)
            adapter.down = false
            let worker = RegistryWorker(service: h.service, adapter: adapter)
            let id = try h.confirmedCitizen(ServiceHarness.anna())
            try h.service.submitDocuments(citizenID: id, form: ServiceHarness.annaDocuments(), source: Self.source)
            adapter.beforeAnswer = {
                try? h.service.submitDocuments(citizenID: id, form: ServiceHarness.annaDocuments(number: "654321"), source: Self.source)
            }
            worker.checkDue()
            let docs = try #require(try h.service.profile(citizenID: id).documents)
            #expect(docs.passportStatus == .pending && docs.passportMasked == "** ** ****21")
        }
    }
}

/// A registry that throws `RegistryUnavailable` while `down`, else answers as the wrapped one.
final class FlakyRegistry: RegistryAdapter, @unchecked Sendable {
    private let lock = NSLock()
    private let inner: any RegistryAdapter
    private var isDown = true
    private var callCount = 0
    var beforeAnswer: () -> Void = {}

    init(answering inner: any RegistryAdapter) { self.inner = inner }

    var down: Bool {
        get { lock.withLock { isDown } }
        set { lock.withLock { isDown = newValue } }
    }

    var calls: Int { lock.withLock { callCount } }

    func check(_ query: RegistryQuery) throws -> RegistryAnswer {
        let down = lock.withLock { callCount += 1; return isDown }
        if down { throw RegistryUnavailable(reason: "test: registry down") }
        beforeAnswer()
        return try inner.check(query)
    }
}
