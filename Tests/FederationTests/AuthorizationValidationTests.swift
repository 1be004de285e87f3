import Citizens
@testable import Federation
import Foundation
import Testing

@Suite struct AuthorizationValidationTests {
    typealias P = ProviderHarness

    /// The failure of validating `parameters`.
    static func failure(_ provider: OpenIDProvider, _ parameters: [(name: String, value: String)]) -> AuthorizationFailure? {
        do {
            _ = try provider.validateAuthorization(parameters)
            return nil
        } catch {
            return error
        }
    }

    static func redirected(_ provider: OpenIDProvider, _ parameters: [(name: String, value: String)]) -> OAuthError.Code? {
        if case .redirect(let error, let uri, let state)? = failure(provider, parameters) {
            #expect(uri == P.webRedirect || uri == P.spaRedirect)
            #expect(state == "s-123")
            return error.code
        }
        return nil
    }

    static func replacing(_ name: String, with value: String?, in parameters: [(name: String, value: String)]) -> [(name: String, value: String)] {
        var result = parameters.filter { $0.name != name }
        if let value { result.append((name, value)) }
        return result
    }

    @Test func aGoodRequestGivesEveryValue() throws {
        try withProvider { p in
            let request = try p.provider.validateAuthorization(P.webRequest(scope: "fullname openid fullname", [
                ("prompt", "login consent"), ("max_age", "300"), ("acr_values", "confirmed standard gold"), ("login_hint", "+79161234567"),
                ("code_challenge", PKCE.challenge(for: String(repeating: "v", count: 43))), ("code_challenge_method", "S256"),
            ]))
            #expect(request.clientID == "web" && request.redirectURI == P.webRedirect)
            #expect(request.scopes == [.openid, .fullname])
            #expect(request.state == "s-123" && request.nonce == "n-456")
            #expect(request.prompts == [.login, .consent] && request.maxAge == 300)
            #expect(request.requestedLevel == .standard)
            #expect(request.loginHint == "+79161234567" && request.codeChallenge?.count == 43)
        }
    }

    @Test func clientAndRedirectURIProblemsArePagesNeverRedirects() throws {
        try withProvider { p in
            let good = P.webRequest()
            #expect(Self.failure(p.provider, Self.replacing("client_id", with: nil, in: good)) == .page(.missingClientID))
            #expect(Self.failure(p.provider, Self.replacing("client_id", with: "nobody", in: good)) == .page(.unknownClient))
            #expect(Self.failure(p.provider, Self.replacing("redirect_uri", with: nil, in: good)) == .page(.missingRedirectURI))
            #expect(Self.failure(p.provider, Self.replacing("redirect_uri", with: "https://evil.example/cb", in: good)) == .page(.unregisteredRedirectURI))
            // Exact match: a trailing slash, another case or an added query is another URI.
            #expect(Self.failure(p.provider, Self.replacing("redirect_uri", with: P.webRedirect + "/", in: good)) == .page(.unregisteredRedirectURI))
            #expect(Self.failure(p.provider, Self.replacing("redirect_uri", with: P.webRedirect + "?x=1", in: good)) == .page(.unregisteredRedirectURI))
            #expect(Self.failure(p.provider, Self.replacing("redirect_uri", with: "https://WEB.example/callback", in: good)) == .page(.unregisteredRedirectURI))
            #expect(Self.failure(p.provider, good + [(name: "redirect_uri", value: P.webRedirect)]) == .page(.duplicateParameter))
            #expect(Self.failure(p.provider, good + [(name: "client_id", value: "web")]) == .page(.duplicateParameter))
            // Even a bad response_type is not redirected while the redirect URI is unknown.
            let both = Self.replacing("response_type", with: "token", in: Self.replacing("redirect_uri", with: "https://evil.example", in: good))
            #expect(Self.failure(p.provider, both) == .page(.unregisteredRedirectURI))
            try p.h.registry.disable(clientID: "web", actor: "test")
            #expect(Self.failure(p.provider, good) == .page(.unknownClient))
        }
    }

    @Test func otherProblemsAreRedirectedWithTheState() throws {
        try withProvider { p in
            let good = P.webRequest()
            #expect(Self.redirected(p.provider, good + [(name: "state", value: "again")]) == .invalidRequest)
            #expect(Self.redirected(p.provider, good + [(name: "scope", value: "openid")]) == .invalidRequest)
            #expect(Self.redirected(p.provider, Self.replacing("response_type", with: nil, in: good)) == .invalidRequest)
            #expect(Self.redirected(p.provider, Self.replacing("response_type", with: "token", in: good)) == .unsupportedResponseType)
            #expect(Self.redirected(p.provider, Self.replacing("response_type", with: "code id_token", in: good)) == .unsupportedResponseType)
            #expect(Self.redirected(p.provider, Self.replacing("scope", with: nil, in: good)) == .invalidScope)
            #expect(Self.redirected(p.provider, Self.replacing("scope", with: "fullname", in: good)) == .invalidScope)
            #expect(Self.redirected(p.provider, Self.replacing("scope", with: "openid profile", in: good)) == .invalidScope)
            #expect(Self.redirected(p.provider, Self.replacing("scope", with: "openid addresses", in: good)) == .invalidScope)
            #expect(Self.redirected(p.provider, good + [(name: "request", value: "eyJ...")]) == .requestNotSupported)
            #expect(Self.redirected(p.provider, good + [(name: "request_uri", value: "https://x")]) == .requestURINotSupported)
            #expect(Self.redirected(p.provider, good + [(name: "registration", value: "{}")]) == .registrationNotSupported)
            #expect(Self.redirected(p.provider, good + [(name: "response_mode", value: "fragment")]) == .invalidRequest)
            #expect(Self.redirected(p.provider, good + [(name: "prompt", value: "none login")]) == .invalidRequest)
            #expect(Self.redirected(p.provider, good + [(name: "prompt", value: "sometimes")]) == .invalidRequest)
            #expect(Self.redirected(p.provider, good + [(name: "max_age", value: "-1")]) == .invalidRequest)
            #expect(Self.redirected(p.provider, good + [(name: "max_age", value: "soon")]) == .invalidRequest)
            #expect(Self.redirected(p.provider, Self.replacing("nonce", with: String(repeating: "n", count: 513), in: good)) == .invalidRequest)
        }
    }

    @Test func pkceIsS256OnlyAndRequiredForPublicClients() throws {
        try withProvider { p in
            let challenge = PKCE.challenge(for: String(repeating: "a", count: 50))
            let spa = P.webRequest().map { $0.name == "client_id" ? (name: "client_id", value: "spa") : $0 }
                .map { $0.name == "redirect_uri" ? (name: "redirect_uri", value: P.spaRedirect) : $0 }
            #expect(Self.redirected(p.provider, spa) == .invalidRequest)
            #expect(Self.redirected(p.provider, spa + [(name: "code_challenge", value: challenge)]) == .invalidRequest)
            #expect(Self.redirected(p.provider, spa + [(name: "code_challenge", value: challenge), (name: "code_challenge_method", value: "plain")])
                == .invalidRequest)
            #expect(Self.redirected(p.provider, spa + [(name: "code_challenge", value: "short"), (name: "code_challenge_method", value: "S256")])
                == .invalidRequest)
            #expect(Self.redirected(p.provider, P.webRequest([("code_challenge_method", "S256")])) == .invalidRequest)
            let ok = try p.provider.validateAuthorization(spa + [(name: "code_challenge", value: challenge), (name: "code_challenge_method", value: "S256")])
            #expect(ok.codeChallenge == challenge)
            // Confidential clients may leave PKCE out.
            #expect(try p.provider.validateAuthorization(P.webRequest()).codeChallenge == nil)
        }
    }

    @Test func esiaPortalsAreNotServedHere() throws {
        try withProvider { p in
            _ = try p.h.registry.add(draft("INSP03211") {
                $0.dialect = "esia"; $0.certificate = testCertificateDER; $0.redirectURIs = [P.webRedirect]
            }, actor: "test")
            let request = P.webRequest().map { $0.name == "client_id" ? (name: "client_id", value: "INSP03211") : $0 }
            #expect(Self.redirected(p.provider, request) == .unauthorizedClient)
        }
    }

    @Test func pkceFollowsRFC7636AppendixB() {
        #expect(PKCE.challenge(for: "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk") == "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM")
        #expect(PKCE.verify("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk", challenge: "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"))
        #expect(!PKCE.verify("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXj", challenge: "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"))
        #expect(!PKCE.isWellFormedVerifier(String(repeating: "a", count: 42)))
        #expect(!PKCE.isWellFormedVerifier(String(repeating: "a", count: 129)))
        #expect(!PKCE.isWellFormedVerifier(String(repeating: "a", count: 42) + "+"))
    }

    @Test func redirectURLsKeepTheRegisteredQueryAndEncodeValues() {
        #expect(RedirectURL.build("https://a.example/cb", [("code", "x y&z"), ("state", nil)]) == "https://a.example/cb?code=x%20y%26z")
        #expect(RedirectURL.build("https://a.example/cb?app=1", [("code", "é")]) == "https://a.example/cb?app=1&code=%C3%A9")
    }
}
