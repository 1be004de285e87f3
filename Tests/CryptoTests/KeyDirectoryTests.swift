@testable import Crypto
import Foundation
import Glibc
import Support
import Testing

/// A fresh temporary folder, removed by `remove()`.
private struct TemporaryFolder {
    let path: String

    init() {
        var template = Array((NSTemporaryDirectory() + "/openesia-crypto-XXXXXX").utf8CString)
        let made = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
        precondition(made != nil, "mkdtemp failed")
        path = (String(cString: made!) as NSString).standardizingPath
    }

    func file(_ name: String) -> String { (path as NSString).appendingPathComponent(name) }

    func write(_ name: String, _ text: String) {
        let target = file(name)
        try! FileManager.default.createDirectory(atPath: (target as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try! Data(text.utf8).write(to: URL(fileURLWithPath: target))
    }

    func read(_ name: String) -> String { (try? String(contentsOfFile: file(name), encoding: .utf8)) ?? "" }

    func list(_ name: String) -> [String] { ((try? FileManager.default.contentsOfDirectory(atPath: file(name))) ?? []).sorted() }

    func remove() { try? FileManager.default.removeItem(atPath: path) }
}

private func mode(_ path: String) -> Int {
    var info = stat()
    return stat(path, &info) == 0 ? Int(info.st_mode) & 0o777 : -1
}

private let keysExample = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("keys-example").path

/// 2026-11-23 12:00 UTC.
private let clock = FixedClock(Date(timeIntervalSince1970: 1_795_435_200))

private let aKey = "q2oIGnDI/C+Up4VH2D2zQf7vHA71MrFYdXqxhB3V+9Y=\n"

@Suite struct DataKeyRingTests {
    @Test func addKeyCreatesAndRotates() throws {
        let temp = TemporaryFolder()
        defer { temp.remove() }
        let first = try DataKeyRing.addKey(directory: temp.path, clock: clock)
        #expect(first.hasPrefix("2026-11-23-"))
        #expect(first.count == "2026-11-23-a1b2c3".count)
        #expect(DataKeyRing.isValidID(first))
        #expect(mode(temp.file("data")) == 0o700)
        #expect(mode(temp.file("data/\(first).key")) == 0o600)
        #expect(mode(temp.file("data/current")) == 0o600)
        #expect(temp.read("data/current") == first + "\n")

        let ring1 = try DataKeyRing.load(directory: temp.path)
        #expect(ring1.currentID == first)
        #expect(ring1.ids == [first])
        let sealed = try AESGCM.seal([1, 2, 3], key: ring1.currentKey)

        let second = try DataKeyRing.addKey(directory: temp.path, clock: clock)
        #expect(second != first)
        let ring2 = try DataKeyRing.load(directory: temp.path)
        #expect(ring2.currentID == second)
        #expect(ring2.ids == [first, second].sorted())
        #expect(ring2.key(id: first) == ring1.key(id: first))
        #expect(ring2.key(id: second) != ring2.key(id: first))
        #expect(ring2.key(id: "nope") == nil)
        // Old data stays readable with the old key.
        #expect(try AESGCM.open(sealed, key: ring2.key(id: first)!) == [1, 2, 3])
        // No temporary files are left behind.
        #expect(temp.list("data") == (["current", "\(first).key", "\(second).key"]).sorted())
    }

    @Test func keyFilesAreOneLineOfStandardBase64() throws {
        let temp = TemporaryFolder()
        defer { temp.remove() }
        let id = try DataKeyRing.addKey(directory: temp.path, clock: clock)
        let text = temp.read("data/\(id).key")
        #expect(text.count == 45 && text.hasSuffix("=\n"))
        #expect(Data(base64Encoded: String(text.dropLast()))?.count == 32)
    }

    @Test func idValidation() {
        for good in ["2026-11-23-a1b2c3", "dev-2026-01-01", "a", String(repeating: "a", count: 64)] {
            #expect(DataKeyRing.isValidID(good), "\(good)")
        }
        for bad in ["", "-a", "A", "a_b", "a.b", "a/b", "..", "é", "a b", String(repeating: "a", count: 65)] {
            #expect(!DataKeyRing.isValidID(bad), "\(bad)")
        }
    }

    @Test func malformedFoldersThrowNamingTheFile() {
        func loadError(_ files: [String: String]) -> CryptoError? {
            let temp = TemporaryFolder()
            defer { temp.remove() }
            for (name, text) in files { temp.write(name, text) }
            return #expect(throws: CryptoError.self) { try DataKeyRing.load(directory: temp.path) }
        }
        #expect(loadError([:])?.message.contains("data") == true)
        #expect(loadError(["data/k1.key": aKey])?.message.contains("data/current") == true)
        #expect(loadError(["data/k1.key": aKey, "data/current": "k2\n"])?.message.contains("k2.key") == true)
        #expect(loadError(["data/k1.key": aKey, "data/current": "../x\n"])?.message.contains("data/current") == true)
        #expect(loadError(["data/k1.key": "not base64!\n", "data/current": "k1"])?.message.contains("k1.key") == true)
        #expect(loadError(["data/k1.key": "AAAA\n", "data/current": "k1"])?.message.contains("k1.key") == true)
        #expect(loadError(["data/k1.key": aKey, "data/K2.key": aKey, "data/current": "k1"])?.message.contains("K2.key") == true)
        #expect(loadError(["data/k1.key": aKey, "data/notes.txt": "x", "data/current": "k1"])?.message.contains("notes.txt") == true)
        #expect(loadError(["data/k1.key": String(repeating: "A", count: 5000), "data/current": "k1"])?.code == .keyFile)
    }

    @Test func dotFilesAreSkipped() throws {
        let temp = TemporaryFolder()
        defer { temp.remove() }
        temp.write("data/k1.key", aKey)
        temp.write("data/current", "k1")
        temp.write("data/.k2.key.tmp-0011223344", "half")
        let ring = try DataKeyRing.load(directory: temp.path)
        #expect(ring.ids == ["k1"])
    }

    @Test func inMemoryRingChecksItsIDs() throws {
        let key = SymmetricKey.random()
        #expect(try DataKeyRing(currentID: "a", keys: ["a": key]).currentKey == key)
        #expect(throws: CryptoError.self) { try DataKeyRing(currentID: "b", keys: ["a": key]) }
        #expect(throws: CryptoError.self) { try DataKeyRing(currentID: "A", keys: ["A": key]) }
    }
}

@Suite struct KeyDirectoryTests {
    @Test func generateMakesEverythingWithTightModes() throws {
        let temp = TemporaryFolder()
        defer { temp.remove() }
        let keys = temp.file("keys")
        try KeyDirectory.generate(in: keys, clock: clock)
        #expect(mode(keys) == 0o700)
        #expect(mode(keys + "/data") == 0o700)
        #expect(mode(keys + "/secrets") == 0o700)
        #expect(temp.list("keys/secrets") == ["audit.key", "blind-index.key", "client-secret.key", "token-hash.key"])
        let ring = try DataKeyRing.load(directory: keys)
        #expect(ring.currentID.hasPrefix("2026-11-23-"))
        #expect(temp.list("keys/data") == ["\(ring.currentID).key", "current"])
        for file in ["data/current", "data/\(ring.currentID).key"] + SecretName.allCases.map(\.relativePath) {
            #expect(mode(keys + "/" + file) == 0o600, "\(file)")
        }
        let secrets = try SecretName.allCases.map { try KeyDirectory.secret($0, in: keys) }
        #expect(Set(secrets.map { Hex.encode($0.bytes) }).count == SecretName.allCases.count)
        #expect(!secrets.contains(ring.currentKey))
    }

    @Test func generateNeverOverwrites() throws {
        let temp = TemporaryFolder()
        defer { temp.remove() }
        temp.write("keys/secrets/audit.key", aKey)
        let error = #expect(throws: CryptoError.self) { try KeyDirectory.generate(in: temp.file("keys")) }
        #expect(error?.code == .alreadyExists)
        #expect(error?.message.contains("audit.key") == true)
        // Nothing was written.
        #expect(temp.list("keys") == ["secrets"])
        #expect(temp.read("keys/secrets/audit.key") == aKey)

        let other = TemporaryFolder()
        defer { other.remove() }
        other.write("keys/data/old.key", aKey)
        #expect(throws: CryptoError.self) { try KeyDirectory.generate(in: other.file("keys")) }
        #expect(other.list("keys") == ["data"])

        // A second generate over a complete directory refuses too.
        let third = TemporaryFolder()
        defer { third.remove() }
        try KeyDirectory.generate(in: third.path)
        let before = try DataKeyRing.load(directory: third.path)
        #expect(throws: CryptoError.self) { try KeyDirectory.generate(in: third.path) }
        #expect(try DataKeyRing.load(directory: third.path).ids == before.ids)
    }

    @Test func writeNewFileRefusesAnExistingName() throws {
        let temp = TemporaryFolder()
        defer { temp.remove() }
        temp.write("x.key", "old")
        let error = #expect(throws: CryptoError.self) { try KeyDirectory.writeNewFile(temp.file("x.key"), "new") }
        #expect(error?.code == .alreadyExists)
        #expect(temp.read("x.key") == "old")
        #expect(temp.list("") == ["x.key"])
    }

    @Test func missingOrMalformedSecretNamesTheFile() {
        let temp = TemporaryFolder()
        defer { temp.remove() }
        let missing = #expect(throws: CryptoError.self) { try KeyDirectory.secret(.tokenHash, in: temp.path) }
        #expect(missing?.code == .keyFile)
        #expect(missing?.message.contains("secrets/token-hash.key") == true)
        temp.write("secrets/token-hash.key", "c2hvcnQ=\n")
        let short = #expect(throws: CryptoError.self) { try KeyDirectory.secret(.tokenHash, in: temp.path) }
        #expect(short?.message.contains("token-hash.key") == true)
    }

    @Test func keysExampleLoads() throws {
        let ring = try DataKeyRing.load(directory: keysExample)
        #expect(ring.currentID == "dev-2026-01-01")
        #expect(ring.ids == ["dev-2026-01-01"])
        for name in SecretName.allCases {
            _ = try KeyDirectory.secret(name, in: keysExample)
        }
        #expect(FileManager.default.fileExists(atPath: keysExample + "/DEVELOPMENT-ONLY"))
    }
}
