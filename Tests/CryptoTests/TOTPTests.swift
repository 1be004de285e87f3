import Crypto
import Foundation
import Testing

/// The RFC 6238 Appendix B seeds: the ASCII digits repeated to the hash's output length.
private let seedSHA1 = Array("12345678901234567890".utf8)
private let seedSHA256 = Array("12345678901234567890123456789012".utf8)
private let seedSHA512 = Array("1234567890123456789012345678901234567890123456789012345678901234".utf8)

// RFC 6238 Appendix B: time, then the 8-digit codes for SHA-1, SHA-256 and SHA-512.
@Test(arguments: [
    (59.0, "94287082", "46119246", "90693936"),
    (1_111_111_109, "07081804", "68084774", "25091201"),
    (1_111_111_111, "14050471", "67062674", "99943326"),
    (1_234_567_890, "89005924", "91819424", "93441116"),
    (2_000_000_000, "69279037", "90698825", "38618901"),
    (20_000_000_000, "65353130", "77737706", "47863826"),
])
func totpRFC6238(time: Double, sha1: String, sha256: String, sha512: String) {
    let date = Date(timeIntervalSince1970: time)
    #expect(TOTP.code(secret: seedSHA1, time: date, digits: 8) == sha1)
    #expect(TOTP.code(secret: seedSHA256, time: date, digits: 8, algorithm: .sha256) == sha256)
    #expect(TOTP.code(secret: seedSHA512, time: date, digits: 8, algorithm: .sha512) == sha512)
}

@Test func hotpRFC4226AppendixD() {
    let expected = ["755224", "287082", "359152", "969429", "338314", "254676", "287922", "162583", "399871", "520489"]
    for (counter, code) in expected.enumerated() {
        #expect(TOTP.hotp(secret: seedSHA1, counter: UInt64(counter)) == code)
    }
}

@Test func verifyAcceptsOneStepEitherSideAndReturnsTheStep() {
    let now = Date(timeIntervalSince1970: 1_800_000_015)
    let step = TOTP.step(time: now)
    #expect(step == 60_000_000)
    for offset in [-1.0, 0, 1] {
        let code = TOTP.code(secret: seedSHA1, time: now.addingTimeInterval(offset * 30))
        #expect(TOTP.verify(code, secret: seedSHA1, time: now, lastUsedStep: nil) == step + Int64(offset))
    }
    for offset in [-2.0, 2] {
        let code = TOTP.code(secret: seedSHA1, time: now.addingTimeInterval(offset * 30))
        #expect(TOTP.verify(code, secret: seedSHA1, time: now, lastUsedStep: nil) == nil)
    }
    // A wider window reaches further; window 0 only the current step.
    let twoAgo = TOTP.code(secret: seedSHA1, time: now.addingTimeInterval(-60))
    #expect(TOTP.verify(twoAgo, secret: seedSHA1, time: now, window: 2, lastUsedStep: nil) == step - 2)
    let oneAgo = TOTP.code(secret: seedSHA1, time: now.addingTimeInterval(-30))
    #expect(TOTP.verify(oneAgo, secret: seedSHA1, time: now, window: 0, lastUsedStep: nil) == nil)
}

@Test func verifyRejectsReplayOfTheSameOrAnEarlierStep() {
    let now = Date(timeIntervalSince1970: 1_800_000_015)
    let code = TOTP.code(secret: seedSHA1, time: now)
    let step = TOTP.verify(code, secret: seedSHA1, time: now, lastUsedStep: nil)
    #expect(step != nil)
    #expect(TOTP.verify(code, secret: seedSHA1, time: now, lastUsedStep: step) == nil)
    #expect(TOTP.verify(code, secret: seedSHA1, time: now.addingTimeInterval(20), lastUsedStep: step) == nil)
    // The previous step's code is older than the one used: refused as well.
    let previous = TOTP.code(secret: seedSHA1, time: now.addingTimeInterval(-30))
    #expect(TOTP.verify(previous, secret: seedSHA1, time: now, lastUsedStep: step) == nil)
    // The next step's code is new.
    let next = TOTP.code(secret: seedSHA1, time: now.addingTimeInterval(30))
    #expect(TOTP.verify(next, secret: seedSHA1, time: now.addingTimeInterval(30), lastUsedStep: step) == step! + 1)
}

@Test func verifyRefusesMalformedCodesAndAcceptsSpacing() {
    let now = Date(timeIntervalSince1970: 1_800_000_015)
    let code = TOTP.code(secret: seedSHA1, time: now)
    let spaced = String(code.prefix(3)) + " " + String(code.suffix(3))
    #expect(TOTP.verify(spaced, secret: seedSHA1, time: now, lastUsedStep: nil) != nil)
    for bad in ["", "12345", "1234567", "12345a", "١٢٣٤٥٦", code + "0", "+" + code.dropFirst()] {
        #expect(TOTP.verify(String(bad), secret: seedSHA1, time: now, lastUsedStep: nil) == nil)
    }
    // Another secret's code does not match.
    #expect(TOTP.verify(code, secret: seedSHA256, time: now, lastUsedStep: nil) == nil)
}

@Test func newSecretsAreTwentyFreshBytes() {
    let a = TOTP.newSecret(), b = TOTP.newSecret()
    #expect(a.count == 20 && b.count == 20)
    #expect(a != b)
}

@Test func provisioningURIIsPercentEncoded() {
    let uri = TOTP.provisioningURI(secret: seedSHA1, account: "ivan.petrov", issuer: "OpenESIA")
    #expect(uri == "otpauth://totp/OpenESIA:ivan.petrov?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=OpenESIA&algorithm=SHA1&digits=6&period=30")
    let odd = TOTP.provisioningURI(secret: [0xff], account: "a&b:c", issuer: "ЕСИА Тест")
    #expect(odd == "otpauth://totp/%D0%95%D0%A1%D0%98%D0%90%20%D0%A2%D0%B5%D1%81%D1%82:a%26b%3Ac?secret=74"
        + "&issuer=%D0%95%D0%A1%D0%98%D0%90%20%D0%A2%D0%B5%D1%81%D1%82&algorithm=SHA1&digits=6&period=30")
}

@Test func base32RFC4648Vectors() {
    let vectors = ["": "", "f": "MY", "fo": "MZXQ", "foo": "MZXW6", "foob": "MZXW6YQ", "fooba": "MZXW6YTB", "foobar": "MZXW6YTBOI"]
    for (plain, encoded) in vectors {
        #expect(Base32.encode(Array(plain.utf8)) == encoded)
        #expect(Base32.decode(encoded) == Array(plain.utf8))
        #expect(Base32.decode(encoded.lowercased()) == Array(plain.utf8))
    }
    #expect(Base32.decode("MZXW6===") == Array("foo".utf8))
    #expect(Base32.decode("MZXW1") == nil)
    #expect(Base32.decode("M") == nil)
    let secret = TOTP.newSecret()
    #expect(Base32.decode(Base32.encode(secret)) == secret)
}
