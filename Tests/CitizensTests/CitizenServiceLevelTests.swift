@testable import Citizens
import Testing

/// The level rules of `LevelFacts`, then the same rules as the service applies them on document changes.
@Suite struct CitizenServiceLevelTests {
    typealias S = VerificationStatus

    static func facts(contact: Bool = true, _ snils: S, _ passport: S, confirmed: Bool = false) -> LevelFacts {
        LevelFacts(contactConfirmed: contact, snils: snils, passport: passport, identityConfirmed: confirmed)
    }

    @Test func noConfirmedContactMeansNoLevel() {
        #expect(Self.facts(contact: false, .notSubmitted, .notSubmitted).level == nil)
        #expect(Self.facts(contact: false, .verified, .verified, confirmed: true).level == nil)
    }

    @Test func aConfirmedContactAloneIsSimplified() {
        #expect(Self.facts(.notSubmitted, .notSubmitted).level == .simplified)
    }

    @Test(arguments: [(S.pending, S.pending), (.verified, .pending), (.pending, .verified), (.rejected, .verified),
                      (.verified, .rejected), (.rejected, .rejected)])
    func documentsNotBothVerifiedStaySimplified(snils: S, passport: S) {
        #expect(Self.facts(snils, passport).level == .simplified)
    }

    @Test func bothDocumentsVerifiedIsStandard() {
        #expect(Self.facts(.verified, .verified).level == .standard)
    }

    @Test func verifiedDocumentsWithIdentityProvenIsConfirmed() {
        #expect(Self.facts(.verified, .verified, confirmed: true).level == .confirmed)
    }

    @Test func standardAccountWithChangedPassportIsSimplifiedUntilVerified() {
        #expect(Self.facts(.verified, .verified).level == .standard)
        #expect(Self.facts(.verified, .pending).level == .simplified)
        #expect(Self.facts(.verified, .verified).level == .standard)
    }

    @Test func confirmedAccountWithChangedPassportIsStandardUntilVerifiedThenConfirmedAgain() {
        #expect(Self.facts(.verified, .pending, confirmed: true).level == .standard)
        #expect(Self.facts(.verified, .verified, confirmed: true).level == .confirmed)
    }

    @Test func confirmedAccountWithRejectedPassportFallsToSimplified() {
        #expect(Self.facts(.verified, .rejected, confirmed: true).level == .simplified)
    }

    @Test func confirmedAccountWithChangedSNILSIsNotConfirmedOnceTheCallerClearsConfirmation() {
        // The caller clears identityConfirmed on a SNILS change; the facts then never reach confirmed again by themselves.
        #expect(Self.facts(.pending, .verified, confirmed: false).level == .simplified)
        #expect(Self.facts(.verified, .verified, confirmed: false).level == .standard)
    }

    @Test func aSignatureOverAVerifiedSNILSIsConfirmedWithoutContactOrPassport() {
        func signed(contact: Bool, _ snils: S, _ passport: S) -> AccountLevel? {
            LevelFacts(contactConfirmed: contact, snils: snils, passport: passport, identityConfirmed: true, confirmedBySignature: true).level
        }
        #expect(signed(contact: false, .verified, .notSubmitted) == .confirmed)
        #expect(signed(contact: true, .verified, .notSubmitted) == .confirmed)
        #expect(signed(contact: true, .verified, .pending) == .confirmed)
        #expect(signed(contact: true, .verified, .rejected) == .confirmed)
        #expect(signed(contact: true, .verified, .verified) == .confirmed)
        // A SNILS not verified (the registry refused it since) falls back to the ordinary rules.
        #expect(signed(contact: false, .rejected, .notSubmitted) == nil)
        #expect(signed(contact: true, .rejected, .verified) == .simplified)
    }

    // MARK: The same rules through the service

    /// Marks the citizen's documents verified (as the registry would) and recomputes the level.
    static func verify(_ h: ServiceHarness, _ id: Int64) throws {
        try h.database.write { db in
            try db.execute("UPDATE citizen_documents SET snils_status = 'verified', passport_status = 'verified', next_check_at = NULL WHERE citizen_id = ?",
                           [.integer(id)])
            try h.service.refreshLevel(citizenID: id, method: "registry", source: nil, using: db)
        }
    }

    /// Marks identity proven (as a staff check or letter code will) and recomputes the level.
    static func confirmIdentity(_ h: ServiceHarness, _ id: Int64) throws {
        try h.database.write { db in
            try h.service.refreshLevel(citizenID: id, method: "staff-check", source: nil, identityConfirmed: true, using: db)
        }
    }

    @Test func serviceSendsStandardAccountBackToSimplifiedOnPassportChange() throws {
        try withCitizenService { h in
            let id = try h.confirmedCitizen()
            try h.service.submitDocuments(citizenID: id, form: ServiceHarness.annaDocuments(), source: ServiceHarness.source)
            try Self.verify(h, id)
            #expect(try h.service.profile(citizenID: id).level == .standard)
            try h.service.submitDocuments(citizenID: id, form: ServiceHarness.annaDocuments(number: "654321"), source: ServiceHarness.source)
            let profile = try h.service.profile(citizenID: id)
            #expect(profile.level == .simplified)
            #expect(profile.documents?.snilsStatus == .verified && profile.documents?.passportStatus == .pending)
        }
    }

    @Test func serviceKeepsConfirmedAccountAtStandardDuringPassportChangeAndConfirmedAfter() throws {
        try withCitizenService { h in
            let id = try h.confirmedCitizen()
            try h.service.submitDocuments(citizenID: id, form: ServiceHarness.annaDocuments(), source: ServiceHarness.source)
            try Self.verify(h, id)
            try Self.confirmIdentity(h, id)
            #expect(try h.service.profile(citizenID: id).level == .confirmed)
            try h.service.submitDocuments(citizenID: id, form: ServiceHarness.annaDocuments(number: "654321"), source: ServiceHarness.source)
            let during = try h.service.profile(citizenID: id)
            #expect(during.level == .standard && during.identityConfirmed)
            try Self.verify(h, id)
            #expect(try h.service.profile(citizenID: id).level == .confirmed)
        }
    }

    @Test func serviceClearsIdentityConfirmationOnSNILSChange() throws {
        try withCitizenService { h in
            let id = try h.confirmedCitizen()
            try h.service.submitDocuments(citizenID: id, form: ServiceHarness.annaDocuments(), source: ServiceHarness.source)
            try Self.verify(h, id)
            try Self.confirmIdentity(h, id)
            try h.service.submitDocuments(citizenID: id, form: ServiceHarness.annaDocuments(snils: "987-654-321 83"), source: ServiceHarness.source)
            let during = try h.service.profile(citizenID: id)
            #expect(during.level == .simplified && !during.identityConfirmed)
            try Self.verify(h, id)
            #expect(try h.service.profile(citizenID: id).level == .standard)
        }
    }

    @Test func resubmittingTheSameDocumentsKeepsLevelAndStatuses() throws {
        try withCitizenService { h in
            let id = try h.confirmedCitizen()
            try h.service.submitDocuments(citizenID: id, form: ServiceHarness.annaDocuments(), source: ServiceHarness.source)
            try Self.verify(h, id)
            var moved = ServiceHarness.annaDocuments()
            moved.house = "18"
            try h.service.submitDocuments(citizenID: id, form: moved, source: ServiceHarness.source)
            let profile = try h.service.profile(citizenID: id)
            #expect(profile.level == .standard)
            #expect(profile.documents?.snilsStatus == .verified && profile.documents?.passportStatus == .verified)
        }
    }
}
