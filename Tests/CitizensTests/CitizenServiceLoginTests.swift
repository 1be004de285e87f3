@testable import Citizens
import Crypto
import Foundation
import Storage
import Testing

/// Password login, throttling, password changes and data key rotation.
@Suite struct CitizenServiceLoginTests {
    static let source = ServiceHarness.source
    static let password = ServiceHarness.password

    /// Anna with confirmed phone and e-mail and her documents on file.
    static func anna(_ h: ServiceHarness) throws -> Int64 {
        let registration = try h.service.register(ServiceHarness.anna(email: "anna@example.ru"), source: source)
        for contact in registration.contactsToConfirm {
            try h.service.confirmContact(citizenID: registration.citizenID, kind: contact.kind, code: try h.lastCode(to: contact.value),
                                         source: source)
        }
        try h.service.submitDocuments(citizenID: registration.citizenID, form: ServiceHarness.annaDocuments(), source: source)
        return registration.citizenID
    }

    @Test(arguments: ["112-233-445 95", "11223344595", " 112 233 445 95 ", "+7 (916) 123-45-67", "89161234567", "anna@example.ru",
                      "anna@EXAMPLE.RU"])
    func loginWorksBySNILSPhoneOrEmail(identifier: String) throws {
        try withCitizenService { h in
            let id = try Self.anna(h)
            let result = try h.service.login(identifier: identifier, password: Self.password, source: Self.source)
            #expect(result.citizenID == id)
            #expect(try h.service.sessions.validate(token: result.sessionToken)?.subject == "citizen:\(id)")
            #expect(try h.auditKinds().last == "login.succeeded")
        }
    }

    @Test func aWrongPasswordAndAnUnknownAccountGetTheSameAnswer() throws {
        try withCitizenService { h in
            _ = try Self.anna(h)
            let wrongPassword = citizensError { _ = try h.service.login(identifier: "11223344595", password: "Wrong-password-1", source: Self.source) }
            let unknownSNILS = citizensError { _ = try h.service.login(identifier: "987-654-321 83", password: Self.password, source: Self.source) }
            let unknownEmail = citizensError { _ = try h.service.login(identifier: "nobody@example.ru", password: Self.password, source: Self.source) }
            let nonsense = citizensError { _ = try h.service.login(identifier: "", password: "", source: Self.source) }
            #expect(wrongPassword == .wrongCredentials)
            #expect(unknownSNILS == .wrongCredentials && unknownEmail == .wrongCredentials && nonsense == .wrongCredentials)
            #expect(try h.count("sessions") == 1)  // the registration's only
        }
    }

    @Test func anUnconfirmedContactIsNoLogin() throws {
        try withCitizenService { h in
            _ = try h.service.register(ServiceHarness.anna(), source: Self.source)
            #expect(citizensError { _ = try h.service.login(identifier: "+79161234567", password: Self.password, source: Self.source) }
                    == .wrongCredentials)
        }
    }

    @Test func afterTheFreeFailuresLoginIsThrottledWithRetryAfter() throws {
        try withCitizenService { h in
            _ = try Self.anna(h)
            let policy = ThrottlePolicy()
            for _ in 0..<policy.freeFailures {
                #expect(citizensError { _ = try h.service.login(identifier: "11223344595", password: "Wrong-password-1", source: Self.source) }
                        == .wrongCredentials)
            }
            // Even the right password is not looked at now.
            #expect(citizensError { _ = try h.service.login(identifier: "11223344595", password: Self.password, source: Self.source) }
                    == .throttled(retryAfterSeconds: Int(policy.baseDelay)))
            // The same for the account's other identifiers: the counter is per account.
            #expect(citizensError { _ = try h.service.login(identifier: "anna@example.ru", password: Self.password, source: Self.source) }
                    == .throttled(retryAfterSeconds: Int(policy.baseDelay)))
            h.clock.advance(by: policy.baseDelay)
            _ = try h.service.login(identifier: "11223344595", password: Self.password, source: Self.source)
        }
    }

    @Test func unknownAccountsAreThrottledLikeKnownOnes() throws {
        try withCitizenService { h in
            for _ in 0..<ThrottlePolicy().freeFailures {
                _ = citizensError { _ = try h.service.login(identifier: "987-654-321 83", password: "Wrong-password-1", source: Self.source) }
            }
            guard case .throttled? = citizensError({ _ = try h.service.login(identifier: "98765432183", password: "x", source: Self.source) })
            else {
                Issue.record("expected throttled")
                return
            }
        }
    }

    @Test func tenFailuresLockTheAccountForFifteenMinutes() throws {
        try withCitizenService { h in
            _ = try Self.anna(h)
            let policy = ThrottlePolicy()
            for _ in 0..<policy.lockoutAfter {
                #expect(citizensError { _ = try h.service.login(identifier: "11223344595", password: "Wrong-password-1", source: Self.source) }
                        == .wrongCredentials)
                h.clock.advance(by: policy.maxDelay)
            }
            let remaining = Int(policy.lockoutDuration - policy.maxDelay)
            #expect(citizensError { _ = try h.service.login(identifier: "11223344595", password: Self.password, source: Self.source) }
                    == .throttled(retryAfterSeconds: remaining))
            h.clock.advance(by: Double(remaining))
            _ = try h.service.login(identifier: "11223344595", password: Self.password, source: Self.source)
        }
    }

    @Test func aSuccessfulLoginResetsTheAccountCounter() throws {
        try withCitizenService { h in
            let id = try Self.anna(h)
            func fail() -> CitizensError.Code? {
                citizensError { _ = try h.service.login(identifier: "11223344595", password: "Wrong-password-1", source: Self.source) }
            }
            #expect(fail() == .wrongCredentials && fail() == .wrongCredentials)
            _ = try h.service.login(identifier: "11223344595", password: Self.password, source: Self.source)
            #expect(try h.database.read { try $0.queryOne("SELECT COUNT(*) FROM login_throttle WHERE key = ?", [.text("account:\(id)")])!.int(0) } == 0)
            // Two more failures are free again: four in a row would have been throttled.
            #expect(fail() == .wrongCredentials && fail() == .wrongCredentials)
            _ = try h.service.login(identifier: "11223344595", password: Self.password, source: Self.source)
        }
    }

    @Test func aCheaperPasswordHashIsUpgradedAtLogin() throws {
        try withCitizenService { h in
            let id = try Self.anna(h)
            func storedParameters() throws -> ScryptParameters? {
                let hash = try h.database.read { try $0.queryOne("SELECT password_hash FROM citizens WHERE id = ?", [.integer(id)])!.string(0) }
                return PasswordHash.parameters(of: hash)
            }
            #expect(try storedParameters() == ServiceHarness.cheapScrypt)
            var settings = CitizenSettings()
            settings.passwordParameters = ScryptParameters(logN: 11, r: 8, p: 1)
            try h.reopen(settings: settings)
            _ = try h.service.login(identifier: "anna@example.ru", password: Self.password, source: Self.source)
            #expect(try storedParameters() == settings.passwordParameters)
            let records = try h.database.read { try h.audit.records(subject: "citizen:\(id)", limit: 1, using: $0) }
            #expect(records.first?.event.details["rehashed"] == "yes")
            _ = try h.service.login(identifier: "anna@example.ru", password: Self.password, source: Self.source)
        }
    }

    @Test func logoutEndsTheSession() throws {
        try withCitizenService { h in
            _ = try Self.anna(h)
            let login = try h.service.login(identifier: "anna@example.ru", password: Self.password, source: Self.source)
            try h.service.logout(token: login.sessionToken, source: Self.source)
            #expect(try h.service.sessions.validate(token: login.sessionToken) == nil)
            #expect(try h.auditKinds().last == "logout")
        }
    }

    // MARK: Account changes

    @Test func changingThePasswordEndsEveryOtherSessionAndNotifiesTheContacts() throws {
        try withCitizenService { h in
            let id = try Self.anna(h)
            let first = try h.service.login(identifier: "anna@example.ru", password: Self.password, source: Self.source)
            let second = try h.service.login(identifier: "11223344595", password: Self.password, source: Self.source)
            let outboxBefore = try h.count("outbox")
            try h.service.changePassword(citizenID: id, current: Self.password, new: "Zelenyi-Ostrov-2024", newRepeat: nil,
                                         keepSession: second.session.handle, source: Self.source)
            #expect(try h.service.sessions.validate(token: first.sessionToken) == nil)
            #expect(try h.service.sessions.validate(token: second.sessionToken) != nil)
            #expect(try h.service.sessions.list(subject: "citizen:\(id)").map(\.handle) == [second.session.handle])
            #expect(try h.count("outbox") == outboxBefore + 2)
            #expect(citizensError { _ = try h.service.login(identifier: "anna@example.ru", password: Self.password, source: Self.source) }
                    == .wrongCredentials)
            _ = try h.service.login(identifier: "anna@example.ru", password: "Zelenyi-Ostrov-2024", source: Self.source)
        }
    }

    @Test func aWrongCurrentPasswordChangesNothing() throws {
        try withCitizenService { h in
            let id = try Self.anna(h)
            #expect(citizensError {
                try h.service.changePassword(citizenID: id, current: "Not-my-password-1", new: "Zelenyi-Ostrov-2024", newRepeat: nil,
                                             keepSession: nil, source: Self.source)
            } == .invalid([FieldError(field: "currentPassword", code: .mismatch)]))
            _ = try h.service.login(identifier: "anna@example.ru", password: Self.password, source: Self.source)
        }
    }

    @Test func aNewPasswordMayNotContainTheSNILSOnFile() throws {
        try withCitizenService { h in
            let id = try Self.anna(h)
            #expect(citizensError {
                try h.service.changePassword(citizenID: id, current: Self.password, new: "Moi-nomer-112233445", newRepeat: nil,
                                             keepSession: nil, source: Self.source)
            } == .invalid([FieldError(field: "password", code: .containsPersonalData)]))
        }
    }

    @Test func wrongCurrentPasswordsAreThrottledWithTheRealRetryAfter() throws {
        try withCitizenService { h in
            let id = try Self.anna(h)
            func change() -> CitizensError.Code? {
                citizensError {
                    try h.service.changePassword(citizenID: id, current: "Not-my-password-1", new: "Zelenyi-Ostrov-2024", newRepeat: nil,
                                                 keepSession: nil, source: Self.source)
                }
            }
            for _ in 0..<ThrottlePolicy().freeFailures { #expect(change() == .invalid([FieldError(field: "currentPassword", code: .mismatch)])) }
            #expect(change() == .throttled(retryAfterSeconds: 1))
            // The counter is the account's: login waits too.
            #expect(citizensError { _ = try h.service.login(identifier: "anna@example.ru", password: Self.password, source: Self.source) }
                    == .throttled(retryAfterSeconds: 1))
        }
    }

    // MARK: Data key rotation

    @Test func rotatingTheDataKeyMovesEveryRowToTheNewKeyAndKeepsProfilesReadable() throws {
        let keys = FileManager.default.temporaryDirectory.appendingPathComponent("citizen-keys-\(UUID().uuidString)")
        try FileManager.default.copyItem(atPath: exampleKeysDirectory, toPath: keys.path)
        defer { try? FileManager.default.removeItem(at: keys) }
        let oldRing = try DataKeyRing.load(directory: keys.path)
        try withCitizenService(dataKeys: oldRing) { h in
            let anna = try Self.anna(h)
            let ivan = try h.confirmedCitizen(ServiceHarness.ivan())
            try h.service.submitDocuments(citizenID: ivan, form: ServiceHarness.ivanDocuments(), source: Self.source)
            let before = try [anna, ivan].map { try h.service.profile(citizenID: $0) }

            let newID = try DataKeyRing.addKey(directory: keys.path)
            let newRing = try DataKeyRing.load(directory: keys.path)
            #expect(newRing.currentID == newID && newRing.ids.contains(oldRing.currentID))
            try h.reopen(dataKeys: newRing)
            // Rows under the old key stay readable before the re-encryption.
            #expect(try [anna, ivan].map { try h.service.profile(citizenID: $0) } == before)

            #expect(try h.service.reencryptDocuments(batchSize: 1) == 2)
            let keyIDs: [String] = try h.database.read { try $0.query("SELECT key_id FROM citizen_documents").map { try $0.string(0) } }
            #expect(keyIDs == [newID, newID])
            #expect(try [anna, ivan].map { try h.service.profile(citizenID: $0) } == before)
            #expect(try h.service.reencryptDocuments() == 0)

            // Once rotated, the old key is no longer needed.
            try h.reopen(dataKeys: try DataKeyRing(currentID: newID, keys: [newID: newRing.currentKey]))
            #expect(try [anna, ivan].map { try h.service.profile(citizenID: $0) } == before)
            #expect(try h.audit.verify(database: h.database) == .intact(records: Int64(try h.count("audit_log"))))
        }
    }
}
