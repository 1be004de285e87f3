import Citizens
import Crypto
@testable import Federation
import Foundation
import PKI
import Support
import Testing

@Suite struct ESIATokenClaimsTests {
    let issuedAt = Date(timeIntervalSince1970: 1_800_000_000.7)
    let confirmed = ESIATokenSubject(oid: 1_000_323_031, sessionID: "04636c55-ecaa-a2cb", level: .confirmed,
                                     authenticatedAt: Date(timeIntervalSince1970: 1_799_999_000), method: .signature)

    @Test func accessTokenClaimsAreESIAs() {
        let claims = ESIATokenClaims.access(issuer: "http://127.0.0.1:8080/", clientID: "INSP03211", subject: confirmed,
                                            scopes: ["openid", "fullname", "email"], issuedAt: issuedAt, tokenID: "t-1")
        #expect(claims == [
            "nbf": 1_800_000_000, "exp": 1_800_003_600, "iat": 1_800_000_000, "iss": "http://127.0.0.1:8080/", "client_id": "INSP03211",
            "urn:esia:sbj_id": 1_000_323_031, "urn:esia:sid": "04636c55-ecaa-a2cb",
            "scope": "openid fullname?oid=1000323031 email?oid=1000323031", "jti": "t-1",
        ])
        // No audience in ESIA's access tokens: clients check client_id.
        #expect(claims["aud"] == nil)
    }

    @Test func idTokenClaimsCarryTheSubjectObject() {
        let claims = ESIATokenClaims.id(issuer: "http://127.0.0.1:8080/", clientID: "INSP03211", subject: confirmed, issuedAt: issuedAt)
        #expect(claims == [
            "iss": "http://127.0.0.1:8080/", "aud": "INSP03211", "sub": 1_000_323_031, "nbf": 1_800_000_000, "exp": 1_800_003_600,
            "iat": 1_800_000_000, "auth_time": 1_799_999_000, "amr": "DS", "urn:esia:amd": "DS", "urn:esia:sid": "04636c55-ecaa-a2cb",
            "urn:esia:sbj": ["urn:esia:sbj:typ": "P", "urn:esia:sbj:oid": 1_000_323_031, "urn:esia:sbj:nam": "OID.1000323031",
                             "urn:esia:sbj:lvl": "PR", "urn:esia:sbj:is_tru": true],
        ])
    }

    @Test(arguments: [AccountLevel.simplified, .standard])
    func onlyConfirmedAccountsAreTrusted(level: AccountLevel) {
        var subject = confirmed
        subject.level = level
        subject.method = .password
        let claims = ESIATokenClaims.id(issuer: "i", clientID: "c", subject: subject, issuedAt: issuedAt)
        let person = claims["urn:esia:sbj"]?.objectValue
        #expect(person?["urn:esia:sbj:lvl"] == "P")
        #expect(person?["urn:esia:sbj:is_tru"] == nil)
        #expect(claims["amr"] == "PWD" && claims["urn:esia:amd"] == "PWD")
    }

    @Test(arguments: [JWSAlgorithm.rs256, .gost3410_2012_256])
    func signedTokensHaveESIAsHeaderAndVerify(algorithm: JWSAlgorithm) throws {
        let key = algorithm == .rs256 ? try PrivateKey.generateRSA(bits: 2048) : try PrivateKey.generateGOST2012(bits: 256)
        let signer = try JWSSigner(key: key, algorithm: algorithm, keyID: "k1")
        let claims = ESIATokenClaims.access(issuer: "i", clientID: "c", subject: confirmed, scopes: ["openid"], issuedAt: issuedAt)
        let token = try ESIATokenClaims.sign(claims, subtype: "access", with: signer)
        let parts = token.split(separator: ".").map(String.init)
        #expect(String(decoding: Base64URL.decode(parts[0])!, as: UTF8.self)
            == #"{"alg":"\#(algorithm.rawValue)","kid":"k1","typ":"JWT","sbt":"access","ver":1}"#)
        let parsed = try JWS.parse(token)
        try parsed.verify(with: try PublicKey(key))
        #expect(try JWT.claims(of: parsed).values == claims)
        if algorithm == .gost3410_2012_256 {
            // The signature is the raw 64 bytes (s ‖ r) `openssl dgst -md_gost12_256 -verify` checks over `header.payload`.
            #expect(parsed.signature.count == 64)
            let certificate = try CertificateIssuer.makeSelfSigned(subject: SubjectName(commonName: "t"), key: key, profile: .tokenSigning,
                                                                   validFrom: issuedAt, validUntil: issuedAt.addingTimeInterval(60))
            #expect(RawSignature.verify(parsed.signature, message: parsed.signingInput, certificate: certificate))
        }
    }
}
