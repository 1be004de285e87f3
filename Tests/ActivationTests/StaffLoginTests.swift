@testable import Activation
import Audit
import Citizens
import Crypto
import Foundation
import Storage
import Support
import Testing

@Suite struct StaffLoginTests {
    @Test func passwordAndCodeLogIn() throws {
        try withStaffFixture { f in
            let (member, secret) = try f.add("ivan", .operator, centre: "MSK-001")
            let result = try f.staff.authenticate(login: "Ivan", password: StaffFixture.password, totpCode: f.code(secret),
                                                  source: StaffFixture.source)
            #expect(result == member)
            let succeeded = try f.records("staff.login.succeeded")
            #expect(succeeded.count == 1)
            #expect(succeeded[0].event.actor == member.subject && succeeded[0].event.subject == member.subject)
            #expect(succeeded[0].event.sourceAddress == "192.0.2.10")
            #expect(succeeded[0].event.details["centre"] == "MSK-001" && succeeded[0].event.details["role"] == "operator")
            let step = try f.database.read { try $0.queryOne("SELECT totp_last_step FROM staff")!.int64(0) }
            #expect(step == TOTP.step(time: f.clock.now()))
        }
    }

    @Test func everyFailureGetsTheSameAnswerAndItsOwnAuditReason() throws {
        try withStaffFixture { f in
            let (member, secret) = try f.add("ivan", .operator, centre: "MSK-001")
            func attempt(_ login: String, _ password: String, _ code: String) -> StaffError? {
                f.staffError { _ = try f.staff.authenticate(login: login, password: password, totpCode: code, source: StaffFixture.source) }
            }
            let wrongCode = f.code(secret) == "000000" ? "111111" : "000000"
            #expect(attempt("ivan", "wrong password!", f.code(secret)) == .wrongCredentials)
            #expect(attempt("ivan", StaffFixture.password, wrongCode) == .wrongCredentials)
            #expect(attempt("ivan", StaffFixture.password, "") == .wrongCredentials)
            #expect(attempt("nobody", StaffFixture.password, f.code(secret)) == .wrongCredentials)
            #expect(attempt("not a login!", StaffFixture.password, f.code(secret)) == .wrongCredentials)
            let failed = try f.records("staff.login.failed")
            #expect(failed.map { $0.event.details["reason"] } == ["password", "totp", "totp", "unknown-login", "unknown-login"])
            #expect(failed.map(\.event.subject) == [member.subject, member.subject, member.subject, nil, nil])
            #expect(failed.allSatisfy { $0.event.actor == "anonymous" && $0.event.sourceAddress == "192.0.2.10" })
            #expect(try f.records("staff.login.succeeded").isEmpty)
        }
    }

    @Test func aCodeLogsInOnceOnly() throws {
        try withStaffFixture { f in
            let (_, secret) = try f.add("ivan", .operator, centre: "MSK-001")
            let code = f.code(secret)
            _ = try f.staff.authenticate(login: "ivan", password: StaffFixture.password, totpCode: code, source: StaffFixture.source)
            // Within the same 30 s and the window after it, the code still "verifies", but its step is used up.
            f.clock.advance(by: 5)
            #expect(f.staffError { _ = try f.staff.authenticate(login: "ivan", password: StaffFixture.password, totpCode: code,
                                                                source: StaffFixture.source) } == .wrongCredentials)
            #expect(try f.records("staff.login.failed").last?.event.details["reason"] == "totp-replay")
            f.clock.advance(by: 30)
            #expect(f.staffError { _ = try f.staff.authenticate(login: "ivan", password: StaffFixture.password, totpCode: code,
                                                                source: StaffFixture.source) } == .wrongCredentials)
            // The next step's code is fresh.
            _ = try f.staff.authenticate(login: "ivan", password: StaffFixture.password, totpCode: f.code(secret), source: StaffFixture.source)
        }
    }

    @Test func codesFromTheNeighbouringStepsAreAccepted() throws {
        try withStaffFixture { f in
            let (_, secret) = try f.add("ivan", .operator, centre: "MSK-001")
            let early = TOTP.code(secret: secret, time: f.clock.now().addingTimeInterval(-30))
            _ = try f.staff.authenticate(login: "ivan", password: StaffFixture.password, totpCode: early, source: StaffFixture.source)
            f.clock.advance(by: 30)
            let late = TOTP.code(secret: secret, time: f.clock.now().addingTimeInterval(30))
            _ = try f.staff.authenticate(login: "ivan", password: StaffFixture.password, totpCode: late, source: StaffFixture.source)
            f.clock.advance(by: 30)
            let tooLate = TOTP.code(secret: secret, time: f.clock.now().addingTimeInterval(90))
            #expect(f.staffError { _ = try f.staff.authenticate(login: "ivan", password: StaffFixture.password, totpCode: tooLate,
                                                                source: StaffFixture.source) } == .wrongCredentials)
        }
    }

    @Test func failuresAreThrottledPerAccountEvenWithTheRightCredentials() throws {
        try withStaffFixture { f in
            let (_, secret) = try f.add("ivan", .operator, centre: "MSK-001")
            let other = RequestSource(address: "198.51.100.7")
            func wrongPassword() {
                _ = try? f.staff.authenticate(login: "ivan", password: "wrong password!", totpCode: "000000", source: StaffFixture.source)
            }
            func rightCredentials() -> StaffError? {
                f.staffError { _ = try f.staff.authenticate(login: "ivan", password: StaffFixture.password, totpCode: f.code(secret), source: other) }
            }
            for _ in 0..<3 { wrongPassword() }
            #expect(rightCredentials() == .throttled(retryAfterSeconds: 1))
            // Locked after ten failures within the hour, past every delay.
            for _ in 0..<7 {
                f.clock.advance(by: 61)
                wrongPassword()
            }
            f.clock.advance(by: 61)
            #expect(rightCredentials() == .throttled(retryAfterSeconds: 15 * 60 - 61))
            f.clock.advance(by: 15 * 60)
            #expect(rightCredentials() == nil)
            // Success forgets the account's failures.
            let row = try f.database.read { try $0.queryOne("SELECT 1 FROM login_throttle WHERE key = ?", ["staff:1"]) }
            #expect(row == nil)
        }
    }

    @Test func unknownLoginsAreThrottledLikeAccounts() throws {
        try withStaffFixture { f in
            for _ in 0..<3 {
                _ = try? f.staff.authenticate(login: "ghost", password: "x", totpCode: "1", source: StaffFixture.source)
            }
            let error = f.staffError {
                _ = try f.staff.authenticate(login: "GHOST", password: "x", totpCode: "1", source: RequestSource(address: "198.51.100.7"))
            }
            #expect(error == .throttled(retryAfterSeconds: 1))
            // The key is derived from the login, not the login itself.
            let keys = try f.database.read { try $0.query("SELECT key FROM login_throttle").map { try $0.string(0) } }
            #expect(keys.contains("address:192.0.2.10"))
            #expect(keys.contains { $0.hasPrefix("staff-login:") && !$0.contains("ghost") })
        }
    }

    @Test func disabledAccountsCannotLogIn() throws {
        try withStaffFixture { f in
            let (member, secret) = try f.add("ivan", .operator, centre: "MSK-001")
            try f.staff.disable(staffID: member.id, by: .commandLine)
            #expect(f.staffError { _ = try f.staff.authenticate(login: "ivan", password: StaffFixture.password, totpCode: f.code(secret),
                                                                source: StaffFixture.source) } == .wrongCredentials)
            #expect(try f.records("staff.login.failed").last?.event.details["reason"] == "disabled")
        }
    }

    @Test func loginMakesAShortStaffSessionThatOnlyStaffPagesAccept() throws {
        try withStaffFixture { f in
            let (member, secret) = try f.add("ivan", .operator, centre: "MSK-001")
            let login = try f.staff.login(login: "ivan", password: StaffFixture.password, totpCode: f.code(secret), source: StaffFixture.source)
            #expect(login.member == member)
            #expect(login.session.subject == "staff:\(member.id)" && login.session.authenticationMethod == "pwd+otp")
            #expect(try f.staff.member(sessionToken: login.sessionToken) == member)
            #expect(try f.records("staff.login.succeeded").last?.event.details["session"] == "yes")

            // A citizen's session in the same table does not open the staff console.
            let citizen = try f.database.write { try f.sessions.create(subject: "citizen:1", method: "pwd", userAgent: "", sourceAddress: "x", using: $0) }
            #expect(try f.staff.member(sessionToken: citizen.token) == nil)
            #expect(try f.staff.member(sessionToken: "not a token") == nil)

            // Ten idle minutes end it.
            f.clock.advance(by: 10 * 60)
            #expect(try f.staff.member(sessionToken: login.sessionToken) == nil)

            // Disabling ends the sessions at once.
            f.clock.advance(by: 30)
            let again = try f.staff.login(login: "ivan", password: StaffFixture.password, totpCode: f.code(secret), source: StaffFixture.source)
            try f.staff.disable(staffID: member.id, by: .commandLine)
            #expect(try f.staff.member(sessionToken: again.sessionToken) == nil)
            #expect(try f.sessions.list(subject: member.subject).isEmpty)
        }
    }

    @Test func logoutEndsTheSessionAndIsAudited() throws {
        try withStaffFixture { f in
            let (member, secret) = try f.add("ivan", .operator, centre: "MSK-001")
            let login = try f.staff.login(login: "ivan", password: StaffFixture.password, totpCode: f.code(secret), source: StaffFixture.source)
            try f.staff.logout(sessionToken: login.sessionToken, source: StaffFixture.source)
            #expect(try f.staff.member(sessionToken: login.sessionToken) == nil)
            let logout = try #require(try f.records("staff.logout").first)
            #expect(logout.event.actor == member.subject && logout.event.details["centre"] == "MSK-001")
        }
    }

    @Test func aCheaperStoredHashIsUpgradedAtLogin() throws {
        try withStaffFixture { f in
            let (_, secret) = try f.add("ivan", .operator, centre: "MSK-001")
            let cheaper = try PasswordHash.make(password: StaffFixture.password, parameters: ScryptParameters(logN: 10, r: 1, p: 1))
            try f.database.write { try $0.execute("UPDATE staff SET password_hash = ?", [.text(cheaper)]) }
            _ = try f.staff.authenticate(login: "ivan", password: StaffFixture.password, totpCode: f.code(secret), source: StaffFixture.source)
            let stored = try f.database.read { try $0.queryOne("SELECT password_hash FROM staff")!.string(0) }
            #expect(PasswordHash.parameters(of: stored) == ScryptParameters(logN: 10, r: 8, p: 1))
        }
    }
}
