import Foundation
import Testing
@testable import openesia
import OpenESIAServer
import Support

private func parse(_ arguments: [String]) throws(UsageError) -> Command {
    try CommandLineArguments.parse(arguments)
}

private func usageError(_ arguments: [String]) -> UsageError? {
    do {
        _ = try parse(arguments)
        return nil
    } catch {
        return error
    }
}

@Suite struct DevCACommandLineTests {
    @Test func caCommandsParseWithDefaults() throws {
        #expect(try parse(["ca", "init-head", "--dir", "h", "--algorithm", "gost256"])
            == .devCA(.initHead(DevCANewCA(directory: "h", algorithm: .gost256, days: DevCACommands.defaultHeadDays))))
        #expect(try parse(["ca", "init-accredited", "--dir", "a", "--head", "h", "--algorithm", "rsa", "--name", "УЦ", "--ogrn", "1027700000020",
                           "--innle", "7700000023", "--crl-url", "http://127.0.0.1:8080/a.crl", "--days", "10",
                           "--not-before", "2025-01-01T00:00:00Z"])
            == .devCA(.initAccredited(DevCANewCA(directory: "a", algorithm: .rsa, commonName: "УЦ", ogrn: "1027700000020", innle: "7700000023",
                                                 crlURL: "http://127.0.0.1:8080/a.crl", days: 10,
                                                 notBefore: Date(timeIntervalSince1970: 1_735_689_600)), head: "h")))
        #expect(try parse(["ca", "issue", "--ca", "a", "--profile", "portal", "--out", "p", "--algorithm", "ecdsa", "--cn", "Portal",
                           "--ogrn", "1027700000030", "--not-before", "2025-01-01", "--allow-bad-checksum"])
            == .devCA(.issue(DevCAIssueRequest(caDirectory: "a", profile: .portal, outputPrefix: "p", algorithm: .ecdsa, commonName: "Portal",
                                               ogrn: "1027700000030", days: DevCACommands.defaultLeafDays,
                                               notBefore: Date(timeIntervalSince1970: 1_735_689_600), allowBadChecksum: true))))
        #expect(try parse(["ca", "revoke", "--ca", "a", "--cert", "c.crt", "--reason", "superseded", "--at", "2025-01-01T03:00:00+03:00"])
            == .devCA(.revoke(caDirectory: "a", certificateFile: "c.crt", reason: .superseded, at: Date(timeIntervalSince1970: 1_735_689_600))))
        #expect(try parse(["ca", "revoke", "--ca", "a", "--cert", "c.crt"])
            == .devCA(.revoke(caDirectory: "a", certificateFile: "c.crt", reason: nil, at: nil)))
        #expect(try parse(["ca", "crl", "--ca", "a"]) == .devCA(.crl(caDirectory: "a", days: DevCACommands.defaultCRLDays, output: nil)))
        #expect(try parse(["ca", "crl", "--ca", "a", "--days", "3650", "--out", "x.crl"]) == .devCA(.crl(caDirectory: "a", days: 3650, output: "x.crl")))
        #expect(try parse(["ca", "issue", "--help"]) == .help(topic: "ca issue"))
    }

    @Test func caUsageErrorsNameTheProblem() {
        #expect(usageError(["ca", "init-head", "--dir", "h", "--algorithm", "dsa"])?.message
            .hasPrefix("--algorithm must be one of rsa, ecdsa, gost256, gost512") == true)
        #expect(usageError(["ca", "init-head", "--dir", "h", "--algorithm", "gost265"])?.message.hasSuffix("did you mean gost256?") == true)
        #expect(usageError(["ca", "init-head", "--algorithm", "rsa"])?.message == "ca init-head needs --dir DIR")
        #expect(usageError(["ca", "init-head", "--dir", "h"])?.message == "ca init-head needs --algorithm ALGORITHM")
        #expect(usageError(["ca", "init-accredited", "--dir", "a", "--algorithm", "rsa"])?.message == "ca init-accredited needs --head HEADDIR")
        #expect(usageError(["ca", "issue", "--ca", "a", "--profile", "ctizen", "--out", "p", "--algorithm", "rsa", "--cn", "X"])?.message
            == "--profile must be one of citizen, staff, portal; did you mean citizen?")
        #expect(usageError(["ca", "issue", "--ca", "a", "--profile", "citizen", "--out", "p", "--algorithm", "rsa"])?.message
            == "ca issue needs --cn NAME")
        #expect(usageError(["ca", "issue", "--ca", "a", "--profile", "citizen", "--out", "p", "--algorithm", "rsa", "--cn", "X",
                            "--not-before", "yesterday"])?.message.hasPrefix("--not-before needs an ISO 8601 time") == true)
        #expect(usageError(["ca", "revoke", "--ca", "a", "--cert", "c", "--reason", "lost"])?.message.hasPrefix("--reason must be one of") == true)
        #expect(usageError(["ca", "crl", "--ca", "a", "--days", "0"])?.message == "--days needs a number from 1 to 36500")
        #expect(usageError(["ca", "crl"])?.message == "ca crl needs --ca CADIR")
        #expect(usageError(["ca", "sign"])?.message.hasPrefix("unknown subcommand ca sign") == true)
        let needsSubcommand = usageError(["ca"])?.message ?? ""
        #expect(needsSubcommand.hasPrefix("ca needs a subcommand: "))
        for sub in ["init-head", "init-accredited", "issue", "revoke", "crl", "accredit", "import-tsl"] {
            #expect(needsSubcommand.contains(" \(sub)"))
        }
    }

    @Test func caCommandsAreListedInTheUsage() {
        for name in ["ca init-head", "ca init-accredited", "ca issue", "ca revoke", "ca crl"] {
            #expect(Usage.general.contains(name))
            #expect(CommandSpec.named(name).map(Usage.command)?.contains("--help") == true)
        }
    }

    @Test func runnerResolvesRelativePathsAndMapsErrors() throws {
        var template = Array((NSTemporaryDirectory() + "/openesia-devca-XXXXXX").utf8CString)
        let folder = (String(cString: template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }!) as NSString).standardizingPath
        defer { try? FileManager.default.removeItem(atPath: folder) }
        var out = "", err = ""
        let console = Console(out: { out += $0 }, err: { err += $0 }, logSink: MemorySink())
        func run(_ arguments: [String]) -> Int32 { Commands.main(arguments, environment: [:], console: console, currentDirectory: folder) }
        #expect(run(["ca", "init-head", "--dir", "pki/head", "--algorithm", "ecdsa", "--name", "Test root"]) == 0)
        #expect(out.hasPrefix("Head CA in \(folder)/pki/head\n  subject    CN=Test root,"))
        #expect(FileManager.default.fileExists(atPath: folder + "/pki/head/crl.der"))
        #expect(run(["ca", "issue", "--ca", "pki/head", "--profile", "staff", "--out", "staff", "--algorithm", "ecdsa", "--cn", "S",
                     "--snils", "00200010017"]) == 0)
        #expect(FileManager.default.fileExists(atPath: folder + "/staff.crt"))
        #expect(run(["ca", "crl", "--ca", "pki/head", "--out", "head.pem"]) == 0)
        #expect(try String(contentsOfFile: folder + "/head.pem", encoding: .utf8).hasPrefix("-----BEGIN X509 CRL-----\n"))
        #expect(run(["ca", "crl", "--ca", "pki/missing"]) == 66)
        #expect(err.contains("no CA folder at \(folder)/pki/missing"))
    }
}
