@testable import Activation
import Citizens
import Foundation
import Storage
import Support
import Testing

/// A wrong code of the right shape.
private let wrong = "2222-2222-2222"

/// Enters a code after waiting out any throttle delay, so tests about attempts are not about throttling.
private func enter(_ h: Harness, _ citizen: Int64, _ code: String) throws {
    h.clock.advance(by: 120)
    try h.service.enterCode(citizenID: citizen, code: code, source: home)
}

@Test func centreCodeConfirmsTheAccount() throws {
    try withHarness { h in
        let citizen = try h.standardCitizen()
        #expect(try h.level(citizen) == .standard)
        let issued = try h.service.issueCentreCode(citizenID: citizen, staff: "staff:3", centre: "centre:1", source: home)
        #expect(!"\(issued)".contains(issued.code))
        let status = try h.service.status(citizenID: citizen)
        #expect(status.code?.channel == .centre && status.code?.attemptsLeft == 5)
        #expect(status.code?.expiresAt == h.clock.now().addingTimeInterval(3 * 86_400))
        try h.service.enterCode(citizenID: citizen, code: issued.code.lowercased(), source: home)
        let profile = try h.citizens.profile(citizenID: citizen)
        #expect(profile.level == .confirmed && profile.identityConfirmed && profile.evidence.method == "centre-code")
        #expect(try h.service.status(citizenID: citizen).lastCodeEnded == "used")
        let kinds = try h.auditKinds()
        #expect(kinds.contains("activation.code.issued") && kinds.contains("activation.code.used") && kinds.contains("identity.confirmed"))
    }
}

@Test func aCodeWorksOnlyOnce() throws {
    try withHarness { h in
        let citizen = try h.standardCitizen()
        let issued = try h.service.issueCentreCode(citizenID: citizen, staff: "staff:3", centre: nil, source: home)
        try h.service.enterCode(citizenID: citizen, code: issued.code, source: home)
        #expect(activationError { try enter(h, citizen, issued.code) } == .noActiveCode)
        // Once confirmed, no new code can be asked for.
        #expect(activationError { _ = try h.service.issueCentreCode(citizenID: citizen, staff: "staff:3", centre: nil, source: home) }
            == .levelNotStandard)
        #expect(activationError { _ = try h.service.requestLetter(citizenID: citizen, source: home) } == .levelNotStandard)
    }
}

@Test func centreCodeExpiresAfterThreeDays() throws {
    try withHarness { h in
        let citizen = try h.standardCitizen()
        let issued = try h.service.issueCentreCode(citizenID: citizen, staff: "staff:3", centre: nil, source: home)
        h.clock.advance(by: 3 * 86_400)
        #expect(activationError { try h.service.enterCode(citizenID: citizen, code: issued.code, source: home) } == .expiredCode)
        #expect(activationError { try h.service.enterCode(citizenID: citizen, code: issued.code, source: home) } == .expiredCode)
        #expect(try h.level(citizen) == .standard)
        #expect(try h.service.status(citizenID: citizen).lastCodeEnded == "expired")
    }
}

@Test func lifetimesComeFromSettings() throws {
    var settings = ActivationSettings()
    settings.centreCodeLifetime = 600
    try withHarness(settings: settings) { h in
        let citizen = try h.standardCitizen()
        let issued = try h.service.issueCentreCode(citizenID: citizen, staff: "staff:3", centre: nil, source: home)
        h.clock.advance(by: 599)
        try h.service.enterCode(citizenID: citizen, code: issued.code, source: home)
        #expect(try h.level(citizen) == .confirmed)
    }
}

@Test func fiveWrongEntriesKillTheCode() throws {
    try withHarness { h in
        let citizen = try h.standardCitizen()
        let issued = try h.service.issueCentreCode(citizenID: citizen, staff: "staff:3", centre: nil, source: home)
        for left in (1...4).reversed() {
            #expect(activationError { try enter(h, citizen, wrong) } == .wrongCode(attemptsLeft: left))
        }
        #expect(activationError { try enter(h, citizen, wrong) } == .codeExhausted)
        // Dead: even the right code fails now, and says why.
        #expect(activationError { try enter(h, citizen, issued.code) } == .codeExhausted)
        #expect(try h.level(citizen) == .standard)
        #expect(try h.auditKinds().filter { $0 == "activation.code.failed" }.count == 5)
        // A new code works.
        let again = try h.service.issueCentreCode(citizenID: citizen, staff: "staff:3", centre: nil, source: home)
        try enter(h, citizen, again.code)
        #expect(try h.level(citizen) == .confirmed)
    }
}

@Test func malformedInputCountsNoAttempt() throws {
    try withHarness { h in
        let citizen = try h.standardCitizen()
        _ = try h.service.issueCentreCode(citizenID: citizen, staff: "staff:3", centre: nil, source: home)
        for text in ["", "123", "OOOO-OOOO-OOOO", "<script>"] {
            #expect(activationError { try enter(h, citizen, text) } == .malformedCode)
        }
        #expect(try h.service.status(citizenID: citizen).code?.attemptsLeft == 5)
    }
}

@Test func aNewCodeInvalidatesTheOldOne() throws {
    try withHarness { h in
        let citizen = try h.standardCitizen()
        let first = try h.service.issueCentreCode(citizenID: citizen, staff: "staff:3", centre: nil, source: home)
        let second = try h.service.issueCentreCode(citizenID: citizen, staff: "staff:4", centre: nil, source: home)
        #expect(first.code != second.code)
        #expect(activationError { try enter(h, citizen, first.code) } == .wrongCode(attemptsLeft: 4))
        try enter(h, citizen, second.code)
        #expect(try h.level(citizen) == .confirmed)
        let live = try h.database.read { try $0.query("SELECT invalidated_reason FROM activation_codes ORDER BY id").map { try $0.optionalString(0) } }
        #expect(live == ["replaced", nil])
    }
}

@Test func aLetterRequestInvalidatesTheCentreCode() throws {
    try withHarness { h in
        let citizen = try h.standardCitizen()
        let issued = try h.service.issueCentreCode(citizenID: citizen, staff: "staff:3", centre: nil, source: home)
        _ = try h.service.requestLetter(citizenID: citizen, source: home)
        #expect(activationError { try enter(h, citizen, issued.code) } == .noActiveCode)
        #expect(try h.service.status(citizenID: citizen).letter?.state == .pending)
        // And a centre code cancels the letter not yet printed.
        _ = try h.service.issueCentreCode(citizenID: citizen, staff: "staff:3", centre: nil, source: home)
        #expect(try h.service.status(citizenID: citizen).letter == nil)
    }
}

@Test func entriesAreThrottledPerAccountAndAddress() throws {
    try withHarness { h in
        let citizen = try h.standardCitizen()
        let issued = try h.service.issueCentreCode(citizenID: citizen, staff: "staff:3", centre: nil, source: home)
        // Three free failures, then the account waits 1 s, 2 s, ... (the login throttle's policy).
        for _ in 0..<3 {
            #expect(activationError { try h.service.enterCode(citizenID: citizen, code: wrong, source: home) } != nil)
        }
        #expect(activationError { try h.service.enterCode(citizenID: citizen, code: issued.code, source: home) }
            == .throttled(retryAfterSeconds: 1))
        #expect(try h.level(citizen) == .standard)
        #expect(try h.service.status(citizenID: citizen).code?.attemptsLeft == 2) // the refused entry was not checked
        h.clock.advance(by: 1)
        try h.service.enterCode(citizenID: citizen, code: issued.code, source: home)
        #expect(try h.level(citizen) == .confirmed)
        let keys = try h.database.read { try $0.query("SELECT key FROM login_throttle ORDER BY key").map { try $0.string(0) } }
        #expect(keys == ["address:192.0.2.10"]) // success clears the account's count, not the address's
    }
}

@Test func oneAddressGuessingAtManyAccountsIsThrottled() throws {
    try withHarness { h in
        var policy = ThrottlePolicy()
        policy.addressFreeFailures = 4
        let throttle = LoginThrottle(database: h.database, policy: policy, clock: h.clock)
        let service = ActivationService(database: h.database, citizens: h.citizens, audit: h.audit, throttle: throttle, codeKey: h.codeKey,
                                        clock: h.clock)
        var citizens: [Int64] = []
        for _ in 0..<5 {
            let citizen = try h.standardCitizen()
            _ = try service.issueCentreCode(citizenID: citizen, staff: "staff:3", centre: nil, source: home)
            citizens.append(citizen)
        }
        for citizen in citizens.prefix(4) {
            #expect(activationError { try service.enterCode(citizenID: citizen, code: wrong, source: home) } == .wrongCode(attemptsLeft: 4))
        }
        #expect(activationError { try service.enterCode(citizenID: citizens[4], code: wrong, source: home) } == .throttled(retryAfterSeconds: 1))
        #expect(activationError { try service.enterCode(citizenID: citizens[4], code: wrong, source: RequestSource(address: "198.51.100.1")) }
            == .wrongCode(attemptsLeft: 4))
    }
}

@Test func unknownCitizenAndWrongLevelAreRefused() throws {
    try withHarness { h in
        #expect(activationError { _ = try h.service.requestLetter(citizenID: 999, source: home) } == .notFound)
        let citizen = try h.standardCitizen()
        try h.database.write { try $0.execute("UPDATE citizens SET level = 'simplified' WHERE id = ?", [.integer(citizen)]) }
        #expect(activationError { _ = try h.service.requestLetter(citizenID: citizen, source: home) } == .levelNotStandard)
        #expect(activationError { try h.service.enterCode(citizenID: citizen, code: wrong, source: home) } == .noActiveCode)
    }
}

@Test func cancelEndsTheCodeAndThePendingLetter() throws {
    try withHarness { h in
        let citizen = try h.standardCitizen()
        let issued = try h.service.issueCentreCode(citizenID: citizen, staff: "staff:3", centre: nil, source: home)
        try h.service.cancel(citizenID: citizen, actor: "staff:3", source: home)
        #expect(activationError { try enter(h, citizen, issued.code) } == .noActiveCode)
        #expect(try h.service.status(citizenID: citizen).lastCodeEnded == "cancelled")
    }
}
