import Crypto
@testable import Federation
import Foundation
import PKI
import Support
import Testing

/// `client_secret` made exactly as ESIA client libraries make it, checked against the registered certificate.
@Suite struct ESIAClientAuthenticatorTests {
    let pinned = ESIAClientAuthenticator(trust: nil)
    let state = "f918e3be-664e-45db-b5a2-adbf5d6ae3f6"
    let timestamp = "2026.09.22 14:36:11 +0300"
    var legacyMessage: [UInt8] {
        ESIASignedMessage.legacy(scope: "openid fullname", timestamp: timestamp, clientID: "INSP03211", state: state)
    }

    /// Standard base64 with padding, as Foundation writes it.
    static func base64(_ bytes: [UInt8]) -> String { Data(bytes).base64EncodedString() }

    // MARK: - Legacy: detached CMS

    @Test(arguments: [ESIATestPKI.Algorithm.gost256, .gost512, .rsa], [false, true])
    func cmsWithOrWithoutSignedAttributesVerifies(algorithm: ESIATestPKI.Algorithm, attributes: Bool) throws {
        let pki = try ESIATestPKI.of(algorithm)
        let der = try CMSSignature.sign(content: legacyMessage, certificate: pki.portal, key: pki.portalKey, signedAttributes: attributes)
        let unpadded = Base64URL.encode(der)
        let padded = unpadded + String(repeating: "=", count: (4 - unpadded.count % 4) % 4)
        for secret in [unpadded, padded, Self.base64(der), Self.base64(der).replacingOccurrences(of: "+", with: " ")] {
            try pinned.verifyCMS(clientSecret: secret, message: legacyMessage, portal: pki.esiaPortal(), at: ESIATestPKI.now)
        }
    }

    @Test func anAttachedSignatureCountsOnlyOverTheExactMessage() throws {
        let pki = try ESIATestPKI.of(.gost256)
        let attached = try CMSSignature.sign(content: legacyMessage, certificate: pki.portal, key: pki.portalKey, detached: false)
        try pinned.verifyCMS(clientSecret: Base64URL.encode(attached), message: legacyMessage, portal: pki.esiaPortal(), at: ESIATestPKI.now)
        let other = try CMSSignature.sign(content: legacyMessage + [0x20], certificate: pki.portal, key: pki.portalKey, detached: false)
        #expect(throws: ESIAError(.invalidClientSecret, "")) {
            try pinned.verifyCMS(clientSecret: Base64URL.encode(other), message: legacyMessage, portal: pki.esiaPortal(), at: ESIATestPKI.now)
        }
    }

    @Test func anyChangeToTheSignedFieldsIsRefused() throws {
        let pki = try ESIATestPKI.of(.gost256)
        let secret = Base64URL.encode(try CMSSignature.sign(content: legacyMessage, certificate: pki.portal, key: pki.portalKey,
                                                            signedAttributes: false))
        for changed in [
            ESIASignedMessage.legacy(scope: "openid fullname snils", timestamp: timestamp, clientID: "INSP03211", state: state),
            ESIASignedMessage.legacy(scope: "openid fullname", timestamp: "2026.09.22 14:36:12 +0300", clientID: "INSP03211", state: state),
            ESIASignedMessage.legacy(scope: "openid fullname", timestamp: timestamp, clientID: "INSP03211",
                                     state: "f918e3be-664e-45db-b5a2-adbf5d6ae3f7"),
        ] {
            let error = #expect(throws: ESIAError.self) {
                try pinned.verifyCMS(clientSecret: secret, message: changed, portal: pki.esiaPortal(), at: ESIATestPKI.now)
            }
            #expect(error?.code == .invalidClientSecret)
            #expect(error?.oauthError == "invalid_client")
        }
    }

    @Test func onlyTheRegisteredCertificateCounts() throws {
        let pki = try ESIATestPKI.of(.gost256)
        // Same CA, same subject, valid: still not the certificate on file.
        let other = try CMSSignature.sign(content: legacyMessage, certificate: pki.other, key: pki.otherKey)
        let error = #expect(throws: ESIAError.self) {
            try pinned.verifyCMS(clientSecret: Base64URL.encode(other), message: legacyMessage, portal: pki.esiaPortal(), at: ESIATestPKI.now)
        }
        #expect(error?.detail.contains("other than the registered") == true)
    }

    @Test func ecdsaIsNotAnESIAAlgorithm() throws {
        let pki = try ESIATestPKI.of(.p256)
        let der = try CMSSignature.sign(content: legacyMessage, certificate: pki.portal, key: pki.portalKey)
        #expect(throws: ESIAError(.invalidClientSecret, "")) {
            try pinned.verifyCMS(clientSecret: Base64URL.encode(der), message: legacyMessage, portal: pki.esiaPortal(), at: ESIATestPKI.now)
        }
    }

    @Test func malformedOrMissingSecrets() throws {
        let pki = try ESIATestPKI.of(.gost256)
        let portal = pki.esiaPortal()
        #expect(throws: ESIAError(.missingParameter, "")) { try pinned.verifyCMS(clientSecret: nil, message: legacyMessage, portal: portal, at: ESIATestPKI.now) }
        #expect(throws: ESIAError(.missingParameter, "")) { try pinned.verifyCMS(clientSecret: "", message: legacyMessage, portal: portal, at: ESIATestPKI.now) }
        for junk in ["not base64!", "AAAA", Base64URL.encode(pki.portal.derBytes), "=" + Base64URL.encode([1, 2, 3]),
                     String(repeating: "A", count: ESIAClientAuthenticator.maxSecretLength + 4)] {
            #expect(throws: ESIAError(.invalidClientSecret, ""), "\(junk.prefix(20))") {
                try pinned.verifyCMS(clientSecret: junk, message: legacyMessage, portal: portal, at: ESIATestPKI.now)
            }
        }
    }

    @Test func portalsThatCannotSignAre007002() throws {
        let pki = try ESIATestPKI.of(.gost256)
        let secret = Base64URL.encode(try CMSSignature.sign(content: legacyMessage, certificate: pki.portal, key: pki.portalKey))
        var oidc = pki.esiaPortal()
        oidc.settings.dialect = .oidc
        for portal in [pki.esiaPortal(enabled: false), oidc] {
            #expect(throws: ESIAError(.unknownClient, "")) {
                try pinned.verifyCMS(clientSecret: secret, message: legacyMessage, portal: portal, at: ESIATestPKI.now)
            }
        }
        #expect(throws: ESIAError(.unknownClient, "")) { try ESIAClientAuthenticator.certificate(of: nil) }
    }

    // MARK: - Certificate validity and trust

    @Test func aPinnedCertificateNeedsOnlyItsValidityPeriod() throws {
        let pki = try ESIATestPKI.of(.gost256)
        let secret = Base64URL.encode(try CMSSignature.sign(content: legacyMessage, certificate: pki.portal, key: pki.portalKey))
        // Pinned: no trust store is asked (there is none here).
        try pinned.verifyCMS(clientSecret: secret, message: legacyMessage, portal: pki.esiaPortal(), at: ESIATestPKI.now)
        for outside in [pki.portal.notBefore.addingTimeInterval(-1), pki.portal.notAfter.addingTimeInterval(1)] {
            let error = #expect(throws: ESIAError.self) {
                try pinned.verifyCMS(clientSecret: secret, message: legacyMessage, portal: pki.esiaPortal(), at: outside)
            }
            #expect(error?.code == .invalidClientSecret && error?.detail.contains("not valid now") == true)
        }
    }

    @Test func anUnpinnedCertificateGoesThroughTheTrustStore() throws {
        let pki = try ESIATestPKI.of(.gost256)
        let secret = Base64URL.encode(try CMSSignature.sign(content: legacyMessage, certificate: pki.portal, key: pki.portalKey))
        let portal = pki.esiaPortal(pinned: false)
        #expect(throws: ESIAError(.invalidClientSecret, "")) {
            try pinned.verifyCMS(clientSecret: secret, message: legacyMessage, portal: portal, at: ESIATestPKI.now)
        }
        try ESIAClientAuthenticator(trust: FixedTrust()).verifyCMS(clientSecret: secret, message: legacyMessage, portal: portal, at: ESIATestPKI.now)
        let error = #expect(throws: ESIAError.self) {
            try ESIAClientAuthenticator(trust: FixedTrust(failures: ["revoked"]))
                .verifyCMS(clientSecret: secret, message: legacyMessage, portal: portal, at: ESIATestPKI.now)
        }
        #expect(error?.detail == "the registered certificate is not trusted now: revoked")

        // The real trust store: the portal's CA is accredited, so the certificate is trusted; another root's is not.
        let fixture = try TrustStoreFixture(pki)
        let real = ESIAClientAuthenticator(trust: fixture.store)
        try real.verifyCMS(clientSecret: secret, message: legacyMessage, portal: portal, at: ESIATestPKI.now)
        let stranger = try ESIATestPKI.of(.gost512)
        let strangerSecret = Base64URL.encode(try CMSSignature.sign(content: legacyMessage, certificate: stranger.portal, key: stranger.portalKey))
        let refused = #expect(throws: ESIAError.self) {
            try real.verifyCMS(clientSecret: strangerSecret, message: legacyMessage, portal: stranger.esiaPortal(pinned: false), at: ESIATestPKI.now)
        }
        #expect(refused?.detail.contains("unknown_issuer") == true)
    }

    // MARK: - Current: raw GOST signature and certificate hash

    var currentMessage: [UInt8] {
        ESIASignedMessage.currentAuthorization(clientID: "INSP03211", scope: "openid fullname", scopeOrg: "", timestamp: timestamp,
                                               state: state, redirectURI: "https://is.example.gov/esia/callback")
    }

    @Test(arguments: [ESIATestPKI.Algorithm.gost256, .gost512])
    func rawGOSTSignatureVerifies(algorithm: ESIATestPKI.Algorithm) throws {
        let pki = try ESIATestPKI.of(algorithm)
        let signature = try RawSignature.sign(currentMessage, key: pki.portalKey)
        let secret = Base64URL.encode(signature)
        if algorithm == .gost256 { #expect(secret.count == 86) }
        let hash = try ESIACertificateHash.of(der: pki.portal.derBytes)
        for presented in [hash, hash.lowercased()] {
            try pinned.verifyRawGOST(clientSecret: secret, certificateHash: presented, message: currentMessage, portal: pki.esiaPortal(),
                                     at: ESIATestPKI.now)
        }
        // CryptoPro's little-endian form (the bytes reversed) is not what OpenESIA expects.
        #expect(throws: ESIAError(.invalidClientSecret, "")) {
            try pinned.verifyRawGOST(clientSecret: Base64URL.encode(signature.reversed()), certificateHash: hash, message: currentMessage,
                                     portal: pki.esiaPortal(), at: ESIATestPKI.now)
        }
        #expect(throws: ESIAError(.invalidClientSecret, "")) {
            try pinned.verifyRawGOST(clientSecret: secret, certificateHash: hash, message: currentMessage + Array("x".utf8),
                                     portal: pki.esiaPortal(), at: ESIATestPKI.now)
        }
    }

    @Test func theCertificateHashMustNameTheRegisteredCertificate() throws {
        let pki = try ESIATestPKI.of(.gost256)
        let secret = Base64URL.encode(try RawSignature.sign(currentMessage, key: pki.portalKey))
        func verify(_ hash: String?) throws { try pinned.verifyRawGOST(clientSecret: secret, certificateHash: hash, message: currentMessage,
                                                                        portal: pki.esiaPortal(), at: ESIATestPKI.now) }
        #expect(throws: ESIAError(.missingParameter, "")) { try verify(nil) }
        #expect(throws: ESIAError(.missingParameter, "")) { try verify("") }
        // The hash of the PEM file, SHA-256 instead of Streebog, another certificate's hash: ESIA-007053.
        for wrong in [try ESIACertificateHash.of(der: Array(try pki.portal.pem().utf8)), Hex.encode(Digest.sha256(pki.portal.derBytes)).uppercased(),
                      try ESIACertificateHash.of(der: pki.other.derBytes), "XYZ"] {
            #expect(throws: ESIAError(.invalidClientSecret, "")) { try verify(wrong) }
        }
    }

    @Test func theCurrentFlowNeedsAGOSTCertificate() throws {
        let pki = try ESIATestPKI.of(.rsa)
        let secret = Base64URL.encode(try RawSignature.sign(currentMessage, key: pki.portalKey))
        let error = #expect(throws: ESIAError.self) {
            try pinned.verifyRawGOST(clientSecret: secret, certificateHash: try ESIACertificateHash.of(der: pki.portal.derBytes),
                                     message: currentMessage, portal: pki.esiaPortal(), at: ESIATestPKI.now)
        }
        #expect(error?.code == .invalidClientSecret && error?.detail.contains("GOST") == true)
    }

    @Test func aCMSSecretIsNotARawSignature() throws {
        let pki = try ESIATestPKI.of(.gost256)
        let cms = Base64URL.encode(try CMSSignature.sign(content: currentMessage, certificate: pki.portal, key: pki.portalKey))
        let error = #expect(throws: ESIAError.self) {
            try pinned.verifyRawGOST(clientSecret: cms, certificateHash: try ESIACertificateHash.of(der: pki.portal.derBytes),
                                     message: currentMessage, portal: pki.esiaPortal(), at: ESIATestPKI.now)
        }
        #expect(error?.detail.contains("raw 64-byte") == true)
    }

    @Test func theHashIsUpperCaseStreebogOfTheDER() throws {
        let hash = try ESIACertificateHash.of(der: Array("".utf8))
        // GOST R 34.11-2012 (256) of the empty string, as `openssl dgst -md_gost12_256` prints it.
        #expect(hash == "3F539A213E97C802CC229D474C6AA32A825A360B2A933A949FD925208D9CE1BB")
    }
}

/// The same checks with secrets made by the openssl command line tool, exactly as the client libraries run it.
@Suite(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/openssl"), "/usr/bin/openssl is missing"))
struct ESIAOpenSSLToolTests {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("esia-tool-\(UUID().uuidString)")

    func run(_ arguments: [String], input: [UInt8]? = nil) throws -> [UInt8] {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        process.arguments = arguments
        process.currentDirectoryURL = folder
        let output = Pipe(), errors = Pipe(), stdin = Pipe()
        process.standardOutput = output
        process.standardError = errors
        process.standardInput = stdin
        try process.run()
        stdin.fileHandleForWriting.write(Data(input ?? []))
        try stdin.fileHandleForWriting.close()
        let bytes = [UInt8](output.fileHandleForReading.readDataToEndOfFile())
        let text = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw ESIAError(.internalError, "openssl \(arguments): \(text)") }
        return bytes
    }

    func write(_ name: String, _ text: String) throws {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try Data(text.utf8).write(to: folder.appendingPathComponent(name))
    }

    @Test func esiaConnectorAndEkapustaStyleSignaturesVerify() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let message = ESIASignedMessage.legacy(scope: "openid fullname", timestamp: "2026.09.22 14:36:11 +0000", clientID: "INSP03211",
                                               state: "b7062082-5493-409b-b51b-c7f788136a1c")
        // esia-connector 0.16: `openssl smime -sign -md sha256 … -outform DER` (signed attributes kept), urlsafe base64 with padding.
        let rsa = try ESIATestPKI.of(.rsa)
        try write("rsa.crt", try rsa.portal.pem())
        try write("rsa.key", try rsa.portalKey.pkcs8PEM())
        let rsaDER = try run(["smime", "-sign", "-md", "sha256", "-signer", "rsa.crt", "-inkey", "rsa.key", "-outform", "DER"], input: message)
        let padded = Data(rsaDER).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
        try ESIAClientAuthenticator(trust: nil).verifyCMS(clientSecret: padded, message: message, portal: rsa.esiaPortal(), at: ESIATestPKI.now)
        // ekapusta / fr05t1k: `openssl smime -sign -binary -outform DER -noattr` with the GOST engine; padding stripped.
        let gost = try ESIATestPKI.of(.gost256)
        try write("gost.crt", try gost.portal.pem())
        try write("gost.key", try gost.portalKey.pkcs8PEM())
        let gostDER = try run(["smime", "-sign", "-engine", "gost", "-binary", "-noattr", "-md", "md_gost12_256", "-signer", "gost.crt",
                               "-inkey", "gost.key", "-outform", "DER"], input: message)
        try ESIAClientAuthenticator(trust: nil).verifyCMS(clientSecret: Base64URL.encode(gostDER), message: message, portal: gost.esiaPortal(),
                                                          at: ESIATestPKI.now)
    }

    @Test func ilimurzinStyleRawSignatureAndCertificateHashVerify() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let gost = try ESIATestPKI.of(.gost256)
        try write("gost.key", try gost.portalKey.pkcs8PEM())
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try Data(gost.portal.derBytes).write(to: folder.appendingPathComponent("portal.der"))
        let message = ESIASignedMessage.currentCodeExchange(clientID: "INSP03211", scope: "openid fullname", scopeOrg: "",
                                                            timestamp: "2026.09.22 14:36:11 +0000", state: "b7062082-5493-409b-b51b-c7f788136a1c",
                                                            redirectURI: "https://is.example.gov/esia/callback", code: "abc")
        let signature = try run(["dgst", "-engine", "gost", "-md_gost12_256", "-sign", "gost.key"], input: message)
        #expect(signature.count == 64)
        // `openssl dgst -md_gost12_256 portal.der` prints "md_gost12_256(portal.der)= <hex>".
        let printed = String(decoding: try run(["dgst", "-engine", "gost", "-md_gost12_256", "portal.der"]), as: UTF8.self)
        let hex = try #require(printed.split(separator: " ").last).trimmingCharacters(in: .whitespacesAndNewlines).uppercased()
        #expect(hex == (try ESIACertificateHash.of(der: gost.portal.derBytes)))
        try ESIAClientAuthenticator(trust: nil).verifyRawGOST(clientSecret: Base64URL.encode(signature), certificateHash: hex, message: message,
                                                              portal: gost.esiaPortal(), at: ESIATestPKI.now)
    }
}
