import Citizens
@testable import Federation
import Foundation
import Testing

@Suite struct AuthorizationFlowTests {
    let now = Date(timeIntervalSince1970: 1_800_000_000)

    func login(age: TimeInterval = 60, level: AccountLevel = .standard) -> CitizenLogin {
        CitizenLogin(citizenID: 1, publicID: "1000000001", level: level, authenticatedAt: now.addingTimeInterval(-age), method: "pwd",
                     sessionHandle: "h")
    }

    func request(_ prompts: [AuthorizationRequest.Prompt] = [], maxAge: Int? = nil, level: AccountLevel? = nil,
                 scopes: [Scope] = [.openid, .fullname]) -> AuthorizationRequest {
        AuthorizationRequest(clientID: "web", redirectURI: "https://web.example/cb", scopes: scopes, prompts: prompts, maxAge: maxAge,
                             requestedLevel: level, loginHint: "hint")
    }

    func step(_ request: AuthorizationRequest, _ login: CitizenLogin?, consented: Set<Scope>? = [.openid, .fullname],
              minimum: AccountLevel = .simplified, requestedAt: Date? = nil) throws -> AuthorizationStep {
        try AuthorizationFlow.nextStep(request, login: login, consented: consented, minimumLevel: minimum,
                                       requestedAt: requestedAt ?? now, now: now)
    }

    func silentError(_ body: () throws -> AuthorizationStep) -> OAuthError.Code? {
        do { _ = try body() } catch let error as OAuthError { return error.code } catch { return nil }
        return nil
    }

    @Test func withoutALoginTheCitizenLogsIn() throws {
        #expect(try step(request(), nil) == .login(hint: "hint"))
        #expect(silentError { try step(request([.none]), nil) } == .loginRequired)
    }

    @Test func promptLoginAndMaxAgeAskForAFreshLogin() throws {
        #expect(try step(request([.login]), login(age: 5)) == .login(hint: "hint"))
        // Once the citizen logged in after the request arrived, the request goes on.
        #expect(try step(request([.login]), login(age: 5), requestedAt: now.addingTimeInterval(-10)) == .issueCode)
        #expect(try step(request(maxAge: 30), login(age: 31)) == .login(hint: "hint"))
        #expect(try step(request(maxAge: 30), login(age: 30)) == .issueCode)
        #expect(try step(request(maxAge: 0), login(age: 1)) == .login(hint: "hint"))
        #expect(silentError { try step(request([.none], maxAge: 30), login(age: 31)) } == .loginRequired)
    }

    @Test func aLevelBelowThePortalsOrTheRequestedOneIsRefused() throws {
        #expect(try step(request(), login(level: .simplified), minimum: .standard) == .levelTooLow(required: .standard))
        #expect(try step(request(level: .confirmed), login(level: .standard)) == .levelTooLow(required: .confirmed))
        #expect(try step(request(level: .simplified), login(level: .standard), minimum: .standard) == .issueCode)
        #expect(silentError { try step(request([.none], level: .confirmed), login()) } == .accessDenied)
    }

    @Test func consentCoversSubsetsOnly() throws {
        #expect(try step(request(), login(), consented: nil) == .consent)
        #expect(try step(request(scopes: [.openid]), login(), consented: [.openid, .fullname]) == .issueCode)
        #expect(try step(request(scopes: [.openid, .fullname, .snils]), login(), consented: [.openid, .fullname]) == .consent)
        #expect(try step(request([.consent]), login()) == .consent)
        #expect(silentError { try step(request([.none], scopes: [.openid, .snils]), login()) } == .consentRequired)
        #expect(try step(request([.none]), login()) == .issueCode)
    }

    @Test func amrFollowsTheSessionsMethod() {
        var login = login()
        #expect(login.amr == ["pwd"])
        login.method = "signature"
        #expect(login.amr == ["signature"])
        login.method = "registration"
        #expect(login.amr == ["pwd"])
    }
}
