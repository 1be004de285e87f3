import Foundation
import Storage
import Support

/// Checks submitted documents against the state registries in the background and moves levels accordingly.
///
/// Submission only queues a check (`next_check_at`); this worker takes due rows, asks the adapter (which may be
/// slow or down), and records the answer in one write with the level change and the audit record. An unavailable
/// registry is retried with back-off; the citizen sees "pending" meanwhile.
public final class RegistryWorker: Sendable {
    private let service: CitizenService
    private let adapter: any RegistryAdapter
    private let pollInterval: Double
    private let loop = WorkerLoop()

    public init(service: CitizenService, adapter: any RegistryAdapter, pollInterval: Double = 2) {
        self.service = service
        self.adapter = adapter
        self.pollInterval = pollInterval
    }

    /// Starts the worker thread; a second call while it runs does nothing.
    public func start() {
        guard loop.begin() else { return }
        let thread = Thread { [self] in
            while !loop.isStopping {
                _ = checkDue()
                loop.waitForWork(seconds: pollInterval)
            }
            loop.finish()
        }
        thread.name = "registry-worker"
        thread.start()
    }

    /// Wakes the worker early (after a submission).
    public func notify() { loop.wake() }

    /// Finishes the current check and stops.
    public func stop() { loop.stopAndWait() }

    /// One pass over the due checks; returns how many got an answer. Tests call it directly.
    @discardableResult
    public func checkDue() -> Int {
        let now = service.clock.now()
        let due: [Int64]
        do {
            due = try service.database.read { db in try self.service.store.documentsDue(now: now, limit: 20, using: db) }
        } catch {
            service.logger.error("registry worker cannot read due checks", ["error_type": String(describing: type(of: error))])
            return 0
        }
        var answered = 0
        for citizenID in due where check(citizenID) { answered += 1 }
        return answered
    }

    private func check(_ citizenID: Int64) -> Bool {
        let service = self.service
        do {
            guard let (query, indexes, attempts) = try service.registryQuery(citizenID: citizenID) else { return false }
            let answer: RegistryAnswer
            do {
                answer = try adapter.check(query)
            } catch let unavailable as RegistryUnavailable {
                let delay = min(3600, 5 * pow(2, Double(min(attempts, 10))))
                let until = service.clock.now().addingTimeInterval(delay)
                try service.database.write { db in try service.store.postponeCheck(citizenID: citizenID, until: until, using: db) }
                service.logger.warning("registry unavailable; will retry", ["citizen": String(citizenID), "reason": unavailable.reason,
                                                                            "retry_in_seconds": String(Int(delay))])
                return false
            }
            try service.database.write { db in
                // The citizen may have changed documents while the registry answered: then this answer is for old data.
                guard let current = try service.store.documents(citizenID: citizenID, using: db),
                      current.snilsIndex == indexes.snils, current.passportIndex == indexes.passport else { return }
                // A SNILS a qualified signature vouched for stays verified: a registry doubt then concerns the name or birth
                // date typed, and the passport's own verdict carries it. The registry's answer is still recorded.
                let bySignature = current.signatureCheckedAt != nil
                let snils = bySignature ? (VerificationStatus.verified, nil) : Self.status(answer.snils)
                try service.store.recordCheck(citizenID: citizenID, snils: snils, passport: Self.status(answer.passport), using: db)
                var details = ["snils": Self.status(answer.snils).0.rawValue, "passport": Self.status(answer.passport).0.rawValue]
                if bySignature { details["snilsKept"] = "signature" }
                try service.record("registry.checked", actor: "system", subject: CitizenService.subject(citizenID), source: nil,
                                   details: details, using: db)
                try service.refreshLevel(citizenID: citizenID, method: "registry", source: nil, using: db)
            }
            return true
        } catch {
            service.logger.error("registry check failed", ["citizen": String(citizenID), "error_type": String(describing: type(of: error))])
            return false
        }
    }

    private static func status(_ check: DocumentCheck) -> (VerificationStatus, String?) {
        switch check {
        case .verified: return (.verified, nil)
        case .rejected(let reason): return (.rejected, reason)
        }
    }
}

extension CitizenService {
    /// What the registry needs to know about a citizen, decrypted, plus the indexes it was built from.
    func registryQuery(citizenID: Int64) throws -> (RegistryQuery, (snils: [UInt8], passport: [UInt8]), Int)? {
        let loaded = try database.read { db in (try self.store.citizen(id: citizenID, using: db), try self.store.documents(citizenID: citizenID, using: db)) }
        // Documents submission always brings a passport and needs a birth date; a certificate's SNILS alone is never queued.
        guard let citizen = loaded.0, let docs = loaded.1, let birthDate = citizen.birthDate,
              let passportIndex = docs.passportIndex, let passportSealed = docs.passportSealed else { return nil }
        let snils = try vault.open(.init(keyID: docs.keyID, bytes: docs.snilsSealed), context: PersonalDataVault.context(citizenID: citizenID, field: "snils"))
        let passport = try PassportData.decode(try vault.open(.init(keyID: docs.keyID, bytes: passportSealed),
                                                              context: PersonalDataVault.context(citizenID: citizenID, field: "passport")))
        let query = RegistryQuery(snils: snils, surname: citizen.surname, givenName: citizen.givenName, patronymic: citizen.patronymic,
                                  birthDate: birthDate, passportSeries: passport.series, passportNumber: passport.number,
                                  passportIssueDate: passport.issueDate)
        return (query, (docs.snilsIndex, passportIndex), docs.checkAttempts)
    }
}
