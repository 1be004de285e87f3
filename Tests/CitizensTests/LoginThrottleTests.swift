@testable import Citizens
import Crypto
import Foundation
import Storage
import Support
import Testing

private let account = "account:42"
private let address = "address:192.0.2.7"

private func fail(_ throttle: LoginThrottle, _ db: Database, _ keys: [String], times: Int = 1) throws {
    for _ in 0..<times { try db.write { try throttle.recordFailure(keys: keys, using: $0) } }
}

private func failures(_ db: Database, _ key: String) throws -> Int? {
    try db.read { try $0.queryOne("SELECT failures FROM login_throttle WHERE key = ?", [.text(key)])?.int(0) }
}

@Test func freeFailuresThenGrowingDelays() throws {
    try withSessionDatabase { db, _ in
        let clock = FixedClock()
        let throttle = LoginThrottle(database: db, policy: ThrottlePolicy(), clock: clock)
        #expect(try throttle.check(keys: [account, address]) == .allowed)
        try fail(throttle, db, [account, address], times: 2)
        #expect(try throttle.check(keys: [account, address]) == .allowed)
        // The third failure uses up the free ones: 1 s, then 2, 4, 8 … after each further failure.
        var expected: Double = 1
        for _ in 0..<6 {
            try fail(throttle, db, [account, address])
            let until = clock.now().addingTimeInterval(expected)
            #expect(try throttle.check(keys: [account, address]) == .delayed(until: until))
            clock.advance(by: expected - 0.5)
            #expect(try throttle.check(keys: [account]) == .delayed(until: until))
            clock.advance(by: 0.5)
            #expect(try throttle.check(keys: [account, address]) == .allowed)
            expected *= 2
        }
        #expect(try failures(db, account) == 8)
    }
}

@Test func delayIsCappedAtMaxDelay() {
    let policy = ThrottlePolicy()
    #expect(policy.delay(failures: 2, key: account) == 0)
    #expect(policy.delay(failures: 3, key: account) == 1)
    #expect(policy.delay(failures: 9, key: account) == 60)
    #expect(policy.delay(failures: 10_000, key: account) == 60)
    #expect(policy.delay(failures: 19, key: address) == 0)
    #expect(policy.delay(failures: 20, key: address) == 1)
}

@Test func lockoutAfterTooManyFailuresWithinWindow() throws {
    try withSessionDatabase { db, _ in
        let clock = FixedClock()
        let throttle = LoginThrottle(database: db, policy: ThrottlePolicy(), clock: clock)
        for _ in 0..<9 {
            try fail(throttle, db, [account])
            clock.advance(by: 60) // always past the delay
        }
        #expect(try throttle.check(keys: [account]) == .allowed)
        try fail(throttle, db, [account])
        let until = clock.now().addingTimeInterval(15 * 60)
        #expect(try throttle.check(keys: [account]) == .lockedOut(until: until))
        #expect(try throttle.check(keys: [account, address]) == .lockedOut(until: until))
        clock.advance(by: 15 * 60 - 1)
        #expect(try throttle.check(keys: [account]) == .lockedOut(until: until))
        clock.advance(by: 1)
        // The lock is over, but the failures are still in the window: one more failure locks again at once.
        #expect(try throttle.check(keys: [account]) == .allowed)
        try fail(throttle, db, [account])
        #expect(try throttle.check(keys: [account]) == .lockedOut(until: clock.now().addingTimeInterval(15 * 60)))
    }
}

@Test func failuresOlderThanWindowAreForgotten() throws {
    try withSessionDatabase { db, _ in
        let clock = FixedClock()
        let throttle = LoginThrottle(database: db, policy: ThrottlePolicy(), clock: clock)
        try fail(throttle, db, [account], times: 9)
        #expect(try throttle.check(keys: [account]) != .allowed)
        clock.advance(by: 3600)
        #expect(try throttle.check(keys: [account]) == .allowed)
        // Counting starts afresh: these are free again, and nine more do not lock.
        try fail(throttle, db, [account], times: 2)
        #expect(try failures(db, account) == 2)
        #expect(try throttle.check(keys: [account]) == .allowed)
        try fail(throttle, db, [account], times: 7)
        if case .lockedOut = try throttle.check(keys: [account]) { Issue.record("locked by forgotten failures") }
        #expect(try throttle.purgeStale() == 0)
        clock.advance(by: 3600)
        #expect(try throttle.purgeStale() == 1)
        #expect(try failures(db, account) == nil)
    }
}

@Test func successResetsAccountButNotAddress() throws {
    try withSessionDatabase { db, _ in
        let clock = FixedClock()
        let throttle = LoginThrottle(database: db, policy: ThrottlePolicy(), clock: clock)
        try fail(throttle, db, [account, address], times: 3)
        clock.advance(by: 1)
        try db.write { try throttle.recordSuccess(key: account, using: $0) }
        #expect(try failures(db, account) == nil)
        #expect(try failures(db, address) == 3)
        #expect(try throttle.check(keys: [account]) == .allowed)
        // The next failure of the account is free again; the address keeps counting.
        try fail(throttle, db, [account, address])
        #expect(try failures(db, account) == 1)
        #expect(try failures(db, address) == 4)
    }
}

@Test func addressLocksAcrossAccountsAtItsOwnThreshold() throws {
    try withSessionDatabase { db, _ in
        let clock = FixedClock()
        let throttle = LoginThrottle(database: db, policy: ThrottlePolicy(), clock: clock)
        // One address guessing at 49 different accounts, one try each, slowly enough to pass its delays.
        for n in 0..<49 {
            #expect(try throttle.check(keys: ["account:\(n)", address]) == .allowed)
            try fail(throttle, db, ["account:\(n)", address])
            clock.advance(by: 60)
        }
        #expect(try throttle.check(keys: ["account:1000", address]) == .allowed)
        try fail(throttle, db, ["account:1000", address])
        let until = clock.now().addingTimeInterval(15 * 60)
        #expect(try throttle.check(keys: ["account:1001", address]) == .lockedOut(until: until))
        // The same accounts from another address are still fine: each has only one failure.
        #expect(try throttle.check(keys: ["account:1001", "address:198.51.100.1"]) == .allowed)
    }
}

@Test func addressDelaysStartLater() throws {
    try withSessionDatabase { db, _ in
        let clock = FixedClock()
        let throttle = LoginThrottle(database: db, policy: ThrottlePolicy(), clock: clock)
        try fail(throttle, db, [address], times: 19)
        #expect(try throttle.check(keys: [address]) == .allowed)
        try fail(throttle, db, [address])
        #expect(try throttle.check(keys: [address]) == .delayed(until: clock.now().addingTimeInterval(1)))
    }
}

@Test func unknownAccountKeyBehavesLikeAnAccount() throws {
    try withSessionDatabase { db, _ in
        let clock = FixedClock()
        let throttle = LoginThrottle(database: db, policy: ThrottlePolicy(), clock: clock)
        let unknown = "login:" + Hex.encode(Crypto.HMAC.sha256(key: sessionHashKey, message: "nobody@example.org"))
        var answers: [[ThrottleDecision]] = [[], []]
        for (index, key) in [account, unknown].enumerated() {
            let start = clock.now()
            for _ in 0..<12 {
                try fail(throttle, db, [key])
                answers[index].append(try throttle.check(keys: [key]))
                clock.advance(by: 30)
            }
            // Express the decisions relative to the start, so the two runs compare.
            answers[index] = answers[index].map { relative($0, to: start) }
            clock.advance(by: 7200)
        }
        #expect(answers[0] == answers[1])
        #expect(answers[0].contains { if case .lockedOut = $0 { true } else { false } })
    }
}

private func relative(_ decision: ThrottleDecision, to start: Date) -> ThrottleDecision {
    let epoch = Date(timeIntervalSince1970: 0)
    switch decision {
    case .allowed: return .allowed
    case .delayed(let until): return .delayed(until: epoch.addingTimeInterval(until.timeIntervalSince(start)))
    case .lockedOut(let until): return .lockedOut(until: epoch.addingTimeInterval(until.timeIntervalSince(start)))
    }
}

@Test func strictestDecisionWinsAcrossKeys() throws {
    try withSessionDatabase { db, _ in
        let clock = FixedClock()
        let throttle = LoginThrottle(database: db, policy: ThrottlePolicy(), clock: clock)
        try fail(throttle, db, ["account:1"], times: 10)
        try fail(throttle, db, ["account:2"], times: 5)
        let locked = try throttle.check(keys: ["account:1"])
        #expect(try throttle.check(keys: ["account:2", "account:1", address]) == locked)
        #expect(try throttle.check(keys: ["account:2", address]) == .delayed(until: clock.now().addingTimeInterval(4)))
        // Duplicate keys in one failure count once.
        try fail(throttle, db, [address, address])
        #expect(try failures(db, address) == 1)
    }
}
