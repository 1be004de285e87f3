import Foundation
import PKI
import Testing
@testable import openesia
import OpenESIAServer
import Support

/// `openesia sign` and the signature benchmark helpers' command lines.
@Suite struct SignCommandLineTests {
    static let pki = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("keys-example/pki").path

    @Test func signParsesItsOptions() throws {
        var expected = SignOptions(keyFile: "k.pem", certificateFile: "c.pem", inputFile: "challenge.txt")
        #expect(try CommandLineArguments.parse(["sign", "--key", "k.pem", "--cert", "c.pem", "challenge.txt"]) == .signature(.sign(expected)))
        expected.chainFile = "ca.pem"
        expected.attached = true
        expected.signedAttributes = false
        expected.outputFile = "out.sig"
        #expect(try CommandLineArguments.parse(["sign", "--key", "k.pem", "--cert", "c.pem", "--chain", "ca.pem", "--attached",
                                                "--no-attributes", "--out", "out.sig", "challenge.txt"]) == .signature(.sign(expected)))
        #expect(throws: UsageError.self) { try CommandLineArguments.parse(["sign", "--cert", "c.pem", "challenge.txt"]) }
        #expect(throws: UsageError.self) { try CommandLineArguments.parse(["sign", "--key", "k", "--cert", "c"]) }
        #expect(try CommandLineArguments.parse(["dev", "measure-signature-logins", "--key", "k", "--cert", "c", "--port", "9000"])
                == .signature(.measureSignatureLogins(port: 9000, key: "k", certificate: "c", chain: nil, count: 1000, threads: 2)))
        #expect(try CommandLineArguments.parse(["dev", "measure-crl-load"]) == .signature(.measureCRLLoad(entries: 100_000)))
        #expect(Usage.general.contains("sign FILE"))
        #expect(!Usage.general.contains("measure-cms-verify"))
    }

    @Test(arguments: ["ecdsa", "rsa", "gost"])
    func signWritesACMSThatVerifiesOverTheFile(algorithm: String) throws {
        let folder = NSTemporaryDirectory() + "openesia-sign-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let content = Array("OpenESIA: вход\nid: x\n".utf8)
        FileManager.default.createFile(atPath: folder + "/challenge.txt", contents: Data(content))
        var written: [UInt8] = []
        var err = ""
        var console = Console(out: { _ in }, err: { err += $0 }, logSink: MemorySink())
        console.outBytes = { written += $0 }
        let base = "\(Self.pki)/\(algorithm)"
        let status = Commands.main(["sign", "--key", "\(base)/citizen.key", "--cert", "\(base)/citizen.crt", "--chain",
                                    "\(base)/accredited/ca.crt", "challenge.txt"], environment: [:], console: console, currentDirectory: folder)
        #expect(status == 0, "\(err)")
        let message = try SignedMessage(bytes: written)
        #expect(message.isDetached && message.certificates.count == 2)
        let verified = try message.verifySignature(content: content)
        #expect(SubjectIdentifiers.read(verified.signer).snils == "00200000014")

        #expect(Commands.main(["sign", "--key", "\(base)/citizen.key", "--cert", "\(base)/citizen.crt", "--attached", "--no-attributes",
                               "--out", "s.der", "challenge.txt"], environment: [:], console: console, currentDirectory: folder) == 0)
        let attached = try SignedMessage(bytes: [UInt8](try Data(contentsOf: URL(fileURLWithPath: folder + "/s.der"))))
        #expect(attached.embeddedContent == content)
        #expect(try attached.verifySignature(content: nil).claimedSigningTime == nil)
    }

    @Test func signRefusesMissingAndMismatchedFiles() {
        var err = ""
        let console = Console(out: { _ in }, err: { err += $0 }, logSink: MemorySink())
        let folder = NSTemporaryDirectory()
        func run(_ arguments: [String]) -> Int32 { Commands.main(arguments, environment: [:], console: console, currentDirectory: folder) }
        #expect(run(["sign", "--key", "\(Self.pki)/rsa/citizen.key", "--cert", "\(Self.pki)/ecdsa/citizen.crt", "\(Self.pki)/rsa/citizen.crt"]) == 65)
        #expect(err.contains("does not belong"))
        #expect(run(["sign", "--key", "/nonexistent.key", "--cert", "\(Self.pki)/ecdsa/citizen.crt", "x"]) == 66)
        #expect(run(["sign", "--key", "\(Self.pki)/ecdsa/citizen.crt", "--cert", "\(Self.pki)/ecdsa/citizen.crt", "x"]) == 65)
    }
}
