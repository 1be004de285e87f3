import Citizens
@testable import Federation
import Testing

@Suite struct PortalValidationTests {
    @Test func aMinimalDraftGetsTheOIDCDefaults() throws {
        let settings = try PortalValidation.check(draft())
        #expect(settings.name == "Городской портал")
        #expect(settings.dialect == .oidc)
        #expect(settings.signingAlgorithm == .es256)
        #expect(settings.authMethods == [.clientSecretBasic])
        #expect(settings.allowedScopes == [.openid])
        #expect(settings.minimumLevel == .simplified)
        #expect(settings.usesSecret && !settings.isPublic)
    }

    @Test func clientIDsAreOneTo64SafeCharactersInEitherCase() {
        for good in ["INSP03211", "portal.example-app_2", "a", String(repeating: "Z", count: 64)] {
            #expect(problems(draft(good)) == [], "\(good)")
        }
        #expect(problems(draft("")) == ["clientId: required"])
        #expect(problems(draft(String(repeating: "a", count: 65))) == ["clientId: tooLong"])
        for bad in ["a b", "a/b", "порт", "a:b", "a\n"] {
            #expect(problems(draft(bad)) == ["clientId: invalidCharacters"], "\(bad)")
        }
    }

    @Test func theNameIsRequiredAndPlain() {
        #expect(problems(draft { $0.name = "  " }) == ["name: required"])
        #expect(problems(draft { $0.name = String(repeating: "я", count: 201) }) == ["name: tooLong"])
        #expect(problems(draft { $0.name = "a\u{7}b" }) == ["name: invalidCharacters"])
        #expect((try? PortalValidation.check(draft { $0.name = "  Портал  " }))?.name == "Портал")
    }

    @Test func redirectURIsMustBeHTTPSExceptForLoopback() {
        for good in ["https://portal.example/cb", "https://portal.example:8443/cb?x=1", "http://127.0.0.1:8080/cb", "http://[::1]/cb",
                     "http://localhost/cb", "http://LOCALHOST:3000/"] {
            #expect(PortalValidation.uriProblem(good) == nil, "\(good)")
        }
        #expect(PortalValidation.uriProblem("http://portal.example/cb") == .httpsRequired)
        #expect(PortalValidation.uriProblem("http://localhost.evil.example/cb") == .httpsRequired)
        #expect(PortalValidation.uriProblem("http://127.0.0.2/cb") == .httpsRequired)
        #expect(PortalValidation.uriProblem("ftp://portal.example/") == .httpsRequired)
        #expect(PortalValidation.uriProblem("com.example.app:/callback") == .httpsRequired)
    }

    @Test func redirectURIsMustBeAbsoluteWithoutFragmentOrUserInfo() {
        #expect(PortalValidation.uriProblem("https://portal.example/cb#top") == .fragmentNotAllowed)
        #expect(PortalValidation.uriProblem("https://portal.example/cb#") == .fragmentNotAllowed)
        #expect(PortalValidation.uriProblem("/callback") == .notAbsolute)
        #expect(PortalValidation.uriProblem("portal.example/cb") == .notAbsolute)
        #expect(PortalValidation.uriProblem("https:///cb") == .notAbsolute)
        #expect(PortalValidation.uriProblem("https://user:pw@portal.example/cb") == .userInfoNotAllowed)
        #expect(PortalValidation.uriProblem("https://portal.example/a b") == .invalidCharacters)
        #expect(PortalValidation.uriProblem("https://портал.example/") == .invalidCharacters)
        #expect(PortalValidation.uriProblem("https://portal.example/%zz") == .invalidFormat)
        #expect(PortalValidation.uriProblem("https://portal.example:99999/") == .invalidFormat)
        #expect(PortalValidation.uriProblem("https://portal.example/" + String(repeating: "a", count: 2000)) == .tooLong)
    }

    @Test func uriListsNameTheBadEntry() {
        #expect(problems(draft { $0.redirectURIs = [] }) == ["redirectUris: required"])
        #expect(problems(draft { $0.redirectURIs = ["https://a.example/cb", "http://a.example/cb", "https://a.example/cb"] })
            == ["redirectUris[1]: httpsRequired", "redirectUris[2]: duplicate"])
        #expect(problems(draft { $0.redirectURIs = (0...20).map { "https://a.example/\($0)" } }) == ["redirectUris: tooMany"])
        #expect(problems(draft { $0.postLogoutRedirectURIs = ["https://a.example/bye#x"] }) == ["postLogoutRedirectUris[0]: fragmentNotAllowed"])
        #expect(problems(draft { $0.backchannelLogoutURI = "http://a.example/logout" }) == ["backchannelLogoutUri: httpsRequired"])
        #expect(problems(draft { $0.backchannelLogoutURI = "" }) == [])
    }

    @Test func scopesComeFromTheKnownTable() throws {
        let settings = try PortalValidation.check(draft { $0.scopes = ["snils", "openid", "fullname", "id_doc", "openid"] })
        #expect(settings.allowedScopes == [.openid, .fullname, .snils, .idDocument])
        #expect(problems(draft { $0.scopes = ["openid", "usr_org"] }) == ["scopes[1]: unknownValue"])
        #expect(problems(draft { $0.scopes = [] }) == ["scopes: required"])
        // ESIA's names are the names: nothing to translate (ESIA-PROTOCOL §9.1); then the two service scopes.
        #expect(Scope.allCases.filter { !$0.isServiceScope }.map(\.rawValue) == ["openid", "fullname", "birthdate", "gender", "snils",
                                                                                 "inn", "id_doc", "email", "mobile", "contacts", "addresses"])
        #expect(Scope.allCases.filter(\.isServiceScope).map(\.rawValue) == ["signatures", "admin"])
    }

    @Test func theMinimumLevelIsAnAccountLevel() throws {
        #expect(try PortalValidation.check(draft { $0.minimumLevel = "confirmed" }).minimumLevel == .confirmed)
        #expect(problems(draft { $0.minimumLevel = "gold" }) == ["minimumLevel: unknownValue"])
    }

    @Test func gostIsRefusedForOIDCAndES256ForESIA() throws {
        #expect(problems(draft { $0.signingAlgorithm = "GOST3410_2012_256" }) == ["signingAlgorithm: notForDialect"])
        #expect(try PortalValidation.check(draft { $0.signingAlgorithm = "RS256" }).signingAlgorithm == .rs256)
        #expect(problems(draft { $0.signingAlgorithm = "HS256" }) == ["signingAlgorithm: unknownValue"])
        let esia = draft("INSP03211") { $0.dialect = "esia"; $0.certificate = testCertificateDER }
        #expect(try PortalValidation.check(esia).signingAlgorithm == .rs256)
        #expect(try PortalValidation.check(esia.with { $0.signingAlgorithm = "GOST3410_2012_256" }).signingAlgorithm == .gost2012_256)
        #expect(problems(esia.with { $0.signingAlgorithm = "ES256" }) == ["signingAlgorithm: notForDialect"])
        #expect(problems(draft { $0.dialect = "saml" }) == ["dialect: unknownValue"])
    }

    @Test func noneIsAPublicClientAndMustBeAlone() throws {
        let settings = try PortalValidation.check(draft { $0.authMethods = ["none"] })
        #expect(settings.isPublic && !settings.usesSecret)
        #expect(problems(draft { $0.authMethods = ["none", "client_secret_basic"] }) == ["authMethods: noneNotAlone"])
        #expect(problems(draft { $0.authMethods = ["client_secret_jwt"] }) == ["authMethods[0]: unknownValue"])
    }

    @Test func theESIADialectNeedsASignatureWithACertificate() throws {
        let esia = draft("INSP03211") { $0.dialect = "esia" }
        #expect(problems(esia) == ["certificate: certificateRequired"])
        #expect(problems(esia.with { $0.authMethods = ["client_secret_basic"] }) == ["authMethods: signatureRequired"])
        #expect(problems(esia.with { $0.authMethods = ["esia_signature", "client_secret_post"]; $0.certificate = testCertificateDER })
            == ["authMethods: notForDialect"])
        let settings = try PortalValidation.check(esia.with { $0.certificate = Array(testCertificatePEM.utf8); $0.pinned = true })
        #expect(settings.authMethods == [.esiaSignature])
        #expect(settings.certificate?.der == testCertificateDER)
        #expect(settings.certificate?.subject.contains("portal.example") == true)
        #expect(settings.certificatePinned)
        // The signature methods belong to the ESIA dialect only.
        #expect(problems(draft { $0.authMethods = ["esia_signature"]; $0.certificate = testCertificateDER }) == ["authMethods: notForDialect"])
    }

    @Test func privateKeyJWTTakesItsKeysFromExactlyOneSource() throws {
        let jwt = draft { $0.authMethods = ["private_key_jwt"] }
        #expect(problems(jwt) == ["authMethods: keysRequired"])
        #expect(try PortalValidation.check(jwt.with { $0.jwksURI = "https://portal.example/jwks.json" }).jwksURI == "https://portal.example/jwks.json")
        #expect(try PortalValidation.check(jwt.with { $0.jwks = #"{"keys":[]}"# }).jwks == #"{"keys":[]}"#)
        #expect(try PortalValidation.check(jwt.with { $0.certificate = testCertificateDER }).certificate != nil)
        #expect(problems(jwt.with { $0.jwksURI = "https://portal.example/jwks.json"; $0.jwks = #"{"keys":[]}"# }) == ["jwks: conflict"])
        #expect(problems(jwt.with { $0.jwks = "[1,2]" }) == ["jwks: invalidFormat"])
        #expect(problems(jwt.with { $0.jwksURI = "http://portal.example/jwks" }) == ["jwksUri: httpsRequired"])
    }

    @Test func keysAndPinningWithoutAUseAreRefused() {
        #expect(problems(draft { $0.jwksURI = "https://portal.example/jwks.json" }) == ["jwksUri: unused"])
        #expect(problems(draft { $0.jwks = #"{"keys":[]}"# }) == ["jwks: unused"])
        #expect(problems(draft { $0.certificate = testCertificateDER }) == ["certificate: unused"])
        #expect(problems(draft { $0.pinned = true }) == ["pinned: unused"])
    }

    @Test func aCertificateMustBeOneX509Certificate() {
        let esia = draft("INSP03211") { $0.dialect = "esia" }
        #expect(problems(esia.with { $0.certificate = Array("not a certificate".utf8) }) == ["certificate: invalidCertificate"])
        #expect(problems(esia.with { $0.certificate = testCertificateDER + [0] }) == ["certificate: invalidCertificate"])
        #expect(problems(esia.with { $0.certificate = Array("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n".utf8) })
            == ["certificate: invalidCertificate"])
    }

    @Test func everyProblemIsReportedAtOnce() {
        let bad = PortalDraft(clientID: "a b", name: "", redirectURIs: ["http://x.example/#f"])
        #expect(problems(bad.with { $0.signingAlgorithm = "GOST3410_2012_256" })
            == ["clientId: invalidCharacters", "name: required", "redirectUris[0]: fragmentNotAllowed", "signingAlgorithm: notForDialect"])
    }
}

extension PortalDraft {
    /// A copy with `change` applied.
    func with(_ change: (inout PortalDraft) -> Void) -> PortalDraft {
        var copy = self
        change(&copy)
        return copy
    }
}
