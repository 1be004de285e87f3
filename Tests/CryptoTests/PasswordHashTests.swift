@testable import Crypto
import Foundation
import Support
import Testing

/// Cheap parameters so the tests stay fast: about 1 MiB and a few milliseconds per hash.
private let cheap = ScryptParameters(logN: 10, r: 8, p: 1)

@Suite struct PasswordHashTests {
    @Test func makeAndVerify() throws {
        let encoded = try PasswordHash.make(password: "correct horse battery staple", parameters: cheap)
        #expect(encoded.hasPrefix("$scrypt$ln=10,r=8,p=1$"))
        let fields = encoded.split(separator: "$")
        #expect(fields.count == 4)
        #expect(Base64URL.decode(String(fields[2]))?.count == 16)
        #expect(Base64URL.decode(String(fields[3]))?.count == 32)
        #expect(try PasswordHash.verify(password: "correct horse battery staple", encoded: encoded))
        #expect(try !PasswordHash.verify(password: "correct horse battery stapl", encoded: encoded))
        #expect(try !PasswordHash.verify(password: "", encoded: encoded))
    }

    @Test func saltsDiffer() throws {
        let a = try PasswordHash.make(password: "same", parameters: cheap)
        let b = try PasswordHash.make(password: "same", parameters: cheap)
        #expect(a != b)
    }

    @Test func knownHashVerifies() throws {
        // Made outside this code (Python hashlib.scrypt, N=1024, r=8, p=1, salt = bytes 0...15), so the
        // stored format and the KDF input are pinned, not only round-tripped.
        let encoded = "$scrypt$ln=10,r=8,p=1$AAECAwQFBgcICQoLDA0ODw$k96RaigCoTwUZdICi3nT9gPTyGBtq-SKGgRitoebsZ0"
        #expect(try PasswordHash.verify(password: "пароль", encoded: encoded))
        #expect(try !PasswordHash.verify(password: "Пароль", encoded: encoded))
    }

    @Test func composedAndDecomposedPasswordsMatch() throws {
        let composed = "Ёлка-é"                          // U+0401, U+00E9
        let decomposed = "Е\u{0308}лка-e\u{0301}"        // E + combining diaeresis, e + combining acute
        #expect(Array(composed.utf8) != Array(decomposed.utf8))
        let encoded = try PasswordHash.make(password: decomposed, parameters: cheap)
        #expect(try PasswordHash.verify(password: composed, encoded: encoded))
    }

    @Test func parametersParse() throws {
        let encoded = try PasswordHash.make(password: "x", parameters: ScryptParameters(logN: 11, r: 4, p: 2))
        #expect(PasswordHash.parameters(of: encoded) == ScryptParameters(logN: 11, r: 4, p: 2))
        #expect(PasswordHash.parameters(of: "garbage") == nil)
        #expect(PasswordHash.parameters(of: encoded.replacingOccurrences(of: "ln=11", with: "ln=30")) == nil)
    }

    @Test(arguments: [
        "",
        "scrypt$ln=10,r=8,p=1$AAECAwQFBgcICQoLDA0ODw$" + String(repeating: "A", count: 43),
        "$bcrypt$ln=10,r=8,p=1$AAECAwQFBgcICQoLDA0ODw$" + String(repeating: "A", count: 43),
        "$scrypt$ln=10,r=8$AAECAwQFBgcICQoLDA0ODw$" + String(repeating: "A", count: 43),
        "$scrypt$r=8,ln=10,p=1$AAECAwQFBgcICQoLDA0ODw$" + String(repeating: "A", count: 43),
        "$scrypt$ln=+10,r=8,p=1$AAECAwQFBgcICQoLDA0ODw$" + String(repeating: "A", count: 43),
        "$scrypt$ln=10,r=8,p=1$AAECAwQFBgcICQoLDA0O$" + String(repeating: "A", count: 43),         // 14-byte salt
        "$scrypt$ln=10,r=8,p=1$AAECAwQFBgcICQoLDA0ODw$" + String(repeating: "A", count: 42),      // short hash
        "$scrypt$ln=10,r=8,p=1$AAECAwQFBgcICQoLDA0ODw==$" + String(repeating: "A", count: 43),    // padding
        "$scrypt$ln=10,r=8,p=1$AAECAwQFBgcICQoLDA0ODw$" + String(repeating: "A", count: 43) + "$",
        "$scrypt$ln=10,r=8,p=1$AAECAwQF+gcICQoLDA0ODw$" + String(repeating: "A", count: 43),      // not base64url
    ])
    func malformedStringsThrow(encoded: String) {
        let error = #expect(throws: CryptoError.self) { try PasswordHash.verify(password: "x", encoded: encoded) }
        #expect(error?.code == .malformedInput)
        #expect(PasswordHash.parameters(of: encoded) == nil)
    }

    @Test(arguments: ["ln=9,r=8,p=1", "ln=23,r=8,p=1", "ln=999,r=8,p=1", "ln=10,r=0,p=1", "ln=10,r=33,p=1",
                      "ln=10,r=8,p=0", "ln=10,r=8,p=17"])
    func outOfBoundsParametersThrow(settings: String) {
        let encoded = "$scrypt$\(settings)$AAECAwQFBgcICQoLDA0ODw$" + String(repeating: "A", count: 43)
        let error = #expect(throws: CryptoError.self) { try PasswordHash.verify(password: "x", encoded: encoded) }
        #expect(error?.code == .parametersOutOfBounds)
        #expect(PasswordHash.parameters(of: encoded) == nil)
    }

    @Test func makeRefusesOutOfBoundsParameters() {
        let error = #expect(throws: CryptoError.self) { try PasswordHash.make(password: "x", parameters: ScryptParameters(logN: 30, r: 8, p: 1)) }
        #expect(error?.code == .parametersOutOfBounds)
    }

    @Test func concurrentHashingFromEightThreads() throws {
        let results = ResultBox()
        DispatchQueue.concurrentPerform(iterations: 8) { i in
            let password = "password \(i)"
            let ok = (try? PasswordHash.make(password: password, parameters: cheap)).map {
                (try? PasswordHash.verify(password: password, encoded: $0)) == true
                    && (try? PasswordHash.verify(password: "other", encoded: $0)) == false
            } ?? false
            results.record(ok)
        }
        #expect(results.values == Array(repeating: true, count: 8))
        // The limiter holds: never more derivations at once than processors.
        #expect(Scrypt.peakConcurrent >= 1)
        #expect(Scrypt.peakConcurrent <= Scrypt.maximumConcurrent)
        #expect(Scrypt.maximumConcurrent == ProcessInfo.processInfo.activeProcessorCount)
    }
}

private final class ResultBox: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: [Bool] = []
    func record(_ value: Bool) { lock.lock(); stored.append(value); lock.unlock() }
    var values: [Bool] { lock.lock(); defer { lock.unlock() }; return stored }
}
