import Crypto
import Foundation
@testable import HeadCA
import Storage
import Support
import Testing

/// Challenges and registration offers over one fresh temporary database; removed afterwards.
private func withStore(_ body: (SignatureChallenges, RegistrationOffers) throws -> Void) throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("offers-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let database = try Database(path: directory.appendingPathComponent("test.sqlite").path)
    defer { database.close() }
    try database.migrate(SignatureChallenges.migrations)
    let key = SymmetricKey.random()
    try body(SignatureChallenges(database: database, bindingKey: key), RegistrationOffers(database: database, bindingKey: key))
}

private func refusal(_ body: () throws -> Void) -> ChallengeError? {
    do {
        try body()
        return nil
    } catch {
        return error as? ChallengeError
    }
}

@Suite struct RegistrationOfferTests {
    let start = Date(timeIntervalSince1970: 1_800_000_000)
    let browser = Array("browser-token".utf8)
    let stranger = Array("stranger-token".utf8)
    let certificate: [UInt8] = [0x30, 0x03, 0x02, 0x01, 0x05]

    @Test func pendingShowsTheChallengeWithoutSpendingIt() throws {
        try withStore { challenges, _ in
            let issued = try challenges.issue(binding: browser, purpose: .citizenLogin, at: start)
            let shown = try challenges.pending(id: issued.id, binding: browser, purpose: .citizenLogin, at: start.addingTimeInterval(10))
            #expect(shown == issued)
            #expect(try challenges.consume(id: issued.id, binding: browser, purpose: .citizenLogin, at: start.addingTimeInterval(20))
                    == issued.text)
            #expect(refusal { _ = try challenges.pending(id: issued.id, binding: browser, purpose: .citizenLogin, at: start) } == .alreadyUsed)
        }
    }

    @Test func pendingRefusesStrangersOtherPurposesAndExpiredChallengesWithoutCountingThem() throws {
        try withStore { challenges, _ in
            let issued = try challenges.issue(binding: browser, purpose: .citizenLogin, at: start)
            for _ in 0..<10 {
                #expect(refusal { _ = try challenges.pending(id: issued.id, binding: stranger, purpose: .citizenLogin, at: start) }
                        == .wrongBinding)
            }
            #expect(refusal { _ = try challenges.pending(id: issued.id, binding: browser, purpose: .staffLogin, at: start) } == .wrongPurpose)
            #expect(refusal { _ = try challenges.pending(id: issued.id, binding: browser, purpose: .citizenLogin,
                                                         at: issued.expiresAt) } == .expired)
            #expect(refusal { _ = try challenges.pending(id: "not-an-id", binding: browser, purpose: .citizenLogin, at: start) } == .unknown)
            // Ten wrong reads later the owner still gets it: reading counts nothing.
            #expect(try challenges.consume(id: issued.id, binding: browser, purpose: .citizenLogin, at: start) == issued.text)
        }
    }

    @Test func anOfferIsTakenOnceByItsBrowser() throws {
        try withStore { _, offers in
            let id = try offers.make(certificate: certificate, binding: browser, at: start)
            #expect(id.count == 22)
            #expect(refusal { _ = try offers.take(id: id, binding: stranger, at: start) } == .wrongBinding)
            #expect(try offers.take(id: id, binding: browser, at: start.addingTimeInterval(60)) == certificate)
            #expect(refusal { _ = try offers.take(id: id, binding: browser, at: start.addingTimeInterval(61)) } == .unknown)
        }
    }

    @Test func anExpiredOfferIsRefusedAndGone() throws {
        try withStore { _, offers in
            let id = try offers.make(certificate: certificate, binding: browser, at: start)
            #expect(refusal { _ = try offers.take(id: id, binding: browser, at: start.addingTimeInterval(offers.lifetime)) } == .expired)
            #expect(refusal { _ = try offers.take(id: id, binding: browser, at: start) } == .unknown)
            #expect(refusal { _ = try offers.make(certificate: certificate, binding: [], at: start) } == .emptyBinding)
        }
    }

    @Test func purgeRemovesOnlyExpiredOffers() throws {
        try withStore { _, offers in
            _ = try offers.make(certificate: certificate, binding: browser, at: start)
            let fresh = try offers.make(certificate: certificate, binding: browser, at: start.addingTimeInterval(3600))
            #expect(try offers.purgeExpired(before: start.addingTimeInterval(1800)) == 1)
            #expect(try offers.take(id: fresh, binding: browser, at: start.addingTimeInterval(3600)) == certificate)
        }
    }
}
