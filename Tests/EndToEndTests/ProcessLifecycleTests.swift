import Foundation
import Testing
import TestSupport

/// Runs the real `openesia` binary: init, migrate, serve, then SIGTERM.
@Suite struct ProcessLifecycleTests {
    @Test func serveExitsZeroOnSIGTERMAfterFinishingRequests() throws {
        let binary = try #require(OpenESIABinary.path, "the openesia binary is built beside the tests")
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("openesia-proc-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let keys = OpenESIABinary.packageRoot.appendingPathComponent("keys-example").path
        #expect(try OpenESIABinary.run(binary, ["init", "--data", folder.path, "--keys-from", keys]).status == 0)
        #expect(try OpenESIABinary.run(binary, ["migrate", "--config", folder.appendingPathComponent("config.json").path]).status == 0)

        // Port 0 and the port read back from the "listening" line: a port picked in advance could be taken by a
        // test running in parallel before the server binds it.
        let serve = Process()
        serve.executableURL = URL(fileURLWithPath: binary)
        serve.arguments = ["serve", "--config", folder.appendingPathComponent("config.json").path]
        serve.environment = ["OPENESIA_HTTP_PORT": "0", "PATH": "/usr/bin:/bin"]
        let output = Pipe()
        serve.standardOutput = output
        serve.standardError = output
        try serve.run()
        var early = ""
        var port = 0
        while port == 0 {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            early += String(decoding: chunk, as: UTF8.self)
            if let range = early.range(of: #""address":"127.0.0.1:"#) {
                port = Int(early[range.upperBound...].prefix { $0.isNumber }) ?? 0
            }
        }
        try #require(port > 0, "the server printed its listening address")

        var healthy = false
        for _ in 0..<100 where !healthy {
            if let client = try? RawClient(port: port, timeout: 1) {
                try? client.send("GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n")
                healthy = (try? client.readResponse().status) == 200
            }
            if !healthy { usleep(100_000) }
        }
        #expect(healthy)
        kill(serve.processIdentifier, SIGTERM)
        serve.waitUntilExit()
        #expect(serve.terminationStatus == 0)
        let log = early + String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(log.contains("signal received"))
        #expect(log.contains("\"msg\":\"stopped\""))
    }

    @Test func serveExits69WhenThePortIsTaken() throws {
        let binary = try #require(OpenESIABinary.path)
        let app = try TestApplication()
        defer { app.stop() }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("openesia-proc-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let keys = OpenESIABinary.packageRoot.appendingPathComponent("keys-example").path
        #expect(try OpenESIABinary.run(binary, ["init", "--data", folder.path, "--keys-from", keys]).status == 0)
        let result = try OpenESIABinary.run(binary, ["serve", "--config", folder.appendingPathComponent("config.json").path],
                                            environment: ["OPENESIA_HTTP_PORT": String(app.port)])
        #expect(result.status == 69)
    }
}

enum OpenESIABinary {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The `openesia` executable SwiftPM built next to this test bundle.
    static var path: String? {
        let testBinary = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        var folder = testBinary.deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = folder.appendingPathComponent("openesia").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            folder = folder.deletingLastPathComponent()
        }
        let fallback = packageRoot.appendingPathComponent(".build/debug/openesia").path
        return FileManager.default.isExecutableFile(atPath: fallback) ? fallback : nil
    }

    static func run(_ binary: String, _ arguments: [String], environment: [String: String] = [:]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        process.environment = environment.merging(["PATH": "/usr/bin:/bin"]) { a, _ in a }
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}
