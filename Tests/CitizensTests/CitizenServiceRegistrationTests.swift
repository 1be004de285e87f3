import Audit
@testable import Citizens
import Foundation
import Storage
import Testing

/// Registration and contact confirmation codes.
@Suite struct CitizenServiceRegistrationTests {
    static let source = ServiceHarness.source

    @Test func registrationReportsEveryFieldErrorAtOnceAndStoresNothing() throws {
        try withCitizenService { h in
            var form = RegistrationForm()
            form.surname = "Petrova1"
            form.givenName = ""
            form.birthDate = "2099-01-01"
            form.gender = "x"
            form.phone = "12345"
            form.email = "not-an-address"
            form.password = "short"
            form.consent = false
            guard case .invalid(let errors)? = citizensError({ _ = try h.service.register(form, source: Self.source) }) else {
                Issue.record("expected invalid")
                return
            }
            let fields = Set(errors.map(\.field))
            for field in ["surname", "givenName", "birthDate", "gender", "phone", "email", "password", "consent"] {
                #expect(fields.contains(field), "no error for \(field): \(errors)")
            }
            for table in ["citizens", "citizen_contacts", "contact_codes", "outbox", "sessions", "audit_log"] {
                let rows = try h.count(table)
                #expect(rows == 0, "\(table) has rows")
            }
        }
    }

    @Test func registrationNeedsAPhoneOrAnEmail() throws {
        try withCitizenService { h in
            let form = ServiceHarness.anna(phone: "", email: "")
            guard case .invalid(let errors)? = citizensError({ _ = try h.service.register(form, source: Self.source) }) else {
                Issue.record("expected invalid")
                return
            }
            #expect(errors == [FieldError(field: "phone", code: .required), FieldError(field: "email", code: .required)])
        }
    }

    @Test func registrationStoresTheCodeOnlyAsAHashAndSendsItInTheOutbox() throws {
        try withCitizenService { h in
            let registration = try h.service.register(ServiceHarness.anna(email: "Anna@Example.RU"), source: Self.source)
            #expect(registration.contactsToConfirm.map(\.kind) == [.phone, .email])
            // The domain is lower-cased; the local part is kept as typed (RFC 5321 leaves its case to the mailbox's host).
            #expect(registration.contactsToConfirm.map(\.value) == ["+79161234567", "Anna@example.ru"])
            #expect(try h.count("citizens") == 1 && h.count("citizen_contacts") == 2 && h.count("outbox") == 2)

            let codes = try registration.contactsToConfirm.map { try h.lastCode(to: $0.value) }
            let stored: [(Int64, [UInt8])] = try h.database.read {
                try $0.query("SELECT contact_id, code_hash FROM contact_codes ORDER BY contact_id").map { (try $0.int64(0), try $0.blob(1)) }
            }
            #expect(stored.count == 2)
            for ((contactID, hash), (contact, code)) in zip(stored, zip(registration.contactsToConfirm, codes)) {
                #expect(contactID == contact.id)
                #expect(hash == h.service.contactCodeHash(contactID: contactID, code: code))
            }
            // No column of contact_codes, read as text, holds a code.
            let asText: [String] = try h.database.read { db in
                try db.query("SELECT quote(contact_id) || quote(expires_at) || quote(attempts) || CAST(code_hash AS TEXT) FROM contact_codes")
                    .map { try $0.string(0) }
            }
            for code in codes { #expect(!asText.joined().contains(code)) }
        }
    }

    @Test func registrationIsAuditedAndTheChainVerifies() throws {
        try withCitizenService { h in
            let registration = try h.service.register(ServiceHarness.anna(), source: Self.source)
            let records = try h.database.read { try h.audit.records(subject: "citizen:\(registration.citizenID)", limit: 10, using: $0) }
            let registered = try #require(records.first { $0.event.kind == "citizen.registered" })
            #expect(registered.event.actor == "citizen:\(registration.citizenID)")
            #expect(registered.event.sourceAddress == Self.source.address)
            #expect(registered.event.details["contacts"] == "phone")
            #expect(try h.audit.verify(database: h.database) == .intact(records: 1))
        }
    }

    @Test func registrationStartsASessionAndAnAccountWithoutLevel() throws {
        try withCitizenService { h in
            let registration = try h.service.register(ServiceHarness.anna(), source: Self.source)
            #expect(try h.service.sessions.validate(token: registration.sessionToken)?.subject == "citizen:\(registration.citizenID)")
            #expect(registration.publicID.count == 10 && registration.publicID.first != "0")
            let profile = try h.service.profile(citizenID: registration.citizenID)
            #expect(profile.level == nil && profile.documents == nil)
        }
    }

    // MARK: Contact codes

    /// A code that is certainly not `code`.
    static func wrong(_ code: String) -> String {
        String(format: "%06d", (Int(code)! + 1) % 1_000_000)
    }

    @Test func confirmingTheContactSetsLevelSimplified() throws {
        try withCitizenService { h in
            let registration = try h.service.register(ServiceHarness.anna(), source: Self.source)
            let code = try h.lastCode(to: "+79161234567")
            try h.service.confirmContact(citizenID: registration.citizenID, kind: .phone, code: "\(code.prefix(3))-\(code.suffix(3))", source: Self.source)
            let profile = try h.service.profile(citizenID: registration.citizenID)
            #expect(profile.level == .simplified)
            #expect(profile.contacts.first?.confirmedAt == h.clock.now())
            #expect(try h.count("contact_codes") == 0)
            #expect(try h.auditKinds() == ["citizen.registered", "contact.confirmed", "level.changed"])
        }
    }

    @Test func aWrongCodeCountsAndIsRefused() throws {
        try withCitizenService { h in
            let id = try h.service.register(ServiceHarness.anna(), source: Self.source).citizenID
            let code = try h.lastCode(to: "+79161234567")
            #expect(citizensError { try h.service.confirmContact(citizenID: id, kind: .phone, code: Self.wrong(code), source: Self.source) }
                    == .invalidCode)
            #expect(try h.database.read { try $0.queryOne("SELECT attempts FROM contact_codes")!.int(0) } == 1)
            #expect(try h.auditKinds().contains("contact.code-failed"))
            try h.service.confirmContact(citizenID: id, kind: .phone, code: code, source: Self.source)
            #expect(try h.service.profile(citizenID: id).level == .simplified)
        }
    }

    @Test func fiveWrongCodesExhaustTheCodeEvenForTheRightOne() throws {
        try withCitizenService { h in
            let id = try h.service.register(ServiceHarness.anna(), source: Self.source).citizenID
            let code = try h.lastCode(to: "+79161234567")
            for _ in 1...4 {
                #expect(citizensError { try h.service.confirmContact(citizenID: id, kind: .phone, code: Self.wrong(code), source: Self.source) }
                        == .invalidCode)
            }
            #expect(citizensError { try h.service.confirmContact(citizenID: id, kind: .phone, code: Self.wrong(code), source: Self.source) }
                    == .codeExhausted)
            #expect(citizensError { try h.service.confirmContact(citizenID: id, kind: .phone, code: code, source: Self.source) }
                    == .codeExhausted)
            #expect(try h.service.profile(citizenID: id).level == nil)
        }
    }

    @Test func aCodeExpiresAfterItsLifetime() throws {
        try withCitizenService { h in
            let id = try h.service.register(ServiceHarness.anna(), source: Self.source).citizenID
            let code = try h.lastCode(to: "+79161234567")
            h.clock.advance(by: CitizenSettings().contactCodeLifetime)
            #expect(citizensError { try h.service.confirmContact(citizenID: id, kind: .phone, code: code, source: Self.source) }
                    == .expiredCode)
            #expect(try h.service.profile(citizenID: id).level == nil)
        }
    }

    @Test func aCodeWorksJustBeforeItExpires() throws {
        try withCitizenService { h in
            let id = try h.service.register(ServiceHarness.anna(), source: Self.source).citizenID
            let code = try h.lastCode(to: "+79161234567")
            h.clock.advance(by: CitizenSettings().contactCodeLifetime - 1)
            try h.service.confirmContact(citizenID: id, kind: .phone, code: code, source: Self.source)
        }
    }

    @Test func resendingInvalidatesTheOldCodeAndGivesAFreshOne() throws {
        try withCitizenService { h in
            let id = try h.service.register(ServiceHarness.anna(), source: Self.source).citizenID
            let old = try h.lastCode(to: "+79161234567")
            for _ in 1...3 { _ = citizensError { try h.service.confirmContact(citizenID: id, kind: .phone, code: Self.wrong(old), source: Self.source) } }
            h.clock.advance(by: 600)
            try h.service.resendCode(citizenID: id, kind: .phone, source: Self.source)
            let new = try h.lastCode(to: "+79161234567")
            #expect(try h.count("outbox") == 2)
            if new != old {  // one chance in a million that the fresh code repeats the old one
                #expect(citizensError { try h.service.confirmContact(citizenID: id, kind: .phone, code: old, source: Self.source) } == .invalidCode)
            }
            // The fresh code has its own attempts and a full lifetime.
            h.clock.advance(by: CitizenSettings().contactCodeLifetime - 1)
            try h.service.confirmContact(citizenID: id, kind: .phone, code: new, source: Self.source)
            #expect(try h.service.profile(citizenID: id).level == .simplified)
        }
    }

    @Test func codesToOneNumberAreThrottledAcrossResendsAndRegistrations() throws {
        try withCitizenService { h in
            let id = try h.service.register(ServiceHarness.anna(), source: Self.source).citizenID
            // Three codes go out freely (registration + two resends), the fourth must wait.
            try h.service.resendCode(citizenID: id, kind: .phone, source: Self.source)
            try h.service.resendCode(citizenID: id, kind: .phone, source: Self.source)
            guard case .throttled(let wait)? = citizensError({ try h.service.resendCode(citizenID: id, kind: .phone, source: Self.source) }) else {
                Issue.record("the fourth code was not throttled")
                return
            }
            #expect(wait >= 1 && wait <= 30)
            // Registering anew with the same number counts against the same limit, and changes nothing.
            #expect(citizensError { _ = try h.service.register(ServiceHarness.anna(), source: Self.source) } == .throttled(retryAfterSeconds: wait))
            #expect(try h.count("citizens") == 1)
            #expect(try h.count("outbox") == 3)
            h.clock.advance(by: Double(wait))
            try h.service.resendCode(citizenID: id, kind: .phone, source: Self.source)
            #expect(try h.count("outbox") == 4)
        }
    }

    @Test func aContactConfirmedOnAnotherAccountCannotBeConfirmedAgain() throws {
        try withCitizenService { h in
            let first = try h.confirmedCitizen(ServiceHarness.anna())
            let second = try h.service.register(ServiceHarness.ivan(phone: "+79161234567"), source: Self.source).citizenID
            let code = try h.lastCode(to: "+79161234567")
            #expect(citizensError { try h.service.confirmContact(citizenID: second, kind: .phone, code: code, source: Self.source) } == .contactInUse)
            #expect(try h.service.profile(citizenID: second).level == nil)
            #expect(try h.service.profile(citizenID: first).contacts.first?.confirmedAt != nil)
        }
    }

    @Test func confirmingWithoutAPendingContactIsNotAllowed() throws {
        try withCitizenService { h in
            let id = try h.confirmedCitizen()
            #expect(citizensError { try h.service.confirmContact(citizenID: id, kind: .phone, code: "123456", source: Self.source) } == .notAllowed)
            #expect(citizensError { try h.service.confirmContact(citizenID: id, kind: .email, code: "123456", source: Self.source) } == .notAllowed)
        }
    }
}
