import Audit
@testable import Citizens
import Crypto
import Foundation
import Storage
import Testing

/// Logging in and registering with a verified qualified certificate, and what such an account can do next.
@Suite struct CertificateLoginTests {
    static let source = ServiceHarness.source

    /// Anna's certificate as a verifier would describe it (her SNILS is the reference registry's).
    static func annaCertificate(_ h: ServiceHarness, snils: String = "11223344595", inn: String? = annaINN,
                                surname: String? = "Петрова", givenNames: String? = "Анна Сергеевна") -> CertificateIdentity {
        CertificateIdentity(snils: snils, inn: inn, surname: surname, givenNames: givenNames, commonName: "Петрова Анна Сергеевна",
                            certificateSHA1: String(repeating: "ab", count: 20), issuer: "CN=Test Accredited CA,O=Test,C=RU",
                            serial: "01F2A3", notAfter: h.clock.now().addingTimeInterval(365 * 86400))
    }

    static let annaINN = "500100732259"

    /// Anna at the standard level: confirmed phone, documents verified by the registry.
    static func standardAnna(_ h: ServiceHarness) throws -> Int64 {
        let id = try h.confirmedCitizen()
        try h.service.submitDocuments(citizenID: id, form: ServiceHarness.annaDocuments(), source: source)
        try CitizenServiceLevelTests.verify(h, id)
        return id
    }

    static func records(_ h: ServiceHarness, _ kind: String) throws -> [AuditRecord] {
        try h.database.read { try h.audit.records(subject: nil, limit: 1000, using: $0) }.filter { $0.event.kind == kind }.reversed()
    }

    // MARK: Logging in

    @Test func aStandardAccountBecomesConfirmedAtTheFirstSignatureLogin() throws {
        try withCitizenService { h in
            let id = try Self.standardAnna(h)
            #expect(try h.service.profile(citizenID: id).level == .standard)
            let result = try h.service.loginWithCertificate(Self.annaCertificate(h), source: Self.source)
            #expect(result.citizenID == id)
            #expect(result.session.authenticationMethod == "signature")
            #expect(try h.service.sessions.validate(token: result.sessionToken)?.subject == "citizen:\(id)")
            let profile = try h.service.profile(citizenID: id)
            #expect(profile.level == .confirmed && profile.identityConfirmed)
            // The short read OAuth authorizations use says the same, and nothing for an account that does not exist.
            let standing = try #require(try h.service.standing(citizenID: id))
            #expect(standing.publicID == profile.publicID && standing.level == .confirmed)
            #expect(try h.service.standing(citizenID: id + 1000) == nil)
            #expect(profile.evidence == LevelEvidence(method: "signature", reachedAt: h.clock.now()))
            #expect(profile.documents?.signatureCheckedAt == h.clock.now())
            #expect(Array(try h.auditKinds(subject: "citizen:\(id)").suffix(3)) == ["identity.confirmed", "level.changed", "login.succeeded"])
            let confirmed = try #require(try Self.records(h, "identity.confirmed").last)
            #expect(confirmed.event.details["method"] == "signature")
            #expect(confirmed.event.details["certificate"] == String(repeating: "ab", count: 20))
            #expect(confirmed.event.details["issuer"] == "CN=Test Accredited CA,O=Test,C=RU" && confirmed.event.details["serial"] == "01F2A3")
            let login = try #require(try Self.records(h, "login.succeeded").last)
            #expect(login.event.details["method"] == "signature" && login.event.details["certificate"] != nil)
            // Neither the SNILS nor the holder's name goes into the trail.
            let text = try h.database.read { try $0.query("SELECT details FROM audit_log").map { try $0.string(0) } }.joined()
            #expect(!text.contains("11223344595") && !text.contains("Петрова"))
        }
    }

    @Test func aConfirmedAccountKeepsItsEvidenceAndLaterLoginsConfirmNothingAgain() throws {
        try withCitizenService { h in
            let id = try Self.standardAnna(h)
            try CitizenServiceLevelTests.confirmIdentity(h, id)
            let before = try h.service.profile(citizenID: id)
            #expect(before.level == .confirmed && before.evidence.method == "staff-check")
            h.clock.advance(by: 60)
            _ = try h.service.loginWithCertificate(Self.annaCertificate(h), source: Self.source)
            let after = try h.service.profile(citizenID: id)
            #expect(after.level == .confirmed && after.evidence == before.evidence)
            #expect(try Self.records(h, "identity.confirmed").count == 1)
            _ = try h.service.loginWithCertificate(Self.annaCertificate(h), source: Self.source)
            #expect(try Self.records(h, "identity.confirmed").count == 1)
            #expect(try Self.records(h, "login.succeeded").count == 2)
        }
    }

    @Test func anUnverifiedSNILSOnAnAccountDoesNotLogIn() throws {
        try withCitizenService { h in
            let id = try h.confirmedCitizen()
            try h.service.submitDocuments(citizenID: id, form: ServiceHarness.annaDocuments(), source: Self.source)
            let sessions = try h.count("sessions")
            #expect(citizensError { _ = try h.service.loginWithCertificate(Self.annaCertificate(h), source: Self.source) } == .snilsNotVerified)
            #expect(try h.count("sessions") == sessions)
            let profile = try h.service.profile(citizenID: id)
            #expect(profile.level == .simplified && !profile.identityConfirmed && profile.documents?.signatureCheckedAt == nil)
            let failed = try #require(try Self.records(h, "login.failed").last)
            #expect(failed.event.subject == "citizen:\(id)" && failed.event.details["reason"] == "snils-not-verified")
            // Nor can the certificate's holder register over it.
            #expect(citizensError { _ = try h.service.registerWithCertificate(Self.annaCertificate(h), source: Self.source) } == .snilsNotVerified)
        }
    }

    @Test func anUnknownOrMalformedSNILSIsRefused() throws {
        try withCitizenService { h in
            _ = try Self.standardAnna(h)
            #expect(citizensError { _ = try h.service.loginWithCertificate(Self.annaCertificate(h, snils: "12345678964"), source: Self.source) }
                    == .noAccountForCertificate)
            #expect(citizensError { _ = try h.service.loginWithCertificate(Self.annaCertificate(h, snils: "11223344596"), source: Self.source) }
                    == .invalid([FieldError(field: "snils", code: .badChecksum)]))
            #expect(citizensError { _ = try h.service.loginWithCertificate(Self.annaCertificate(h, snils: ""), source: Self.source) }
                    == .invalid([FieldError(field: "snils", code: .required)]))
            #expect(try Self.records(h, "login.succeeded").isEmpty)
        }
    }

    // MARK: Registering

    @Test func registeringCreatesAConfirmedAccountFromTheCertificate() throws {
        try withCitizenService { h in
            let result = try h.service.registerWithCertificate(Self.annaCertificate(h), source: Self.source)
            #expect(result.session.authenticationMethod == "signature")
            #expect(try h.service.sessions.validate(token: result.sessionToken)?.subject == "citizen:\(result.citizenID)")
            let profile = try h.service.profile(citizenID: result.citizenID)
            #expect(profile.surname == "Петрова" && profile.givenName == "Анна" && profile.patronymic == "Сергеевна")
            #expect(profile.birthDate == nil && profile.gender == nil && profile.contacts.isEmpty && !profile.hasPassword)
            #expect(profile.level == .confirmed && profile.identityConfirmed)
            #expect(profile.evidence == LevelEvidence(method: "signature", reachedAt: h.clock.now()))
            #expect(profile.missingData == [.contact, .password, .passport, .birthDate, .gender])
            let documents = try #require(profile.documents)
            #expect(documents.snilsMasked == "***-***-445 95" && documents.snilsStatus == .verified)
            #expect(documents.passportMasked == nil && documents.passportStatus == .notSubmitted)
            #expect(documents.hasINN && documents.signatureCheckedAt == h.clock.now())
            #expect(try h.service.citizenID(snils: "112-233-445 95") == result.citizenID)
            #expect(try h.auditKinds(subject: "citizen:\(result.citizenID)")
                    == ["citizen.registered", "identity.confirmed", "level.changed", "login.succeeded"])
            let registered = try #require(try Self.records(h, "citizen.registered").last)
            #expect(registered.event.details["method"] == "signature" && registered.event.details["inn"] == "present")
            #expect(registered.event.details["serial"] == "01F2A3")
            // Nothing is queued for the registry: the signature verified the SNILS.
            #expect(try h.database.read { try $0.queryOne("SELECT next_check_at FROM citizen_documents")!.optionalInt64(0) } == nil)
            // The staff view shows no birth date rather than a made-up one.
            let staffView = try #require(try h.service.staffView(snils: "11223344595"))
            #expect(staffView.birthDate == nil && staffView.level == .confirmed)
            #expect(try h.service.postalRecipient(citizenID: result.citizenID) == nil)
            #expect(try !h.service.passportMatches(citizenID: result.citizenID, series: "4508", number: "123456", issueDate: "2010-06-01"))
        }
    }

    @Test func aCertificateAccountCannotLogInWithAPasswordUntilItSetsOne() throws {
        try withCitizenService { h in
            let result = try h.service.registerWithCertificate(Self.annaCertificate(h), source: Self.source)
            for guess in ["", ServiceHarness.password] {
                #expect(citizensError { _ = try h.service.login(identifier: "11223344595", password: guess, source: Self.source) }
                        == .wrongCredentials)
            }
            #expect(citizensError { try h.service.changePassword(citizenID: result.citizenID, current: "", new: ServiceHarness.password,
                                                                 newRepeat: nil, keepSession: nil, source: Self.source) } == .notAllowed)
            h.clock.advance(by: 5 * 60)
            try h.service.setPassword(citizenID: result.citizenID, new: ServiceHarness.password, newRepeat: ServiceHarness.password,
                                      session: result.session, source: Self.source)
            #expect(try h.service.profile(citizenID: result.citizenID).missingData == [.contact, .passport, .birthDate, .gender])
            #expect(try h.service.login(identifier: "112-233-445 95", password: ServiceHarness.password, source: Self.source).citizenID
                    == result.citizenID)
            #expect(try h.auditKinds(subject: "citizen:\(result.citizenID)").contains("password.set"))
            // The first password is set once; after that it is changed the ordinary way.
            #expect(citizensError { try h.service.setPassword(citizenID: result.citizenID, new: "Another-Password-77", newRepeat: nil,
                                                              session: result.session, source: Self.source) } == .notAllowed)
            try h.service.changePassword(citizenID: result.citizenID, current: ServiceHarness.password, new: "Another-Password-77",
                                         newRepeat: nil, keepSession: nil, source: Self.source)
        }
    }

    @Test func settingTheFirstPasswordNeedsAFreshSignatureSessionOfThatCitizen() throws {
        try withCitizenService { h in
            let result = try h.service.registerWithCertificate(Self.annaCertificate(h), source: Self.source)
            func attempt(_ session: Session, _ password: String = ServiceHarness.password) -> CitizensError.Code? {
                citizensError { try h.service.setPassword(citizenID: result.citizenID, new: password, newRepeat: nil, session: session,
                                                          source: Self.source) }
            }
            let other = try h.confirmedCitizen(ServiceHarness.ivan())
            let ivan = try h.service.login(identifier: "+79035550101", password: ServiceHarness.password, source: Self.source)
            #expect(attempt(ivan.session) == .reauthenticationRequired)
            #expect(other != result.citizenID)
            let typed = Session(handle: result.session.handle, subject: result.session.subject, createdAt: result.session.createdAt,
                                lastSeenAt: result.session.lastSeenAt, expiresAt: result.session.expiresAt, userAgent: "",
                                sourceAddress: "", authenticationMethod: "pwd")
            #expect(attempt(typed) == .reauthenticationRequired)
            #expect(attempt(result.session, "Петрова1990") != nil)  // the password rules still apply
            h.clock.advance(by: 10 * 60 + 1)
            #expect(attempt(result.session) == .reauthenticationRequired)
            let fresh = try h.service.loginWithCertificate(Self.annaCertificate(h), source: Self.source)
            #expect(attempt(fresh.session) == nil)
        }
    }

    @Test func aCertificateAccountCanAddAContactItsDetailsAndItsPassport() throws {
        try withCitizenService { h in
            let id = try h.service.registerWithCertificate(Self.annaCertificate(h), source: Self.source).citizenID
            // The passport needs a birth date first.
            #expect(citizensError { try h.service.submitDocuments(citizenID: id, form: ServiceHarness.annaDocuments(), source: Self.source) }
                    == .invalid([FieldError(field: "birthDate", code: .required)]))
            try h.service.changeContact(citizenID: id, kind: .phone, value: "+79161234567", source: Self.source)
            try h.service.confirmContact(citizenID: id, kind: .phone, code: try h.lastCode(to: "+79161234567"), source: Self.source)
            #expect(citizensError { try h.service.addPersonalDetails(citizenID: id, birthDate: "2020-01-01", gender: "female",
                                                                     source: Self.source) }
                    == .invalid([FieldError(field: "birthDate", code: .tooYoung)]))
            try h.service.addPersonalDetails(citizenID: id, birthDate: "1990-05-17", gender: "ж", source: Self.source)
            #expect(citizensError { try h.service.addPersonalDetails(citizenID: id, birthDate: "1991-01-01", gender: "male",
                                                                     source: Self.source) } == .notAllowed)
            var profile = try h.service.profile(citizenID: id)
            #expect(profile.birthDate == "1990-05-17" && profile.gender == "female")
            #expect(profile.missingData == [.password, .passport])
            #expect(profile.level == .confirmed && profile.contacts.first?.confirmedAt != nil)
            // A SNILS the signature vouched for is not replaced by typing another.
            #expect(citizensError { try h.service.submitDocuments(citizenID: id, form: ServiceHarness.annaDocuments(snils: "987-654-321 83"),
                                                                  source: Self.source) }
                    == .invalid([FieldError(field: "snils", code: .notAllowed)]))
            try h.service.submitDocuments(citizenID: id, form: ServiceHarness.annaDocuments(), source: Self.source)
            profile = try h.service.profile(citizenID: id)
            #expect(profile.missingData == [.password])
            #expect(profile.level == .confirmed && profile.evidence.method == "signature")
            #expect(profile.documents?.snilsStatus == .verified && profile.documents?.passportStatus == .pending)
            #expect(profile.documents?.passportMasked == "** ** ****56" && profile.documents?.signatureCheckedAt != nil)
            #expect(try h.service.postalRecipient(citizenID: id)?.fullName == "Петрова Анна Сергеевна")
        }
    }

    @Test func aRegisteredSNILSIsNotRegisteredTwice() throws {
        try withCitizenService { h in
            _ = try h.service.registerWithCertificate(Self.annaCertificate(h), source: Self.source)
            #expect(citizensError { _ = try h.service.registerWithCertificate(Self.annaCertificate(h), source: Self.source) } == .duplicateAccount)
            #expect(try h.count("citizens") == 1)
            // The holder logs in instead.
            _ = try h.service.loginWithCertificate(Self.annaCertificate(h), source: Self.source)
        }
        try withCitizenService { h in
            _ = try Self.standardAnna(h)
            #expect(citizensError { _ = try h.service.registerWithCertificate(Self.annaCertificate(h), source: Self.source) } == .duplicateAccount)
            #expect(try h.count("citizens") == 1)
        }
    }

    @Test func namesAreCheckedWithTheRegistrationRules() throws {
        try withCitizenService { h throws in
            func attempt(surname: String?, givenNames: String?) -> CitizensError.Code? {
                citizensError { _ = try h.service.registerWithCertificate(Self.annaCertificate(h, surname: surname, givenNames: givenNames),
                                                                          source: Self.source) }
            }
            #expect(attempt(surname: nil, givenNames: nil) == .invalid([FieldError(field: "surname", code: .required),
                                                                        FieldError(field: "givenName", code: .required)]))
            #expect(attempt(surname: "Petrova", givenNames: "Анна Сергеевна") == .invalid([FieldError(field: "surname", code: .invalidCharacters)]))
            #expect(attempt(surname: "Петрова", givenNames: "Анна Serg") == .invalid([FieldError(field: "patronymic", code: .invalidCharacters)]))
            #expect(attempt(surname: "Петрова", givenNames: "  ") == .invalid([FieldError(field: "givenName", code: .required)]))
            #expect(try h.count("citizens") == 0 && h.count("citizen_documents") == 0 && h.count("sessions") == 0)
        }
    }

    @Test(arguments: [("Мамед Гусейн оглы", "Мамед", "Гусейн оглы"), ("Анна", "Анна", nil), ("  Анна   Сергеевна ", "Анна", "Сергеевна")])
    func theGivenNamesSplitIntoGivenNameAndPatronymic(givenNames: String, given: String, patronymic: String?) throws {
        try withCitizenService { h in
            let id = try h.service.registerWithCertificate(Self.annaCertificate(h, givenNames: givenNames), source: Self.source).citizenID
            let profile = try h.service.profile(citizenID: id)
            #expect(profile.givenName == given && profile.patronymic == patronymic)
        }
    }

    @Test func anINNIsKeptOnlyWhenValidAndFree() throws {
        try withCitizenService { h in
            let invalid = try h.service.registerWithCertificate(Self.annaCertificate(h, inn: "500100732250"), source: Self.source)
            #expect(try h.service.profile(citizenID: invalid.citizenID).documents?.hasINN == false)
            #expect(try Self.records(h, "citizen.registered").last?.event.details["inn"] == "invalid")
        }
        try withCitizenService { h in
            let none = try h.service.registerWithCertificate(Self.annaCertificate(h, inn: nil), source: Self.source)
            #expect(try h.service.profile(citizenID: none.citizenID).documents?.hasINN == false)
            #expect(try Self.records(h, "citizen.registered").last?.event.details["inn"] == "absent")
        }
        try withCitizenService { h in
            // Ivan typed Anna's INN into his documents; her certificate account goes without it.
            let ivan = try h.confirmedCitizen(ServiceHarness.ivan())
            var documents = ServiceHarness.ivanDocuments()
            documents.inn = Self.annaINN
            try h.service.submitDocuments(citizenID: ivan, form: documents, source: Self.source)
            let anna = try h.service.registerWithCertificate(Self.annaCertificate(h), source: Self.source)
            #expect(try h.service.profile(citizenID: anna.citizenID).documents?.hasINN == false)
            #expect(try Self.records(h, "citizen.registered").last?.event.details["inn"] == "held-elsewhere")
        }
    }

    @Test func keyRotationReencryptsACertificateAccountsDocuments() throws {
        let first = try DataKeyRing(currentID: "a", keys: ["a": .random()])
        try withCitizenService(dataKeys: first) { h in
            let id = try h.service.registerWithCertificate(Self.annaCertificate(h), source: Self.source).citizenID
            try h.reopen(dataKeys: try DataKeyRing(currentID: "b", keys: ["a": first.key(id: "a")!, "b": .random()]))
            #expect(try h.service.reencryptDocuments() == 1)
            #expect(try h.service.profile(citizenID: id).documents?.snilsMasked == "***-***-445 95")
        }
    }
}

extension CertificateLoginTests {
    @Test func theRegistryChecksTheAddedPassportButLeavesTheSignedSNILSVerified() throws {
        try withCitizenService { h in
            let worker = RegistryWorker(service: h.service, adapter: try CitizenServiceRegistryTests.exampleRegistry(h))
            let id = try h.service.registerWithCertificate(Self.annaCertificate(h), source: Self.source).citizenID
            #expect(worker.checkDue() == 0)
            // A mistyped birth date: the registry refuses both documents for it.
            try h.service.addPersonalDetails(citizenID: id, birthDate: "1990-05-18", gender: "female", source: Self.source)
            try h.service.submitDocuments(citizenID: id, form: ServiceHarness.annaDocuments(), source: Self.source)
            #expect(worker.checkDue() == 1)
            let profile = try h.service.profile(citizenID: id)
            #expect(profile.documents?.snilsStatus == .verified && profile.documents?.passportStatus == .rejected)
            #expect(profile.level == .confirmed)
            let checked = try #require(try Self.records(h, "registry.checked").last)
            #expect(checked.event.details == ["snils": "rejected", "passport": "rejected", "snilsKept": "signature"])
            // The holder still logs in with the certificate.
            _ = try h.service.loginWithCertificate(Self.annaCertificate(h), source: Self.source)
        }
        try withCitizenService { h in
            let worker = RegistryWorker(service: h.service, adapter: try CitizenServiceRegistryTests.exampleRegistry(h))
            let id = try h.service.registerWithCertificate(Self.annaCertificate(h), source: Self.source).citizenID
            try h.service.addPersonalDetails(citizenID: id, birthDate: "1990-05-17", gender: "female", source: Self.source)
            try h.service.submitDocuments(citizenID: id, form: ServiceHarness.annaDocuments(), source: Self.source)
            #expect(worker.checkDue() == 1)
            let profile = try h.service.profile(citizenID: id)
            #expect(profile.documents?.snilsStatus == .verified && profile.documents?.passportStatus == .verified)
            #expect(profile.level == .confirmed && profile.evidence.method == "signature")
        }
    }
}
