@testable import Crypto
import Foundation
import Support
import Testing

@Suite struct ScryptTests {
    // RFC 7914 §12, the first three vectors (the fourth, N=2^20, takes a GiB and seconds).
    @Test(arguments: [
        ("", "", UInt64(16), UInt64(1), UInt64(1),
         "77d6576238657b203b19ca42c18a0497f16b4844e3074ae8dfdffa3fede21442fcd0069ded0948f8326a753a0fc81f17e8d3e0fb2e0d3628cf35e20c38d18906"),
        ("password", "NaCl", 1024, 8, 16,
         "fdbabe1c9d3472007856e7190d01e9fe7c6ad7cbc8237830e77376634b3731622eaf30d92e22a3886ff109279d9830dac727afb94a83ee6d8360cbdfa2cc0640"),
        ("pleaseletmein", "SodiumChloride", 16384, 8, 1,
         "7023bdcb3afd7348461c06cd81fd38ebfda8fbba904f8e3ea9b543f6545da1f2d5432955613f0fcf62d49705242a9af9e61e85dc0d651e40dfcf017b45575887"),
    ])
    func rfc7914(password: String, salt: String, n: UInt64, r: UInt64, p: UInt64, expected: String) throws {
        let derived = try Scrypt.derive(password: Array(password.utf8), salt: Array(salt.utf8), n: n, r: r, p: p, length: 64)
        #expect(Hex.encode(derived) == expected)
    }

    @Test func memoryLimitFollowsTheParameters() throws {
        // The standard cost needs more than OpenSSL's 32 MiB default maxmem: memoryBytes must cover it.
        #expect(ScryptParameters.standard.memoryBytes > 32 << 20)
        #expect(ScryptParameters.standard.n == 32768)
        let tooSmall = #expect(throws: CryptoError.self) {
            try Scrypt.derive(password: [1], salt: [2], n: 1024, r: 8, p: 1, maxmem: 1 << 20, length: 32)
        }
        #expect(tooSmall?.code == .openSSL)
    }

    @Test func parametersOutsideBoundsThrow() {
        for parameters in [ScryptParameters(logN: 9, r: 8, p: 1), ScryptParameters(logN: 23, r: 8, p: 1),
                           ScryptParameters(logN: 10, r: 0, p: 1), ScryptParameters(logN: 10, r: 33, p: 1),
                           ScryptParameters(logN: 10, r: 8, p: 0), ScryptParameters(logN: 10, r: 8, p: 17)] {
            let error = #expect(throws: CryptoError.self) { try Scrypt.derive(password: [], salt: [], parameters: parameters, length: 32) }
            #expect(error?.code == .parametersOutOfBounds)
        }
    }

    @Test func parametersDecodeWithBoundsChecked() throws {
        let decoded = try JSONDecoder().decode(ScryptParameters.self, from: Data(#"{"logN": 15, "r": 8, "p": 1}"#.utf8))
        #expect(decoded == .standard)
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(ScryptParameters.self, from: Data(#"{"logN": 40, "r": 8, "p": 1}"#.utf8))
        }
        let encoded = try JSONEncoder().encode(ScryptParameters.standard)
        #expect(try JSONDecoder().decode(ScryptParameters.self, from: encoded) == .standard)
    }
}
