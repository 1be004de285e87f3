import Foundation
import Testing
import TestSupport

/// Signing keys across processes: made by `keys rotate` in one, opened by `serve` in another (where the GOST engine
/// is not loaded until a GOST key is read).
@Suite struct SigningKeyProcessTests {
    @Test func serveOpensKeysThatAnotherProcessMade() throws {
        let binary = try #require(OpenESIABinary.path)
        let app = try TestApplication()
        defer { app.stop() }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("openesia-keys-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let keys = OpenESIABinary.packageRoot.appendingPathComponent("keys-example").path
        let config = folder.appendingPathComponent("config.json").path
        #expect(try OpenESIABinary.run(binary, ["init", "--data", folder.path, "--keys-from", keys]).status == 0)
        let rotated = try OpenESIABinary.run(binary, ["keys", "rotate", "--config", config])
        #expect(rotated.status == 0)
        #expect(rotated.output.contains("New GOST3410_2012_256 key "))

        // The server opens every live key before it binds: reaching the bind (69, the port is taken) means all three opened.
        let served = try OpenESIABinary.run(binary, ["serve", "--config", config], environment: ["OPENESIA_HTTP_PORT": String(app.port)])
        #expect(served.status == 69, "\(served.output)")
        #expect(!served.output.contains("cannot be read"))

        let listed = try OpenESIABinary.run(binary, ["keys", "list", "--config", config])
        #expect(listed.status == 0)
        #expect(listed.output.components(separatedBy: " current ").count == 4)
    }
}
