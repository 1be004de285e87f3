import Crypto
import Foundation
import Support
import Testing

private let now = Date(timeIntervalSince1970: 1_800_000_000)

private func claims(_ values: [String: JSONValue]) -> JWTClaims { JWTClaims(values) }

@Test func jwtRoundTripsClaimsWithTypJWT() throws {
    let signer = try JWSSigner(key: TestKeys.p256, algorithm: .es256, keyID: "k")
    let token = try JWT.sign(claims: ["iss": "https://esia.example", "sub": "1000328686", "aud": "portal",
                                      "exp": 1_800_000_600, "iat": 1_800_000_000, "urn:esia:sbj": ["urn:esia:sbj:typ": "P"]],
                             with: signer)
    let jws = try JSONWebKey(privateKey: TestKeys.p256).publicKey().withVerified(token)
    #expect(jws.type == "JWT")
    let read = try JWT.claims(of: jws)
    #expect(try read.issuer() == "https://esia.example")
    #expect(try read.subject() == "1000328686")
    #expect(try read.audiences() == ["portal"])
    #expect(try read.expiresAt() == now.addingTimeInterval(600))
    #expect(read["urn:esia:sbj"]?["urn:esia:sbj:typ"] == "P")
    try read.validate(JWTValidationRules(issuer: "https://esia.example", audience: "portal"), now: now)
    // The payload is the deterministic encoding: sorted names, no spaces.
    #expect(String(decoding: jws.payload, as: UTF8.self).hasPrefix(#"{"aud":"portal","exp":1800000600,"iat":1800000000,"iss":"#))

    let accessToken = try JWT.sign(claims: ["sub": "1"], with: signer, extraHeader: ["typ": "at+jwt"])
    #expect(try JWS.parse(accessToken).type == "at+jwt")
}

@Test func expiryAndNotBeforeHonourTheLeeway() throws {
    let rules = JWTValidationRules(leeway: 60)
    try claims(["exp": .integer(1_800_000_000 - 59)]).validate(rules, now: now)
    #expect(throws: JWTError(.expired, claim: "exp", message: "")) { try claims(["exp": .integer(1_800_000_000 - 60)]).validate(rules, now: now) }
    #expect(throws: JWTError(.expired, claim: "exp", message: "")) { try claims(["exp": 1_700_000_000]).validate(JWTValidationRules(leeway: 0), now: now) }
    try claims(["exp": 1_800_000_100, "nbf": .integer(1_800_000_060)]).validate(rules, now: now)
    #expect(throws: JWTError(.notYetValid, claim: "nbf", message: "")) {
        try claims(["exp": 1_800_000_100, "nbf": .integer(1_800_000_061)]).validate(rules, now: now)
    }
    #expect(throws: JWTError(.issuedInFuture, claim: "iat", message: "")) {
        try claims(["exp": 1_800_000_900, "iat": .integer(1_800_000_061)]).validate(rules, now: now)
    }
    // NumericDate may carry a fraction (RFC 7519 §2).
    try claims(["exp": 1_800_000_000.5]).validate(JWTValidationRules(leeway: 0), now: now)
}

@Test func missingOrMistypedTimeClaimsAreRefused() {
    #expect(throws: JWTError(.missingClaim, claim: "exp", message: "")) { try claims([:]).validate(JWTValidationRules(), now: now) }
    #expect(throws: Never.self) { try claims([:]).validate(JWTValidationRules(requireExpiration: false), now: now) }
    #expect(throws: JWTError(.invalidClaim, claim: "exp", message: "")) { try claims(["exp": "1800000600"]).validate(JWTValidationRules(), now: now) }
    #expect(throws: JWTError(.invalidClaim, claim: "nbf", message: "")) {
        try claims(["exp": 1_800_000_600, "nbf": true]).validate(JWTValidationRules(), now: now)
    }
}

@Test func issuerAndAudienceAreChecked() throws {
    let base: [String: JSONValue] = ["exp": 1_800_000_600, "iss": "http://esia.gosuslugi.ru/"]
    let rules = JWTValidationRules(issuer: "http://esia.gosuslugi.ru/", audience: "PORTAL")
    var single = base; single["aud"] = "PORTAL"
    try claims(single).validate(rules, now: now)
    var many = base; many["aud"] = ["OTHER", "PORTAL"]
    try claims(many).validate(rules, now: now)
    var wrong = base; wrong["aud"] = ["OTHER"]
    #expect(throws: JWTError(.wrongAudience, claim: "aud", message: "")) { try claims(wrong).validate(rules, now: now) }
    #expect(throws: JWTError(.missingClaim, claim: "aud", message: "")) { try claims(base).validate(rules, now: now) }
    var mixed = base; mixed["aud"] = ["PORTAL", 7]
    #expect(throws: JWTError(.invalidClaim, claim: "aud", message: "")) { try claims(mixed).validate(rules, now: now) }
    var otherIssuer = single; otherIssuer["iss"] = "https://esia.gosuslugi.ru/"
    #expect(throws: JWTError(.wrongIssuer, claim: "iss", message: "")) { try claims(otherIssuer).validate(rules, now: now) }
    var noIssuer = single; noIssuer["iss"] = nil
    #expect(throws: JWTError(.missingClaim, claim: "iss", message: "")) { try claims(noIssuer).validate(rules, now: now) }
}

@Test func claimsMustBeOneJSONObject() throws {
    let signer = try JWSSigner(key: TestKeys.p256, algorithm: .es256, keyID: "k")
    for payload in [#"["a"]"#, #""text""#, #"{"sub":"1","sub":"2"}"#, "not json", ""] {
        let jws = try JWS.parse(try signer.sign(payload: Array(payload.utf8)))
        #expect(throws: JWTError(.malformedClaims, claim: nil, message: ""), "\(payload)") { try JWT.claims(of: jws) }
    }
}

private extension PublicKey {
    /// Parses and verifies a token with this key.
    func withVerified(_ token: String) throws -> ParsedJWS {
        let jws = try JWS.parse(token)
        try jws.verify(with: self)
        return jws
    }
}
