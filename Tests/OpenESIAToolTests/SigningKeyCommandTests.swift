import Foundation
import Testing
@testable import openesia
import OpenESIAServer
import Support

@Suite struct SigningKeyCommandTests {
    private func parse(_ line: String) throws(UsageError) -> Command {
        try CommandLineArguments.parse(line.split(separator: " ").map(String.init))
    }

    @Test func keyCommandsParse() throws {
        #expect(try parse("keys rotate") == .keysRotate(configFile: "data/config.json", algorithms: []))
        #expect(try parse("keys rotate --algorithm RS256 --config c.json") == .keysRotate(configFile: "c.json", algorithms: [.rs256]))
        #expect(try parse("keys rotate --algorithm GOST3410_2012_256") == .keysRotate(configFile: "data/config.json", algorithms: [.gost3410_2012_256]))
        #expect(try parse("keys list") == .keysList(configFile: "data/config.json"))
        #expect(try parse("keys rotate --help") == .help(topic: "keys rotate"))
        #expect(throws: UsageError.self) { try parse("keys rotate --algorithm HS256") }
        #expect(throws: UsageError.self) { try parse("keys rotate --algorithm es256") }
        #expect(throws: UsageError.self) { try parse("keys list extra") }
    }

    @Test func measureJWSPrintsOneLinePerAlgorithm() throws {
        #expect(try parse("dev measure-jws --seconds 0.05") == .devMeasureJWS(seconds: 0.05))
        #expect(throws: UsageError.self) { try parse("dev measure-jws --seconds 0") }
        var out = ""
        let console = Console(out: { out += $0 }, err: { _ in }, logSink: MemorySink())
        #expect(Commands.main(["dev", "measure-jws", "--seconds", "0.05"], environment: [:], console: console, currentDirectory: "/") == 0)
        let lines = out.split(separator: "\n")
        #expect(lines.count == 3)
        #expect(lines.first?.hasPrefix(#"{"alg":"ES256","sign_per_second":"#) == true)
    }

    @Test func rotateThenListOnARealDataFolder() throws {
        let folder = NSTemporaryDirectory() + "/openesia-keys-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
        func run(_ arguments: [String]) -> (status: Int32, out: String, err: String) {
            var out = "", err = ""
            let console = Console(out: { out += $0 }, err: { err += $0 }, logSink: MemorySink())
            let status = Commands.main(arguments + ["--config", "d/config.json"], environment: ["OPENESIA_LOG_LEVEL": "warning"],
                                       console: console, currentDirectory: folder)
            return (status, out, err)
        }
        #expect(Commands.main(["init", "--data", "d", "--keys-from", root + "/keys-example"], environment: [:],
                              console: Console(out: { _ in }, err: { _ in }, logSink: MemorySink()), currentDirectory: folder) == 0)

        #expect(run(["keys", "list"]).out.contains("No signing keys yet"))
        let first = run(["keys", "rotate"])
        #expect(first.status == 0)
        #expect(first.out.components(separatedBy: "New ").count == 4)
        let second = run(["keys", "rotate", "--algorithm", "ES256"])
        #expect(second.status == 0 && second.out.hasPrefix("New ES256 key "))

        let list = run(["keys", "list"])
        #expect(list.status == 0)
        let lines = list.out.split(separator: "\n").map(String.init)
        #expect(lines.count == 5)
        #expect(lines[0].hasPrefix("algorithm"))
        // The first ES256 key still signs; the new one waits out the publish lead (a day by default).
        #expect(lines[1].hasPrefix("ES256") && lines[1].contains(" current "))
        #expect(lines[2].hasPrefix("ES256") && lines[2].contains(" published "))
        #expect(lines[3].hasPrefix("RS256") && lines[3].contains(" current "))
        #expect(lines[4].hasPrefix("GOST3410_2012_256") && lines[4].contains(" current "))
    }
}
