@testable import Crypto
import Support
import Testing

private func hex(_ text: String) -> [UInt8] { Hex.decode(text)! }

@Suite struct AESGCMTests {
    // McGrew & Viega, "The Galois/Counter Mode of Operation", test cases 13, 14 and 16 (AES-256, 96-bit IV).
    @Test(arguments: [
        ("0000000000000000000000000000000000000000000000000000000000000000", "000000000000000000000000", "", "",
         "", "530f8afbc74536b9a963b4f1c4cb738b"),
        ("0000000000000000000000000000000000000000000000000000000000000000", "000000000000000000000000",
         "00000000000000000000000000000000", "",
         "cea7403d4d606b6e074ec5d3baf39d18", "d0d1c8a799996bf0265b98b5d48ab919"),
        ("feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308", "cafebabefacedbaddecaf888",
         "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a721c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39",
         "feedfacedeadbeeffeedfacedeadbeefabaddad2",
         "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662",
         "76fc6ece0f4e1768cddf8853bb2d551b"),
    ])
    func knownAnswer(key: String, nonce: String, plaintext: String, aad: String, ciphertext: String, tag: String) throws {
        let key = try SymmetricKey(bytes: hex(key))
        let sealed = try AESGCM.seal(hex(plaintext), key: key, nonce: hex(nonce), associatedData: hex(aad))
        #expect(Hex.encode(sealed.ciphertext) == ciphertext)
        #expect(Hex.encode(sealed.tag) == tag)
        let opened = try AESGCM.open(hex(ciphertext), tag: hex(tag), key: key, nonce: hex(nonce), associatedData: hex(aad))
        #expect(Hex.encode(opened) == plaintext)
        // The public format is nonce ‖ ciphertext ‖ tag.
        #expect(try AESGCM.open(hex(nonce + ciphertext + tag), key: key, associatedData: hex(aad)) == hex(plaintext))
    }

    @Test(arguments: [0, 1, 15, 16, 17, 1000])
    func roundTrip(length: Int) throws {
        let key = SymmetricKey.random()
        let plaintext = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 7) }
        let sealed = try AESGCM.seal(plaintext, key: key, associatedData: Array("citizen 42".utf8))
        #expect(sealed.count == 12 + length + 16)
        #expect(try AESGCM.open(sealed, key: key, associatedData: Array("citizen 42".utf8)) == plaintext)
    }

    @Test func tamperingWithAnyByteThrows() throws {
        let key = SymmetricKey.random()
        let sealed = try AESGCM.seal(Array("4510 123456".utf8), key: key)
        for index in sealed.indices {
            var altered = sealed
            altered[index] ^= 0x01
            let error = #expect(throws: CryptoError.self) { try AESGCM.open(altered, key: key) }
            #expect(error?.code == .authenticationFailed)
        }
    }

    @Test func wrongKeyOrAssociatedDataThrows() throws {
        let key = SymmetricKey.random()
        let sealed = try AESGCM.seal(Array("123-456-789 00".utf8), key: key, associatedData: [1, 2, 3])
        #expect(throws: CryptoError.self) { try AESGCM.open(sealed, key: SymmetricKey.random(), associatedData: [1, 2, 3]) }
        #expect(throws: CryptoError.self) { try AESGCM.open(sealed, key: key, associatedData: [1, 2, 4]) }
        #expect(throws: CryptoError.self) { try AESGCM.open(sealed, key: key) }
        #expect(try AESGCM.open(sealed, key: key, associatedData: [1, 2, 3]) == Array("123-456-789 00".utf8))
    }

    @Test func shortOrTruncatedInputThrows() throws {
        let key = SymmetricKey.random()
        for length in [0, 1, 12, 27] {
            let error = #expect(throws: CryptoError.self) { try AESGCM.open([UInt8](repeating: 0, count: length), key: key) }
            #expect(error?.code == .malformedInput)
        }
        let sealed = try AESGCM.seal([1, 2, 3], key: key)
        #expect(throws: CryptoError.self) { try AESGCM.open(Array(sealed.dropLast()), key: key) }
        #expect(throws: CryptoError.self) { try AESGCM.open(sealed + [0], key: key) }
    }

    @Test func noncesDifferAcrossSeals() throws {
        let key = SymmetricKey.random()
        let nonces = try (0..<100).map { _ in Array(try AESGCM.seal([7], key: key).prefix(12)) }
        #expect(Set(nonces.map { Hex.encode($0) }).count == 100)
    }
}

@Suite struct SymmetricKeyTests {
    @Test func wrongLengthThrows() {
        for length in [0, 16, 31, 33, 64] {
            let error = #expect(throws: CryptoError.self) { try SymmetricKey(bytes: [UInt8](repeating: 1, count: length)) }
            #expect(error?.code == .invalidKey)
        }
    }

    @Test func randomKeysDifferAndNeverPrintTheirBytes() throws {
        let a = SymmetricKey.random()
        let b = SymmetricKey.random()
        #expect(a != b)
        #expect(a == (try SymmetricKey(bytes: a.bytes)))
        let hexBytes = Hex.encode(a.bytes)
        for text in [String(describing: a), String(reflecting: a), "\(a)", { var s = ""; dump(a, to: &s); return s }()] {
            #expect(!text.contains(hexBytes))
            #expect(!text.contains("bytes: ["))
        }
        #expect(a.description == "SymmetricKey(32 bytes)")
    }
}
