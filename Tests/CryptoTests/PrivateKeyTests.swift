import Crypto
import Testing

@Test func p256KeyRoundTripsThroughPKCS8PEM() throws {
    let key = try PrivateKey.generateP256()
    #expect(key.algorithmName == "EC")
    #expect(key.bits == 256)
    let pem = try key.pkcs8PEM()
    #expect(pem.hasPrefix("-----BEGIN PRIVATE KEY-----\n"))
    let again = try PrivateKey(pem: pem)
    #expect(try again.pkcs8PEM() == pem)
    #expect(try again.publicKeyPEM() == key.publicKeyPEM())
    #expect(try key.publicKeyPEM().hasPrefix("-----BEGIN PUBLIC KEY-----\n"))
}

@Test func rsaKeyRoundTripsThroughPKCS8PEM() throws {
    let key = try PrivateKey.generateRSA(bits: 2048)
    #expect(key.algorithmName == "RSA")
    #expect(key.bits == 2048)
    let again = try PrivateKey(pem: try key.pkcs8PEM())
    #expect(try again.publicKeyPEM() == key.publicKeyPEM())
    #expect(throws: OpenSSLError.self) { try PrivateKey.generateRSA(bits: 1024) }
}

@Test func badPEMIsRejected() {
    #expect(throws: OpenSSLError.self) { try PrivateKey(pem: "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n") }
    #expect(throws: OpenSSLError.self) { try PrivateKey(pem: "") }
}
