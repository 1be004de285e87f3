import Crypto
import Foundation
@testable import HeadCA
import Storage
import Support
import Testing

/// Challenges over a fresh temporary database; removed afterwards.
private func withChallenges(_ settings: ChallengeSettings = .init(), _ body: (SignatureChallenges, Database) throws -> Void) throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("challenges-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let database = try Database(path: directory.appendingPathComponent("test.sqlite").path)
    defer { database.close() }
    try database.migrate(SignatureChallenges.migrations)
    try body(SignatureChallenges(database: database, bindingKey: .random(), settings: settings), database)
}

private func challengeError(_ body: () throws -> Void) -> ChallengeError? {
    do {
        try body()
        return nil
    } catch let error as ChallengeError {
        return error
    } catch {
        return nil
    }
}

@Suite struct SignatureChallengeTests {
    let start = Date(timeIntervalSince1970: 1_800_000_000)
    let browser = Array("anonymous-session-token-of-the-browser".utf8)
    let stranger = Array("someone-else".utf8)

    @Test func theTextIsReadableAndNamesItsIdPurposeAndTimes() throws {
        try withChallenges { challenges, _ in
            let challenge = try challenges.issue(binding: browser, purpose: .citizenLogin, at: start)
            #expect(challenge.id.count == 22 && SignatureChallenges.isWellFormedID(challenge.id))
            #expect(challenge.expiresAt == start.addingTimeInterval(300))
            let lines = challenge.textString.split(separator: "\n", omittingEmptySubsequences: false)
            #expect(lines.count == 7 && lines.last == "")
            #expect(lines[0].hasPrefix("OpenESIA"))
            #expect(lines[1] == "purpose: citizen-login")
            #expect(lines[2] == "id: \(challenge.id)")
            #expect(lines[3].hasPrefix("nonce: ") && Base64URL.decode(String(lines[3].dropFirst(7)))?.count == 32)
            #expect(lines[4] == "issued: 2027-01-15T08:00:00.000Z")
            #expect(lines[5] == "expires: 2027-01-15T08:05:00.000Z")
            #expect(!challenge.textString.contains("\r"))
            let other = try challenges.issue(binding: browser, purpose: .citizenLogin, at: start)
            #expect(other.id != challenge.id && other.text != challenge.text)
        }
    }

    @Test func theDatabaseHoldsAnHMACOfTheBindingNotTheBinding() throws {
        try withChallenges { challenges, database in
            _ = try challenges.issue(binding: browser, purpose: .citizenLogin, at: start)
            let stored = try database.read { try $0.queryOne("SELECT binding_hmac FROM signature_challenges")!.blob(0) }
            #expect(stored.count == 32 && stored != browser)
        }
    }

    @Test func consumingReturnsTheTextOnceOnly() throws {
        try withChallenges { challenges, database in
            let challenge = try challenges.issue(binding: browser, purpose: .citizenLogin, at: start)
            let text = try challenges.consume(id: challenge.id, binding: browser, purpose: .citizenLogin, at: start.addingTimeInterval(60))
            #expect(text == challenge.text)
            // Replay: the same submission again, whatever its signature, is refused.
            #expect(challengeError { _ = try challenges.consume(id: challenge.id, binding: browser, purpose: .citizenLogin,
                                                                at: start.addingTimeInterval(61)) } == .alreadyUsed)
            let used = try database.read { try $0.queryOne("SELECT used_at FROM signature_challenges")!.int64(0) }
            #expect(used == 1_800_000_060_000)
        }
    }

    /// `spend` commits or rolls back with the caller's write: a login that fails in its write leaves the challenge usable,
    /// one that commits spends it, and a second spend (two submissions racing) is refused.
    @Test func spendingFollowsTheCallersWrite() throws {
        struct Abort: Error {}
        try withChallenges { challenges, database in
            let challenge = try challenges.issue(binding: browser, purpose: .citizenLogin, at: start)
            let later = start.addingTimeInterval(30)
            #expect(throws: Abort.self) {
                try database.write { db in
                    try challenges.spend(id: challenge.id, binding: browser, purpose: .citizenLogin, at: later, using: db)
                    throw Abort()
                }
            }
            #expect(try challenges.pending(id: challenge.id, binding: browser, purpose: .citizenLogin, at: later).text == challenge.text)
            try database.write { db in
                try challenges.spend(id: challenge.id, binding: browser, purpose: .citizenLogin, at: later, using: db)
            }
            #expect(challengeError {
                try database.write { db in
                    try challenges.spend(id: challenge.id, binding: browser, purpose: .citizenLogin, at: later, using: db)
                }
            } == .alreadyUsed)
            #expect(challengeError { _ = try challenges.pending(id: challenge.id, binding: browser, purpose: .citizenLogin, at: later) }
                    == .alreadyUsed)
        }
    }

    @Test func anExpiredChallengeFails() throws {
        try withChallenges { challenges, _ in
            let challenge = try challenges.issue(binding: browser, purpose: .citizenLogin, at: start)
            #expect(challengeError { _ = try challenges.consume(id: challenge.id, binding: browser, purpose: .citizenLogin,
                                                                at: start.addingTimeInterval(300)) } == .expired)
            #expect(challengeError { _ = try challenges.consume(id: challenge.id, binding: browser, purpose: .citizenLogin,
                                                                at: start.addingTimeInterval(3600)) } == .expired)
        }
    }

    @Test func theLifetimeComesFromTheSettings() throws {
        var settings = ChallengeSettings()
        settings.lifetime = 30
        try withChallenges(settings) { challenges, _ in
            let challenge = try challenges.issue(binding: browser, purpose: .staffLogin, at: start)
            #expect(challenge.expiresAt == start.addingTimeInterval(30))
            #expect(challengeError { _ = try challenges.consume(id: challenge.id, binding: browser, purpose: .staffLogin,
                                                                at: start.addingTimeInterval(31)) } == .expired)
        }
    }

    @Test func aWrongBindingDoesNotSpendTheChallengeButFiveKillIt() throws {
        try withChallenges { challenges, _ in
            let challenge = try challenges.issue(binding: browser, purpose: .citizenLogin, at: start)
            for _ in 0..<4 {
                #expect(challengeError { _ = try challenges.consume(id: challenge.id, binding: stranger, purpose: .citizenLogin,
                                                                    at: start) } == .wrongBinding)
            }
            #expect(challengeError { _ = try challenges.consume(id: challenge.id, binding: [], purpose: .citizenLogin, at: start) }
                    == .wrongBinding)
            // Five wrong presentations: even the owner cannot use it now.
            #expect(challengeError { _ = try challenges.consume(id: challenge.id, binding: browser, purpose: .citizenLogin,
                                                                at: start) } == .exhausted)
            #expect(challengeError { _ = try challenges.consume(id: challenge.id, binding: stranger, purpose: .citizenLogin,
                                                                at: start) } == .exhausted)

            let second = try challenges.issue(binding: browser, purpose: .citizenLogin, at: start)
            for _ in 0..<4 {
                _ = challengeError { _ = try challenges.consume(id: second.id, binding: stranger, purpose: .citizenLogin, at: start) }
            }
            #expect(try challenges.consume(id: second.id, binding: browser, purpose: .citizenLogin, at: start) == second.text)
        }
    }

    @Test func theOtherPurposeIsRefusedWithoutSpendingIt() throws {
        try withChallenges { challenges, _ in
            let challenge = try challenges.issue(binding: browser, purpose: .staffLogin, at: start)
            #expect(challengeError { _ = try challenges.consume(id: challenge.id, binding: browser, purpose: .citizenLogin,
                                                                at: start) } == .wrongPurpose)
            #expect(try challenges.consume(id: challenge.id, binding: browser, purpose: .staffLogin, at: start) == challenge.text)
        }
    }

    @Test func unknownAndMalformedIdsAreUnknown() throws {
        try withChallenges { challenges, _ in
            for id in ["", "AAAAAAAAAAAAAAAAAAAAAA", "short", "not/base64url+chars!!!", String(repeating: "A", count: 10_000)] {
                #expect(challengeError { _ = try challenges.consume(id: id, binding: browser, purpose: .citizenLogin, at: start) }
                        == .unknown)
            }
        }
    }

    @Test func anEmptyBindingIsRefusedAtIssue() throws {
        try withChallenges { challenges, database throws in
            #expect(challengeError { _ = try challenges.issue(binding: [], purpose: .citizenLogin, at: start) } == .emptyBinding)
            #expect(try database.read { try $0.queryOne("SELECT COUNT(*) FROM signature_challenges")!.int(0) } == 0)
        }
    }

    @Test func purgeRemovesOnlyExpiredRows() throws {
        try withChallenges { challenges, database in
            let old = try challenges.issue(binding: browser, purpose: .citizenLogin, at: start)
            _ = try challenges.consume(id: old.id, binding: browser, purpose: .citizenLogin, at: start)
            _ = try challenges.issue(binding: browser, purpose: .citizenLogin, at: start)
            let fresh = try challenges.issue(binding: browser, purpose: .citizenLogin, at: start.addingTimeInterval(600))
            #expect(try challenges.purgeExpired(before: start.addingTimeInterval(601)) == 2)
            #expect(try database.read { try $0.query("SELECT id FROM signature_challenges").map { try $0.string(0) } } == [fresh.id])
            #expect(challengeError { _ = try challenges.consume(id: old.id, binding: browser, purpose: .citizenLogin, at: start) }
                    == .unknown)
        }
    }
}
