import Crypto
import Foundation
import PKI
import Testing

/// Signatures made by the openssl command line tool (as ESIA client libraries make them) verify here, and
/// signatures made here verify with the tool. GOST through `-engine gost`.
@Suite(.enabled(if: OpenSSLTool.isAvailable, "/usr/bin/openssl is missing: command-line interop skipped"))
struct OpenSSLToolInteropTests {
    private let content: [UInt8] = Array("Вход через ЕСИА\r\n".utf8) + [0, 1, 2, 0x0a, 0xff]

    @Test(arguments: SigningAlgorithm.allCases, [[], ["-nodetach"], ["-noattr"], ["-nodetach", "-noattr"]])
    func toolSignatureVerifies(algorithm: SigningAlgorithm, options: [String]) throws {
        let h = try TestHierarchy.of(algorithm)
        let tool = try OpenSSLTool()
        defer { tool.remove() }
        try tool.write("content.bin", content)
        try tool.write("leaf.pem", Array(try h.leaf.pem().utf8))
        try tool.write("ca.pem", Array(try h.ca.pem().utf8))
        try tool.write("leaf.key", Array(try h.leafKey.pkcs8PEM().utf8))
        let run = try tool.run(["cms", "-sign", "-binary", "-outform", "DER", "-in", "content.bin", "-signer", "leaf.pem",
                                "-inkey", "leaf.key", "-certfile", "ca.pem", "-out", "signature.der"] + algorithm.cliEngine + ["-md", algorithm.cliDigest] + options)
        #expect(run.status == 0, "openssl cms -sign: \(run.errors)")
        guard run.status == 0 else { return }

        let message = try SignedMessage(bytes: try tool.read("signature.der"))
        let attached = options.contains("-nodetach")
        #expect(message.isDetached == !attached)
        #expect(message.certificates.count == 2)
        let verified = try message.verifySignature(content: attached ? nil : content)
        #expect(verified.signer.derBytes == h.leaf.derBytes)
        #expect(verified.content == content)
        #expect(verified.digestAlgorithm == algorithm.digestName)
        #expect((verified.claimedSigningTime == nil) == options.contains("-noattr"))
        #expect(throws: SignatureError.badSignature) { try message.verifySignature(content: content + [1]) }
    }

    @Test(arguments: SigningAlgorithm.allCases, [true, false])
    func ourSignatureVerifiesWithTheTool(algorithm: SigningAlgorithm, detached: Bool) throws {
        let h = try TestHierarchy.of(algorithm)
        let tool = try OpenSSLTool()
        defer { tool.remove() }
        try tool.write("content.bin", content)
        try tool.write("signature.der", try CMSSignature.sign(content: content, certificate: h.leaf, key: h.leafKey,
                                                               detached: detached, signedAttributes: !detached))
        let run = try tool.run(["cms", "-verify", "-binary", "-inform", "DER", "-in", "signature.der", "-noverify", "-out", "out.bin"]
                               + (detached ? ["-content", "content.bin"] : []) + algorithm.cliEngine)
        #expect(run.status == 0, "openssl cms -verify: \(run.errors)")
        #expect(try tool.read("out.bin") == content)
    }

    /// The raw GOST signature is what `openssl dgst -engine gost -sign` makes (ESIA-PROTOCOL §5.4): each side
    /// verifies the other's, and the byte-reversed (CryptoPro) form verifies with neither.
    @Test(arguments: [SigningAlgorithm.gost2012_256, .gost2012_512, .p256])
    func rawSignatureMatchesTheToolsLayout(algorithm: SigningAlgorithm) throws {
        let h = try TestHierarchy.of(algorithm)
        let tool = try OpenSSLTool()
        defer { tool.remove() }
        let message = Array("client_idscopetimestampstate".utf8)
        try tool.write("message.txt", message)
        try tool.write("leaf.key", Array(try h.leafKey.pkcs8PEM().utf8))
        try tool.write("public.pem", Array(try h.leafKey.publicKeyPEM().utf8))
        let digest = "-" + algorithm.cliDigest
        let engine = algorithm.cliEngine

        let signed = try tool.run(["dgst"] + engine + [digest, "-sign", "leaf.key", "-out", "tool.sig", "message.txt"])
        #expect(signed.status == 0, "openssl dgst -sign: \(signed.errors)")
        let toolSignature = try tool.read("tool.sig")
        #expect(RawSignature.verify(toolSignature, message: message, certificate: h.leaf))

        let ours = try RawSignature.sign(message, key: h.leafKey)
        try tool.write("ours.sig", ours)
        let verified = try tool.run(["dgst"] + engine + [digest, "-verify", "public.pem", "-signature", "ours.sig", "message.txt"])
        #expect(verified.status == 0, "openssl dgst -verify: \(verified.errors)")

        if algorithm != .p256 {
            try tool.write("reversed.sig", Array(ours.reversed()))
            let reversed = try tool.run(["dgst"] + engine + [digest, "-verify", "public.pem", "-signature", "reversed.sig", "message.txt"])
            #expect(reversed.status != 0)
        }
    }
}
