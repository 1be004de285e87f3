import Crypto
import Dispatch
import Foundation
import Support
import Testing

// MARK: - Known answers (RFC 7515 Appendix A)

@Test func rfc7515RS256ExampleVerifiesAndSigningReproducesItsSignature() throws {
    let jws = try JWS.parse(RFC7515.rs256Compact)
    #expect(jws.algorithm == .rs256)
    #expect(jws.keyID == nil)
    #expect(String(decoding: jws.payload, as: UTF8.self) == RFC7515.payload)
    let publicKey = try JSONWebKey(json: RFC7515.rs256JWK).publicKey()
    try jws.verify(with: publicKey)
    _ = try JWSVerifier(key: publicKey, algorithm: .rs256).verify(RFC7515.rs256Compact)

    // RSASSA-PKCS1-v1_5 is deterministic: the example key must give the published signature byte for byte.
    let signer = try JWSSigner(key: TestKeys.rsa, algorithm: .rs256, keyID: "2010-12-29")
    #expect(try signer.signature(over: jws.signingInput) == jws.signature)
}

@Test func rfc7515ES256ExampleVerifies() throws {
    let jws = try JWS.parse(RFC7515.es256Compact)
    #expect(jws.algorithm == .es256)
    #expect(jws.signature.count == 64)
    try jws.verify(with: try JSONWebKey(json: RFC7515.es256JWK).publicKey())
}

// MARK: - Round trips

@Test(arguments: [JWSAlgorithm.es256, .rs256, .gost3410_2012_256])
func signedTokensVerifyWithThePublicKey(algorithm: JWSAlgorithm) throws {
    let key = switch algorithm {
    case .es256: TestKeys.p256
    case .rs256: TestKeys.rsa
    case .gost3410_2012_256: TestKeys.gost
    }
    let signer = try JWSSigner(key: key, algorithm: algorithm, keyID: "key-1")
    let payload = Array(#"{"sub":"1000328686"}"#.utf8)
    let token = try signer.sign(payload: payload, extraHeader: ["typ": "JWT"])
    let jws = try JWS.parse(token)
    #expect(jws.algorithm == algorithm)
    #expect(jws.keyID == "key-1")
    #expect(jws.type == "JWT")
    #expect(jws.payload == payload)
    let publicKey = try PublicKey(key)
    try jws.verify(with: publicKey)
    _ = try JWSVerifier(key: publicKey, algorithm: algorithm, keyID: "key-1").verify(token)
    if algorithm != .rs256 { #expect(jws.signature.count == 64) }
    // The public key survives SubjectPublicKeyInfo PEM and DER.
    try jws.verify(with: try PublicKey(pem: try publicKey.pem()))
    try jws.verify(with: try PublicKey(der: try publicKey.der()))
}

@Test func headerOrderIsAlgKidTypThenSortedExtras() throws {
    let signer = try JWSSigner(key: TestKeys.p256, algorithm: .es256, keyID: "k1")
    let token = try signer.sign(payload: [], extraHeader: ["ver": 1, "typ": "JWT", "sbt": "access"])
    let header = String(decoding: Base64URL.decode(String(parts(token)[0]))!, as: UTF8.self)
    #expect(header == #"{"alg":"ES256","kid":"k1","typ":"JWT","sbt":"access","ver":1}"#)
    let plain = try signer.sign(payload: [])
    #expect(String(decoding: Base64URL.decode(String(parts(plain)[0]))!, as: UTF8.self) == #"{"alg":"ES256","kid":"k1"}"#)
}

@Test func gostTokenUsesESIAsNameAndVerifiesWithTheOpenSSLCommand() throws {
    let signer = try JWSSigner(key: TestKeys.gost, algorithm: .gost3410_2012_256, keyID: "gost-1")
    let token = try signer.sign(payload: Array(#"{"urn:esia:sbj_id":1000328686}"#.utf8), extraHeader: ["typ": "JWT", "sbt": "access", "ver": 1])
    let jws = try JWS.parse(token)
    #expect(jws.header["alg"] == "GOST3410_2012_256")

    // ESIA-PROTOCOL.md §6.2: the signature is checked with `openssl dgst -md_gost12_256 -verify` over header.payload.
    guard let openssl = ["/usr/bin/openssl", "/usr/local/bin/openssl"].first(where: FileManager.default.isExecutableFile) else {
        print("skipped: no openssl command to cross-check the GOST signature layout")
        return
    }
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("jws-gost-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    try Data(try PublicKey(TestKeys.gost).pem().utf8).write(to: folder.appendingPathComponent("pub.pem"))
    try Data(jws.signature).write(to: folder.appendingPathComponent("sig"))
    try Data(jws.signingInput).write(to: folder.appendingPathComponent("input"))
    let process = Process()
    process.executableURL = URL(fileURLWithPath: openssl)
    process.currentDirectoryURL = folder
    process.arguments = ["dgst", "-engine", "gost", "-md_gost12_256", "-verify", "pub.pem", "-signature", "sig", "input"]
    let output = Pipe()
    process.standardOutput = output
    process.standardError = output
    try process.run()
    process.waitUntilExit()
    let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    #expect(process.terminationStatus == 0 && text.contains("Verified OK"), "openssl said: \(text)")
}

@Test func oneSignerSignsFromManyThreadsAtOnce() throws {
    let signer = try JWSSigner(key: TestKeys.p256, algorithm: .es256, keyID: "k")
    let verifier = try JWSVerifier(key: try PublicKey(TestKeys.p256), algorithm: .es256)
    let failures = FailureCount()
    DispatchQueue.concurrentPerform(iterations: 8) { i in
        for j in 0..<25 {
            do { _ = try verifier.verify(try signer.sign(payload: Array("\(i)-\(j)".utf8))) } catch { failures.add() }
        }
    }
    #expect(failures.value == 0)
}

// MARK: - Keys the signer refuses

@Test func signerRefusesKeysThatDoNotFitTheAlgorithm() throws {
    #expect(throws: JWSError(code: .keyMismatch, message: "")) { try JWSSigner(key: TestKeys.p256, algorithm: .rs256, keyID: "k") }
    #expect(throws: JWSError(code: .keyMismatch, message: "")) { try JWSSigner(key: TestKeys.rsa, algorithm: .es256, keyID: "k") }
    #expect(throws: JWSError(code: .keyMismatch, message: "")) { try JWSSigner(key: TestKeys.gost, algorithm: .es256, keyID: "k") }
    #expect(throws: JWSError(code: .keyMismatch, message: "")) { try JWSSigner(key: TestKeys.p256, algorithm: .gost3410_2012_256, keyID: "k") }
    #expect(throws: JWSError(code: .keyMismatch, message: "")) {
        try JWSSigner(key: try PrivateKey(pem: RefusedKeys.p384PEM), algorithm: .es256, keyID: "k")
    }
    #expect(throws: JWSError(code: .invalidHeader, message: "")) { try JWSSigner(key: TestKeys.p256, algorithm: .es256, keyID: "") }
}

@Test func extraHeaderCannotOverrideAlgKidOrAddCrit() throws {
    let signer = try JWSSigner(key: TestKeys.p256, algorithm: .es256, keyID: "k")
    for name in ["alg", "kid", "crit"] {
        #expect(throws: JWSError(code: .invalidHeader, message: "")) { try signer.sign(payload: [], extraHeader: [name: "x"]) }
    }
}

// MARK: - What parsing refuses

@Test func parseRefusesUnsecuredAndUnsupportedAlgorithms() {
    let payload = b64("{}")
    #expect(throws: JWSError(code: .unsecured, message: "")) { try JWS.parse(compact(b64(#"{"alg":"none"}"#), payload, "")) }
    #expect(throws: JWSError(code: .unsecured, message: "")) { try JWS.parse(compact(b64(#"{"alg":"None"}"#), payload, "")) }
    for alg in ["HS256", "ES512", "PS256", "RS512", "es256", "GOST3410_2012_512", ""] {
        #expect(throws: JWSError(code: .unsupportedAlgorithm, message: "")) {
            try JWS.parse(compact(b64(#"{"alg":"\#(alg)"}"#), payload, "AAAA"))
        }
    }
}

@Test func parseRefusesMalformedHeaders() {
    let payload = b64("{}")
    for header in [#"{}"#, #"{"alg":1}"#, #"{"alg":null}"#, #"["ES256"]"#, #""ES256""#, #"{"alg":"ES256""#,
                   #"{"alg":"ES256","alg":"ES256"}"#, #"{"alg":"ES256"} x"#, "\u{FEFF}{\"alg\":\"ES256\"}"] {
        #expect(throws: JWSError(code: .malformed, message: ""), "\(header)") { try JWS.parse(compact(b64(header), payload, "AAAA")) }
    }
    #expect(throws: JWSError(code: .criticalHeader, message: "")) {
        try JWS.parse(compact(b64(#"{"alg":"ES256","crit":["exp"],"exp":1}"#), payload, "AAAA"))
    }
    #expect(throws: JWSError(code: .criticalHeader, message: "")) { try JWS.parse(compact(b64(#"{"alg":"ES256","crit":[]}"#), payload, "AAAA")) }
    #expect(throws: JWSError(code: .invalidHeader, message: "")) { try JWS.parse(compact(b64(#"{"alg":"ES256","kid":7}"#), payload, "AAAA")) }
    #expect(throws: JWSError(code: .invalidHeader, message: "")) { try JWS.parse(compact(b64(#"{"alg":"ES256","typ":["JWT"]}"#), payload, "AAAA")) }
}

@Test func parseRefusesBadSerialization() {
    let header = b64(#"{"alg":"ES256"}"#)
    let payload = b64("{}")
    #expect(throws: JWSError(code: .malformed, message: "")) { try JWS.parse("\(header).\(payload)") }
    #expect(throws: JWSError(code: .malformed, message: "")) { try JWS.parse("\(header).\(payload).AAAA.AAAA") }
    #expect(throws: JWSError(code: .malformed, message: "")) { try JWS.parse("") }
    #expect(throws: JWSError(code: .malformed, message: "")) { try JWS.parse(compact(header + "=", payload, "AAAA")) }
    #expect(throws: JWSError(code: .malformed, message: "")) { try JWS.parse(compact(header, payload + "=", "AAAA")) }
    #expect(throws: JWSError(code: .malformed, message: "")) { try JWS.parse(compact(header, payload, "AA+A")) }
    #expect(throws: JWSError(code: .malformed, message: "")) { try JWS.parse(compact(header, payload, "AA/A")) }
    #expect(throws: JWSError(code: .malformed, message: "")) { try JWS.parse(compact(header, "e30 ", "AAAA")) }
    #expect(throws: JWSError(code: .malformed, message: "")) { try JWS.parse(compact(header, payload, "AAAAB")) }
    // Non-canonical base64url (unused low bits set) is refused, so a token has exactly one spelling.
    #expect(throws: JWSError(code: .malformed, message: "")) { try JWS.parse(compact(header, "e31", "AAAA")) }
}

@Test func parseRefusesInputOverSixtyFourKiB() throws {
    let header = b64(#"{"alg":"ES256"}"#)
    let fits = compact(header, String(repeating: "A", count: JWS.maxCompactLength - header.count - 2 - 88), String(repeating: "A", count: 86))
    #expect(fits.utf8.count <= JWS.maxCompactLength)
    _ = try JWS.parse(fits)
    #expect(throws: JWSError(code: .tooLarge, message: "")) { try JWS.parse(fits + "AAAA") }
}

// MARK: - Tampering and algorithm confusion

@Test func tamperedTokensFailToVerify() throws {
    let signer = try JWSSigner(key: TestKeys.p256, algorithm: .es256, keyID: "k")
    let key = try PublicKey(TestKeys.p256)
    let pieces = parts(try signer.sign(payload: Array(#"{"sub":"1"}"#.utf8)))

    let payload = compact(pieces[0], b64(#"{"sub":"2"}"#), pieces[2])
    #expect(throws: JWSError(code: .invalidSignature, message: "")) { try JWS.parse(payload).verify(with: key) }
    let header = compact(b64(#"{"alg":"ES256","kid":"other"}"#), pieces[1], pieces[2])
    #expect(throws: JWSError(code: .invalidSignature, message: "")) { try JWS.parse(header).verify(with: key) }
    var signature = Base64URL.decode(pieces[2])!
    signature[10] ^= 0x01
    #expect(throws: JWSError(code: .invalidSignature, message: "")) {
        try JWS.parse(compact(pieces[0], pieces[1], Base64URL.encode(signature))).verify(with: key)
    }
    // Another P-256 key does not verify it either.
    #expect(throws: JWSError(code: .invalidSignature, message: "")) {
        try JWS.parse(pieces.joined(separator: ".")).verify(with: try PublicKey(TestKeys.otherP256))
    }
}

@Test func es256SignaturesOfTheWrongLengthOrInDERAreRefused() throws {
    let signer = try JWSSigner(key: TestKeys.p256, algorithm: .es256, keyID: "k")
    let key = try PublicKey(TestKeys.p256)
    let pieces = parts(try signer.sign(payload: []))
    let raw = Base64URL.decode(pieces[2])!
    for bad in [Array(raw.dropLast()), raw + [0], [UInt8](), Array(raw + raw)] {
        #expect(throws: JWSError(code: .malformed, message: "")) {
            try JWS.parse(compact(pieces[0], pieces[1], Base64URL.encode(bad))).verify(with: key)
        }
    }
    // The same signature in OpenSSL's DER form is not a JWS signature.
    let der = [0x30, 0x44, 0x02, 0x20] + raw[0..<32] + [0x02, 0x20] + raw[32..<64]
    #expect(throws: JWSError(code: .malformed, message: "")) {
        try JWS.parse(compact(pieces[0], pieces[1], Base64URL.encode(der))).verify(with: key)
    }
}

@Test func gostAndRSASignaturesOfTheWrongLengthAreRefused() throws {
    for (key, algorithm) in [(TestKeys.gost, JWSAlgorithm.gost3410_2012_256), (TestKeys.rsa, .rs256)] {
        let pieces = parts(try JWSSigner(key: key, algorithm: algorithm, keyID: "k").sign(payload: []))
        let signature = Base64URL.decode(pieces[2])!
        #expect(throws: JWSError(code: .malformed, message: "")) {
            try JWS.parse(compact(pieces[0], pieces[1], Base64URL.encode(signature.dropLast()))).verify(with: try PublicKey(key))
        }
    }
}

@Test func algorithmConfusionIsRefused() throws {
    let rsaToken = try JWSSigner(key: TestKeys.rsa, algorithm: .rs256, keyID: "k").sign(payload: [])
    let ecKey = try PublicKey(TestKeys.p256)
    let rsaKey = try PublicKey(TestKeys.rsa)
    // An RS256 token offered to an EC key, and the other way round.
    #expect(throws: JWSError(code: .keyMismatch, message: "")) { try JWS.parse(rsaToken).verify(with: ecKey) }
    #expect(throws: JWSError(code: .keyMismatch, message: "")) { try JWSVerifier(key: ecKey, algorithm: .es256).verify(rsaToken) }
    let ecToken = try JWSSigner(key: TestKeys.p256, algorithm: .es256, keyID: "k").sign(payload: [])
    #expect(throws: JWSError(code: .keyMismatch, message: "")) { try JWS.parse(ecToken).verify(with: rsaKey) }
    // A verifier pinned to RS256 refuses an ES256 token even before looking at its key.
    #expect(throws: JWSError(code: .keyMismatch, message: "")) { try JWSVerifier(key: rsaKey, algorithm: .rs256).verify(ecToken) }
    #expect(throws: JWSError(code: .keyMismatch, message: "")) { try JWSVerifier(key: ecKey, algorithm: .rs256) }

    // HS256 with the RSA public key's bytes as the HMAC secret: the classic confusion. HS256 is never accepted.
    let header = b64(#"{"alg":"HS256"}"#)
    let payload = b64(#"{"sub":"admin"}"#)
    let mac = HMAC.sha256(key: Array(try rsaKey.pem().utf8), message: Array("\(header).\(payload)".utf8))
    let forged = compact(header, payload, Base64URL.encode(mac))
    #expect(throws: JWSError(code: .unsupportedAlgorithm, message: "")) { try JWS.parse(forged) }
    #expect(throws: JWSError(code: .unsupportedAlgorithm, message: "")) { try JWSVerifier(key: rsaKey, algorithm: .rs256).verify(forged) }
}

@Test func verifierRefusesAnotherKeyIDAndSmallRSAKeys() throws {
    let token = try JWSSigner(key: TestKeys.p256, algorithm: .es256, keyID: "k1").sign(payload: [])
    let verifier = try JWSVerifier(key: try PublicKey(TestKeys.p256), algorithm: .es256, keyID: "k2")
    #expect(throws: JWSError(code: .keyMismatch, message: "")) { try verifier.verify(token) }
    let small = try PublicKey(pem: RefusedKeys.rsa1024PublicPEM)
    #expect(small.bits == 1024)
    #expect(throws: JWSError(code: .keyMismatch, message: "")) { try JWSVerifier(key: small, algorithm: .rs256) }
    #expect(throws: JWSError(code: .keyMismatch, message: "")) { try JWS.parse(RFC7515.rs256Compact).verify(with: small) }
}

/// Counts failures from several threads.
final class FailureCount: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    func add() { lock.lock(); count += 1; lock.unlock() }
    var value: Int { lock.lock(); defer { lock.unlock() }; return count }
}
