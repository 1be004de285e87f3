import Crypto
import Foundation
import PKI
import Testing

@Suite struct RawSignatureTests {
    private let message = Array("client_idopenid fullname1700000000+0300state-uuidhttps://rp.example/cb".utf8)

    @Test(arguments: SigningAlgorithm.allCases)
    func roundTripAndTampering(algorithm: SigningAlgorithm) throws {
        let h = try TestHierarchy.of(algorithm)
        let signature = try RawSignature.sign(message, key: h.leafKey)
        switch algorithm {
        case .rsa2048: #expect(signature.count == 256)
        case .p256: #expect(signature.first == 0x30)  // DER ECDSA-Sig-Value
        case .gost2012_256: #expect(signature.count == 64)
        case .gost2012_512: #expect(signature.count == 128)
        }
        #expect(RawSignature.verify(signature, message: message, certificate: h.leaf))

        var tamperedMessage = message
        tamperedMessage[0] ^= 0x01
        #expect(!RawSignature.verify(signature, message: tamperedMessage, certificate: h.leaf))
        #expect(!RawSignature.verify(signature, message: message + [0x20], certificate: h.leaf))
        var tamperedSignature = signature
        tamperedSignature[tamperedSignature.count / 2] ^= 0x01
        #expect(!RawSignature.verify(tamperedSignature, message: message, certificate: h.leaf))
        #expect(!RawSignature.verify(Array(signature.reversed()), message: message, certificate: h.leaf))
        #expect(!RawSignature.verify([], message: message, certificate: h.leaf))
        #expect(!RawSignature.verify(signature, message: message, certificate: h.ca))  // another key

        // The empty message is a message too.
        let empty = try RawSignature.sign([], key: h.leafKey)
        #expect(RawSignature.verify(empty, message: [], certificate: h.leaf))
        #expect(!RawSignature.verify(empty, message: message, certificate: h.leaf))
    }

    @Test func signatureOfAnotherFamilyDoesNotVerify() throws {
        let gost = try TestHierarchy.of(.gost2012_256), ec = try TestHierarchy.of(.p256)
        let signature = try RawSignature.sign(message, key: gost.leafKey)
        #expect(!RawSignature.verify(signature, message: message, certificate: ec.leaf))
    }
}
