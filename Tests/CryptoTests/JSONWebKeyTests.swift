import Crypto
import Support
import Testing

@Test func rfc7638ThumbprintExample() throws {
    let key = try JSONWebKey(json: RFC7638.jwk)
    #expect(key.thumbprint() == RFC7638.thumbprint)
    #expect(key.keyID == "2011-04-29")
    #expect(key.algorithm == "RS256")
}

@Test func jwkOfAKeyDefaultsItsKeyIDToTheThumbprint() throws {
    let ec = try JSONWebKey(privateKey: TestKeys.p256, algorithm: .es256)
    #expect(ec.keyID == ec.thumbprint())
    #expect(ec.use == "sig")
    #expect(ec.algorithm == "ES256")
    #expect(ec.x?.count == 32 && ec.y?.count == 32)
    let named = try JSONWebKey(publicKey: try PublicKey(TestKeys.p256), keyID: "mine")
    #expect(named.keyID == "mine")
    #expect(named.thumbprint() == ec.thumbprint())
}

@Test func jwkOfTheRFC7515KeyMatchesThePublishedMembers() throws {
    let jwk = try JSONWebKey(privateKey: TestKeys.rsa, use: nil)
    #expect(jwk.json["n"] == RFC7515.rs256JWK["n"])
    #expect(jwk.json["e"] == "AQAB")
    #expect(jwk.json["kty"] == "RSA")
    #expect(jwk.json["d"] == nil && jwk.json["p"] == nil)
}

@Test(arguments: ["ec", "rsa"])
func jwkExportAndImportRoundTrip(kind: String) throws {
    let key = kind == "ec" ? TestKeys.p256 : TestKeys.rsa
    let exported = try JSONWebKey(privateKey: key, algorithm: kind == "ec" ? .es256 : .rs256)
    let text = exported.json.jsonText
    // Members come out sorted, and no private member is ever written.
    #expect(text.hasPrefix(kind == "ec" ? #"{"alg":"ES256","crv":"P-256","kid":"# : #"{"alg":"RS256","e":"AQAB","kid":"#))
    for member in ["\"d\"", "\"p\"", "\"q\"", "\"dp\""] { #expect(!text.contains(member)) }
    let imported = try JSONWebKey(json: try JSONValue.parse(text))
    #expect(imported == exported)
    let publicKey = try imported.publicKey()
    #expect(try publicKey.der() == PublicKey(key).der())
    // A token signed by the private key verifies with the imported public key.
    let algorithm: JWSAlgorithm = kind == "ec" ? .es256 : .rs256
    let token = try JWSSigner(key: key, algorithm: algorithm, keyID: exported.keyID!).sign(payload: [1, 2, 3])
    try JWS.parse(token).verify(with: publicKey)
}

@Test func jwkImportRefusesPrivateMaterialAndOddKeys() throws {
    func refuses(_ json: JSONValue, _ comment: Comment) {
        #expect(throws: JWSError(code: .invalidKey, message: ""), comment) { try JSONWebKey(json: json) }
    }
    var withPrivate = RFC7515.es256JWK.objectValue!
    withPrivate["d"] = "jpsQnnGQmL-YBIffH1136cspYG6-0iY7X1fCE9-E9LI"
    refuses(.object(withPrivate), "d")
    refuses(["kty": "oct", "k": "AAAA"], "symmetric key")
    refuses(["kty": "OKP", "crv": "Ed25519", "x": "AAAA"], "unsupported kty")
    refuses(["kty": "EC", "crv": "P-384", "x": "AAAA", "y": "AAAA"], "other curve")
    refuses(["kty": "EC", "crv": "P-256", "x": "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU"], "no y")
    refuses(["kty": "EC", "crv": "P-256", "x": "AAAA", "y": "AAAA"], "short coordinates")
    refuses(["kty": "EC", "crv": "P-256", "x": "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU=", "y": "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"], "padding")
    refuses(["kty": "RSA", "n": 12345, "e": "AQAB"], "n not a string")
    refuses(["kty": "RSA", "n": .string(String(repeating: "A", count: 1500)), "e": "AQAB"], "modulus over 8192 bits")
    refuses(["kty": "RSA", "n": "AAAA", "e": "AQAB"], "zero modulus")
    refuses(["kty": "RSA", "n": "AQAB", "e": "AQAB", "kid": 5], "kid not a string")
    refuses(["EC"], "not an object")
    #expect(throws: JWSError(code: .invalidKey, message: "")) { try JSONWebKey(privateKey: TestKeys.gost) }
    #expect(throws: JWSError(code: .invalidKey, message: "")) { try JSONWebKey(privateKey: try PrivateKey(pem: RefusedKeys.p384PEM)) }
}

@Test func jwkWithAPointOffTheCurveIsRefusedByOpenSSL() throws {
    var members = RFC7515.es256JWK.objectValue!
    var y = Base64URL.decode(members["y"]!.stringValue!)!
    y[31] ^= 0x01
    members["y"] = .string(Base64URL.encode(y))
    let jwk = try JSONWebKey(json: .object(members))
    #expect(throws: JWSError(code: .invalidKey, message: "")) { try jwk.publicKey() }
}
