import COpenSSL
import Crypto
import Foundation
import PKI
import Synchronization
import Testing

/// Binary content: Cyrillic UTF-8, CR LF and a lone LF (CMS_BINARY must keep them), a NUL and 0xFF.
private let content: [UInt8] = Array("Вход в OpenESIA\r\nnonce=7f3a\n".utf8) + [0, 0xff, 0x0a]

/// Where `pattern` starts in `bytes`.
private func offset(of pattern: [UInt8], in bytes: [UInt8]) -> Int? {
    guard bytes.count >= pattern.count else { return nil }
    return (0...(bytes.count - pattern.count)).first { bytes[$0..<$0 + pattern.count].elementsEqual(pattern) }
}

@Suite struct CMSSignatureTests {
    @Test(arguments: SigningAlgorithm.allCases, [(true, true), (true, false), (false, true), (false, false)])
    func signsAndVerifies(algorithm: SigningAlgorithm, shape: (detached: Bool, signedAttributes: Bool)) throws {
        let h = try TestHierarchy.of(algorithm)
        let der = try CMSSignature.sign(content: content, certificate: h.leaf, key: h.leafKey, chain: [h.ca],
                                        detached: shape.detached, signedAttributes: shape.signedAttributes)
        let message = try SignedMessage(bytes: der)
        #expect(message.isDetached == shape.detached)
        #expect(message.embeddedContent == (shape.detached ? nil : content))
        #expect(message.signerCount == 1)
        // A SET OF in DER: the order is the encoding's, not the order of adding.
        #expect(Set(message.certificates.map(\.derBytes)) == [h.leaf.derBytes, h.ca.derBytes])
        #expect(message.certificates.count == 2)

        let verified = try message.verifySignature(content: shape.detached ? content : nil)
        #expect(verified.signer.derBytes == h.leaf.derBytes)
        #expect(verified.content == content)
        #expect(verified.digestAlgorithm == algorithm.digestName)
        if shape.signedAttributes {
            let claimed = try #require(verified.claimedSigningTime)
            #expect(abs(claimed.timeIntervalSinceNow) < 600)
        } else {
            #expect(verified.claimedSigningTime == nil)
        }

        // Other content fails, and so does no content for a detached signature.
        var other = content
        other[3] ^= 0x01
        #expect(throws: SignatureError.badSignature) { try message.verifySignature(content: other) }
        #expect(throws: SignatureError.badSignature) { try message.verifySignature(content: content + [0]) }
        #expect(throws: SignatureError.badSignature) { try message.verifySignature(content: []) }
        if shape.detached {
            #expect(throws: SignatureError.contentMissing) { try message.verifySignature(content: nil) }
        } else {
            // Attached: content given explicitly is what gets checked.
            #expect(try message.verifySignature(content: content).content == content)
        }
        // The verified signer still has to be trusted: the chain verifies at a time inside the validity periods.
        let verifier = ChainVerifier(trustAnchors: [h.root], intermediates: message.certificates, revocation: .off)
        #expect(verifier.verify(verified.signer, at: TestHierarchy.start + 86400).isTrusted)
    }

    @Test(arguments: SigningAlgorithm.allCases)
    func modifiedEmbeddedContentOrSignatureFails(algorithm: SigningAlgorithm) throws {
        let h = try TestHierarchy.of(algorithm)
        for signedAttributes in [true, false] {
            let der = try CMSSignature.sign(content: content, certificate: h.leaf, key: h.leafKey, detached: false,
                                            signedAttributes: signedAttributes)
            var changedContent = der
            let at = try #require(offset(of: content, in: der))
            changedContent[at + 5] ^= 0x01
            #expect(throws: SignatureError.badSignature) { try SignedMessage(bytes: changedContent).verifySignature(content: nil) }

            // The signature value is the last field of the only SignerInfo (there are no unsigned attributes).
            var changedSignature = der
            changedSignature[der.count - 3] ^= 0x01
            #expect(throws: SignatureError.badSignature) { try SignedMessage(bytes: changedSignature).verifySignature(content: nil) }
        }
    }

    @Test func textFormsParseToTheSameMessage() throws {
        let h = try TestHierarchy.of(.p256)
        let der = try CMSSignature.sign(content: content, certificate: h.leaf, key: h.leafKey)
        let base64 = Data(der).base64EncodedString()
        let wrapped = Data(der).base64EncodedString(options: [.lineLength64Characters, .endLineWithCarriageReturn, .endLineWithLineFeed])
        let forms = [
            base64,
            wrapped,
            "  \n" + wrapped + "\n\n",
            Base64URLText.encode(der),  // no padding
            Base64URLText.encode(der) + String(repeating: "=", count: (4 - Base64URLText.encode(der).count % 4) % 4),
            "-----BEGIN CMS-----\n" + wrapped + "\n-----END CMS-----\n",
            "preamble text\n-----BEGIN PKCS7-----\r\n" + wrapped + "\r\n-----END PKCS7-----\r\n",
        ]
        for form in forms {
            let message = try SignedMessage(bytes: Array(form.utf8))
            #expect(try message.verifySignature(content: content).signer.derBytes == h.leaf.derBytes)
        }
    }

    @Test func exactlyOneSignerIsRequired() throws {
        let a = try TestHierarchy.of(.p256), b = try TestHierarchy.of(.rsa2048)
        let two = try RawCMS.sign(content, signers: [(a.leaf, a.leafKey), (b.leaf, b.leafKey)])
        let message = try SignedMessage(bytes: two)
        #expect(message.signerCount == 2)
        #expect(throws: SignatureError.multipleSigners) { try message.verifySignature(content: content) }

        let none = try SignedMessage(bytes: try RawCMS.sign(content, signers: []))
        #expect(none.signerCount == 0)
        #expect(throws: SignatureError.noSigner) { try none.verifySignature(content: content) }
    }

    @Test func signerCertificateCanComeFromOutside() throws {
        let h = try TestHierarchy.of(.p256)
        let message = try SignedMessage(bytes: try RawCMS.sign(content, signers: [(h.leaf, h.leafKey)], flags: CMS_NOCERTS))
        #expect(message.certificates.isEmpty)
        #expect(throws: SignatureError.signerCertificateMissing) { try message.verifySignature(content: content) }
        #expect(throws: SignatureError.signerCertificateMissing) { try message.verifySignature(content: content, extraCertificates: [h.ca]) }
        let verified = try message.verifySignature(content: content, extraCertificates: [h.ca, h.leaf])
        #expect(verified.signer.derBytes == h.leaf.derBytes)
        // A signer found through earlier extra certificates is not remembered.
        #expect(throws: SignatureError.signerCertificateMissing) { try message.verifySignature(content: content) }

        let other = try TestHierarchy.of(.rsa2048)
        #expect(throws: SignatureError.signerCertificateMissing) {
            try message.verifySignature(content: content, extraCertificates: [other.leaf])
        }
    }

    @Test func otherKeysAndGOST2001AreRefusedForSigning() throws {
        let h = try TestHierarchy.of(.p256)
        let otherKey = try PrivateKey.generateP256()
        #expect(throws: PKIInputError.self) { try CMSSignature.sign(content: content, certificate: h.leaf, key: otherKey) }

        let gost2001 = try makeGOST2001Key()
        #expect(gost2001.family == .gost2001)
        #expect(throws: PKIInputError.self) { try CMSSignature.sign(content: content, certificate: h.leaf, key: gost2001) }
        #expect(throws: PKIInputError.self) { try RawSignature.sign(content, key: gost2001) }
    }

    @Test func weakDigestIsUnsupported() throws {
        let h = try TestHierarchy.of(.rsa2048)
        let flags = UInt32(CMS_PARTIAL | CMS_BINARY | CMS_DETACHED)
        let cms = try #require(CMS_sign(nil, nil, nil, nil, flags))
        defer { CMS_ContentInfo_free(cms) }
        #expect(CMS_add1_signer(cms, h.leaf.pointer, h.leafKey.pointer, EVP_sha1(), flags) != nil)
        let bio = content.withUnsafeBytes { BIO_new_mem_buf($0.baseAddress, Int32($0.count)) }
        defer { BIO_free(bio) }
        #expect(CMS_final(cms, bio, nil, flags) == 1)
        var out: UnsafeMutablePointer<UInt8>? = nil
        let length = i2d_CMS_ContentInfo(cms, &out)
        defer { shim_OPENSSL_free(out) }
        let message = try SignedMessage(bytes: Array(UnsafeBufferPointer(start: out, count: Int(length))))
        #expect(throws: SignatureError.unsupportedAlgorithm("digest SHA1")) { try message.verifySignature(content: content) }
    }

    @Test func concurrentVerificationOfOneMessage() throws {
        let h = try TestHierarchy.of(.p256)
        let message = try SignedMessage(bytes: try CMSSignature.sign(content: content, certificate: h.leaf, key: h.leafKey))
        let failures = Atomic(0)
        DispatchQueue.concurrentPerform(iterations: 32) { index in
            let extra = index % 2 == 0 ? [h.leaf] : []
            if (try? message.verifySignature(content: content, extraCertificates: extra)) == nil { failures.add(1, ordering: .relaxed) }
        }
        #expect(failures.load(ordering: .relaxed) == 0)
    }

    @Test func certificateFamilies() throws {
        for algorithm in SigningAlgorithm.allCases {
            let h = try TestHierarchy.of(algorithm)
            #expect(h.leaf.keyFamily == algorithm.family)
            #expect(h.leaf.signatureFamily == algorithm.family)
        }
    }
}

/// A GOST R 34.10-2001 key through the engine directly (the service never makes them).
func makeGOST2001Key() throws -> PrivateKey {
    try GOSTEngine.load()
    let context = try #require(EVP_PKEY_CTX_new_id(NID_id_GostR3410_2001, nil))
    defer { EVP_PKEY_CTX_free(context) }
    #expect(EVP_PKEY_keygen_init(context) == 1)
    #expect(EVP_PKEY_CTX_ctrl_str(context, "paramset", "A") > 0)
    var key: OpaquePointer? = nil
    #expect(EVP_PKEY_keygen(context, &key) == 1)
    return PrivateKey(taking: try #require(key))
}

/// Base64url without padding, for the text-form tests.
enum Base64URLText {
    static func encode(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}

@Suite struct MalformedPKIInputTests {
    /// Deterministic pseudo-random bytes (xorshift), so a failure reproduces.
    private func noise(_ count: Int, seed: UInt64) -> [UInt8] {
        var state = seed
        return (0..<count).map { _ in
            state ^= state << 13; state ^= state >> 7; state ^= state << 17
            return UInt8(truncatingIfNeeded: state)
        }
    }

    private func signedDER() throws -> (der: [UInt8], hierarchy: TestHierarchy) {
        let h = try TestHierarchy.of(.p256)
        return (try CMSSignature.sign(content: content, certificate: h.leaf, key: h.leafKey, chain: [h.ca]), h)
    }

    @Test func malformedSignaturesThrowInputErrors() throws {
        let (der, h) = try signedDER()
        let certificatePEM = try h.leaf.pem()
        var inputs: [(String, [UInt8])] = [
            ("empty", []),
            ("whitespace", Array("  \r\n\t ".utf8)),
            ("random", noise(300, seed: 1)),
            ("random DER-looking", [0x30] + noise(300, seed: 2)),
            ("text", Array("hello, world!".utf8)),
            ("PEM with garbage", Array("-----BEGIN CMS-----\n!!!! not base64 ****\n-----END CMS-----\n".utf8)),
            ("PEM without end", Array("-----BEGIN CMS-----\nMIIB\n".utf8)),
            ("PEM of garbage", Array(("-----BEGIN CMS-----\n" + Data(noise(90, seed: 3)).base64EncodedString() + "\n-----END CMS-----\n").utf8)),
            ("base64 of garbage", Array(Data(noise(120, seed: 4)).base64EncodedString().utf8)),
            ("base64 of garbage starting with SEQUENCE", Array(Data([0x30, 0x82] + noise(120, seed: 5)).base64EncodedString().utf8)),
            ("base64 with a bad character", Array((Data(der).base64EncodedString() + "*").utf8)),
            ("base64 with data after padding", Array("MA==MA".utf8)),
            ("certificate DER", h.leaf.derBytes),
            ("certificate PEM", Array(certificatePEM.utf8)),
            ("certificate base64", Array(Data(h.leaf.derBytes).base64EncodedString().utf8)),
            ("CMS data, not SignedData", try RawCMS.data(content)),
            ("huge length", [0x30, 0x84, 0xff, 0xff, 0xff, 0xf0, 0x06, 0x09]),
            ("length of length 9", [0x30, 0x89, 0x01, 0, 0, 0, 0, 0, 0, 0, 0, 0x06]),
            ("indefinite length, no end", [0x30, 0x80, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x02, 0xa0, 0x80]),
            ("trailing byte", der + [0]),
            ("two messages", der + der),
        ]
        for cut in [1, 2, 10, der.count / 2, der.count - 1] {
            inputs.append(("truncated to \(cut)", Array(der.prefix(cut))))
        }
        // An inner length made huge: the SignedData's own length field (after the ContentInfo header and OID).
        var hugeInner = der
        if let at = offset(of: [0xa0, 0x82], in: der) { hugeInner[at + 2] = 0xff }
        inputs.append(("huge inner length", hugeInner))

        for (name, input) in inputs {
            #expect(throws: PKIInputError.self, "\(name)") { try SignedMessage(bytes: input) }
        }
    }

    @Test func malformedCertificatesThrowInputErrors() throws {
        let (der, h) = try signedDER()
        let inputs: [(String, [UInt8])] = [
            ("empty", []),
            ("random", noise(200, seed: 6)),
            ("random DER-looking", [0x30, 0x82, 0x01, 0x00] + noise(256, seed: 7)),
            ("PEM with garbage", Array("-----BEGIN CERTIFICATE-----\nMIIB%%%%\n-----END CERTIFICATE-----\n".utf8)),
            ("a CMS where a certificate is expected", der),
            ("a CMS as PEM", Array(("-----BEGIN CMS-----\n" + Data(der).base64EncodedString() + "\n-----END CMS-----\n").utf8)),
            ("a private key", Array(try h.leafKey.pkcs8PEM().utf8)),
            ("truncated", Array(h.leaf.derBytes.dropLast(5))),
            ("trailing byte", h.leaf.derBytes + [0]),
            ("huge length", [0x30, 0x84, 0x7f, 0xff, 0xff, 0xff, 0x30, 0x00]),
        ]
        for (name, input) in inputs {
            #expect(throws: PKIInputError.self, "\(name)") { try Certificate(bytes: input) }
        }
        // And the good forms.
        let pem = try h.leaf.pem()
        for form in [h.leaf.derBytes, Array(pem.utf8), Array(Data(h.leaf.derBytes).base64EncodedString().utf8),
                     Array(Base64URLText.encode(h.leaf.derBytes).utf8)] {
            #expect(try Certificate(bytes: form).derBytes == h.leaf.derBytes)
        }
    }

    /// Every fifth byte of a valid message flipped in turn: parsing or verification may fail, but only with the
    /// typed errors, and never with a crash.
    @Test func flippedBytesGiveTypedErrors() throws {
        let (der, h) = try signedDER()
        for position in stride(from: 0, to: der.count, by: 5) {
            var input = der
            input[position] ^= 0x5a
            do {
                let message = try SignedMessage(bytes: input)
                _ = message.certificates
                _ = try message.verifySignature(content: content, extraCertificates: [h.ca])
            } catch is PKIInputError {
            } catch is SignatureError {
            } catch {
                Issue.record("byte \(position): unexpected \(type(of: error)) \(error)")
            }
        }
    }
}
