import Foundation
import Testing
@testable import OpenESIAServer

private func mode(_ path: String) -> Int {
    let attributes = try? FileManager.default.attributesOfItem(atPath: path)
    return ((attributes?[.posixPermissions] as? NSNumber)?.intValue ?? -1) & 0o777
}

/// A small keys folder like keys-example/.
private func makeKeysSource(in folder: TemporaryFolder) -> String {
    folder.write("source/DEVELOPMENT-ONLY", "public")
    folder.write("source/tls/localhost.key", "-----BEGIN PRIVATE KEY-----\n")
    folder.write("source/tls/localhost.crt", "-----BEGIN CERTIFICATE-----\n")
    folder.write("source/make-keys.sh", "#!/bin/sh\n")
    folder.write("source/.hidden", "x")
    return folder.file("source")
}

private func fakeTLS(_ hostnames: [String], _ addresses: [String], _ days: Int) throws -> (certificatePEM: String, privateKeyPEM: String) {
    ("CERT " + hostnames.joined(separator: ",") + " " + addresses.joined(separator: ","), "KEY")
}

private struct Broken: Error {}

@Suite struct DataFolderTests {
    @Test func createsFolderWithConfigAndKeysAndTightModes() throws {
        let temp = TemporaryFolder()
        defer { temp.remove() }
        _ = makeKeysSource(in: temp)
        let created = try DataFolder.create(at: "data", keys: .copy(from: "source"), currentDirectory: temp.path)
        let data = temp.file("data")
        #expect(created.folder == data)
        #expect(created.configFile == data + "/config.json")
        #expect(created.keyFiles == ["DEVELOPMENT-ONLY", "tls/localhost.crt", "tls/localhost.key"])
        #expect(created.developmentKeys)
        #expect(mode(data) == 0o700)
        #expect(mode(data + "/keys") == 0o700)
        #expect(mode(data + "/keys/tls") == 0o700)
        #expect(mode(data + "/keys/tls/localhost.key") == 0o600)
        #expect(mode(data + "/config.json") == 0o600)
        #expect(try String(contentsOfFile: data + "/keys/tls/localhost.key", encoding: .utf8) == "-----BEGIN PRIVATE KEY-----\n")
        #expect(try String(contentsOfFile: data + "/config.json", encoding: .utf8) == Configuration().jsonFileText())
        // Nothing else beside it: the staging folder is gone.
        #expect(try FileManager.default.contentsOfDirectory(atPath: temp.path).sorted() == ["data", "source"])
    }

    @Test func writtenConfigLoadsAndValidatesWithDevelopmentWarning() throws {
        let temp = TemporaryFolder()
        defer { temp.remove() }
        _ = makeKeysSource(in: temp)
        let created = try DataFolder.create(at: temp.file("data"), keys: .copy(from: temp.file("source")))
        let loaded = try ConfigurationLoader.load(file: created.configFile, environment: [:])
        #expect(loaded.configuration.database.path == temp.file("data/openesia.sqlite3"))
        #expect(loaded.configuration.keys.directory == temp.file("data/keys"))
        #expect(loaded.configuration.tls.isEnabled == false)
        #expect(loaded.warnings.count == 1)
    }

    @Test func refusesAnExistingConfigWithoutForce() throws {
        let temp = TemporaryFolder()
        defer { temp.remove() }
        _ = makeKeysSource(in: temp)
        try DataFolder.create(at: "data", keys: .copy(from: "source"), currentDirectory: temp.path)
        temp.write("data/config.json", "{\"mine\": true}")
        temp.write("data/openesia.sqlite3", "database")
        let error = #expect(throws: DataFolderError.self) {
            try DataFolder.create(at: "data", keys: .copy(from: "source"), currentDirectory: temp.path)
        }
        #expect(error?.code == .alreadyExists)
        #expect(try String(contentsOfFile: temp.file("data/config.json"), encoding: .utf8) == "{\"mine\": true}")

        // With force, config.json and keys/ are replaced and the database is kept.
        temp.write("data/keys/stale.key", "old")
        try DataFolder.create(at: "data", keys: .generate, force: true, currentDirectory: temp.path, makeTLS: fakeTLS)
        #expect(try String(contentsOfFile: temp.file("data/config.json"), encoding: .utf8) == Configuration().jsonFileText())
        #expect(try String(contentsOfFile: temp.file("data/openesia.sqlite3"), encoding: .utf8) == "database")
        #expect(!FileManager.default.fileExists(atPath: temp.file("data/keys/stale.key")))
        #expect(try FileManager.default.contentsOfDirectory(atPath: temp.file("data")).sorted() == ["config.json", "keys", "openesia.sqlite3"])
    }

    @Test func anExistingEmptyFolderIsFilledAndKeepsItsMode() throws {
        let temp = TemporaryFolder()
        defer { temp.remove() }
        _ = makeKeysSource(in: temp)
        try FileManager.default.createDirectory(atPath: temp.file("data"), withIntermediateDirectories: false)
        let created = try DataFolder.create(at: "data", keys: .copy(from: "source"), currentDirectory: temp.path)
        #expect(created.keyFiles.count == 3)
        #expect(FileManager.default.fileExists(atPath: temp.file("data/config.json")))
    }

    @Test func generatedKeysHaveNoDevelopmentMarker() throws {
        let temp = TemporaryFolder()
        defer { temp.remove() }
        let created = try DataFolder.create(at: temp.file("data"), keys: .generate, makeTLS: fakeTLS)
        // TLS pair, one data key with its `current` pointer, and the four HMAC secrets.
        let dataKeys = created.keyFiles.filter { $0.hasPrefix("data/") && $0.hasSuffix(".key") }
        #expect(dataKeys.count == 1)
        #expect(created.keyFiles == (dataKeys + ["data/current", "secrets/audit.key", "secrets/blind-index.key", "secrets/client-secret.key",
                                                 "secrets/token-hash.key", "tls/localhost.crt", "tls/localhost.key"]).sorted())
        let current = try String(contentsOfFile: temp.file("data/keys/data/current"), encoding: .utf8)
        #expect("data/" + current.trimmingCharacters(in: .newlines) + ".key" == dataKeys.first)
        #expect(!created.developmentKeys)
        #expect(try String(contentsOfFile: temp.file("data/keys/tls/localhost.crt"), encoding: .utf8) == "CERT localhost 127.0.0.1,::1")
        for file in created.keyFiles {
            #expect(mode(temp.file("data/keys/" + file)) == 0o600, "\(file)")
        }
        #expect(mode(temp.file("data/keys/data")) == 0o700)
        #expect(mode(temp.file("data/keys/secrets")) == 0o700)
        let secret = try String(contentsOfFile: temp.file("data/keys/secrets/audit.key"), encoding: .utf8)
        #expect(Data(base64Encoded: secret.trimmingCharacters(in: .newlines))?.count == 32)
        let loaded = try ConfigurationLoader.load(file: created.configFile, environment: [:])
        #expect(loaded.warnings == [])
    }

    @Test func failureLeavesNothingBehind() throws {
        let temp = TemporaryFolder()
        defer { temp.remove() }
        let error = #expect(throws: DataFolderError.self) {
            try DataFolder.create(at: temp.file("data"), keys: .generate, makeTLS: { _, _, _ in throw Broken() })
        }
        #expect(error?.code == .keyGenerationFailed)
        #expect(try FileManager.default.contentsOfDirectory(atPath: temp.path) == [])

        // Failing inside an existing folder leaves it as it was.
        temp.write("data/openesia.sqlite3", "database")
        #expect(throws: DataFolderError.self) {
            try DataFolder.create(at: temp.file("data"), keys: .generate, makeTLS: { _, _, _ in throw Broken() })
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: temp.file("data")) == ["openesia.sqlite3"])

        // The data key and secrets failing after the TLS pair was written leaves nothing either.
        let secretsError = #expect(throws: DataFolderError.self) {
            try DataFolder.create(at: temp.file("other"), keys: .generate, makeTLS: fakeTLS, makeSecretKeys: { _ in throw Broken() })
        }
        #expect(secretsError?.code == .keyGenerationFailed)
        #expect(try FileManager.default.contentsOfDirectory(atPath: temp.path) == ["data"])
    }

    @Test func copiedDevelopmentPKIMakesItsHeadRootsTrusted() throws {
        let temp = TemporaryFolder()
        defer { temp.remove() }
        let example = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("keys-example").path
        let created = try DataFolder.create(at: "data", keys: .copy(from: example), currentDirectory: temp.path)
        let loaded = try ConfigurationLoader.load(file: created.configFile, environment: [:])
        #expect(loaded.configuration.headca.roots == ["ecdsa", "gost", "rsa"].map { temp.file("data/keys/pki/\($0)/head/ca.crt") })
        #expect(loaded.configuration.headca.roots.allSatisfy { FileManager.default.fileExists(atPath: $0) })
    }

    @Test func missingKeysSourceIsReported() throws {
        let temp = TemporaryFolder()
        defer { temp.remove() }
        let error = #expect(throws: DataFolderError.self) {
            try DataFolder.create(at: "data", keys: .copy(from: "keys-example"), currentDirectory: temp.path)
        }
        #expect(error?.code == .keysNotFound)
        #expect(error?.message.contains(temp.file("keys-example")) == true)
        #expect(try FileManager.default.contentsOfDirectory(atPath: temp.path) == [])
    }

    @Test func missingParentIsAFileSystemError() {
        let temp = TemporaryFolder()
        defer { temp.remove() }
        let error = #expect(throws: DataFolderError.self) {
            try DataFolder.create(at: temp.file("a/b/data"), keys: .generate, makeTLS: fakeTLS)
        }
        #expect(error?.code == .fileSystem)
    }

    @Test func theStubbedGeneratorFailsCleanlyUntilTheRealOneLands() {
        let temp = TemporaryFolder()
        defer { temp.remove() }
        // Uses PKI.SelfSignedCertificate.makeTLS; passes both with the stub (throws) and the real one.
        do {
            let created = try DataFolder.create(at: temp.file("data"), keys: .generate)
            #expect(created.keyFiles.filter { $0.hasPrefix("tls/") } == ["tls/localhost.crt", "tls/localhost.key"])
            #expect(created.keyFiles.contains("data/current"))
        } catch {
            #expect(error.code == .keyGenerationFailed)
            #expect((try? FileManager.default.contentsOfDirectory(atPath: temp.path)) == [])
        }
    }
}
