// libFuzzer target for uploaded PKI input: CMS signatures, certificates and CRLs. Built with
// `-sanitize=fuzzer,address -parse-as-library -DFUZZING` by .ci/fuzz.sh; in a plain build it is an ordinary executable
// that replays the files (or directories of files) given as arguments, or a few signatures it makes itself.
//
// Every input goes to SignedMessage(bytes:) (then its certificates and verifySignature, with the embedded content,
// with the seeds' content, and with the embedded certificates as extra ones), to Certificate(bytes:)
// (then its families, names and a raw signature check) and to CRL(der:). Only the typed errors may come out;
// AddressSanitizer and LeakSanitizer catch memory errors and OpenSSL objects left unfreed.

import Crypto
import PKI

#if !FUZZING
import Foundation
#endif

/// The content the seed signatures of .ci/fuzz.sh sign, so mutated detached signatures reach the verification.
let seedContent = Array("client_id=portal&state=1".utf8)

func check(_ condition: Bool, _ message: @autoclosure () -> String) {
    if !condition { fatalError("fuzz invariant violated: \(message())") }
}

func fuzzSignedMessage(_ input: [UInt8]) {
    let message: SignedMessage
    do {
        message = try SignedMessage(bytes: input)
    } catch is PKIInputError {
        return
    } catch {
        check(false, "SignedMessage(bytes:) threw \(type(of: error)): \(error)")
        return
    }
    check(message.isDetached == (message.embeddedContent == nil), "detached but with content, or the reverse")
    let certificates = message.certificates
    for certificate in certificates {
        _ = certificate.keyFamily
        _ = certificate.signatureFamily
        _ = certificate.subjectDescription
    }
    _ = message.signerCount
    for (content, extra) in [(nil, []), (seedContent, []), (message.embeddedContent, certificates)] {
        do {
            let verified = try message.verifySignature(content: content, extraCertificates: extra)
            check(message.signerCount == 1, "verified with \(message.signerCount) signers")
            check(verified.content == content ?? message.embeddedContent, "verified content is not the given or embedded one")
            check(certificates.contains { $0.derBytes == verified.signer.derBytes }, "signer not among the embedded certificates")
        } catch is SignatureError {
        } catch {
            check(false, "verifySignature threw \(type(of: error)): \(error)")
        }
    }
}

func fuzzCertificate(_ input: [UInt8]) {
    let certificate: Certificate
    do {
        certificate = try Certificate(bytes: input)
    } catch is PKIInputError {
        return
    } catch {
        check(false, "Certificate(bytes:) threw \(type(of: error)): \(error)")
        return
    }
    _ = certificate.keyFamily
    _ = certificate.signatureFamily
    _ = certificate.subjectDescription
    _ = certificate.issuerDescription
    _ = certificate.serialNumberHex
    _ = SubjectIdentifiers.read(certificate)
    check((try? Certificate(der: certificate.derBytes)) != nil, "a parsed certificate does not parse again from its DER")
    _ = RawSignature.verify(Array(input.suffix(64)), message: Array(input.prefix(64)), certificate: certificate)
}

func fuzzCRL(_ input: [UInt8]) {
    guard let crl = try? CRL(der: input) else { return }
    _ = crl.issuerDescription
    _ = crl.thisUpdate
    _ = crl.nextUpdate
    _ = crl.entryCount
}

func fuzz(_ input: [UInt8]) {
    fuzzSignedMessage(input)
    fuzzCertificate(input)
    fuzzCRL(input)
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzerTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let input = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    fuzz(input)
    return 0
}

#if !FUZZING
/// Plain mode: replays files and directories of files given as arguments; without arguments, signatures and a
/// certificate made here, in DER and as text, whole and cut short.
func replayMain() {
    var count = 0
    let files = FileManager.default
    for path in CommandLine.arguments.dropFirst() {
        var isDirectory: ObjCBool = false
        guard files.fileExists(atPath: path, isDirectory: &isDirectory) else {
            print("PKIInputFuzz: no such file: \(path)")
            exit(2)
        }
        let paths = isDirectory.boolValue
            ? ((try? files.contentsOfDirectory(atPath: path)) ?? []).sorted().map { path + "/" + $0 }
            : [path]
        for file in paths {
            guard let data = files.contents(atPath: file) else { continue }
            fuzz([UInt8](data))
            count += 1
        }
    }
    if CommandLine.arguments.count == 1 {
        do {
            let tls = try SelfSignedCertificate.makeTLS(hostnames: ["fuzz.test"], ipAddresses: [], validDays: 1)
            let certificate = try Certificate(pem: tls.certificatePEM)
            let key = try PrivateKey(pem: tls.privateKeyPEM)
            var samples = [certificate.derBytes, Array(tls.certificatePEM.utf8)]
            for (detached, attributes) in [(true, true), (false, false)] {
                let der = try CMSSignature.sign(content: seedContent, certificate: certificate, key: key,
                                                detached: detached, signedAttributes: attributes)
                samples += [der, Array(der.prefix(der.count / 2)), Array(Data(der).base64EncodedString().utf8)]
            }
            for sample in samples {
                fuzz(sample)
                count += 1
            }
        } catch {
            print("PKIInputFuzz: could not make the samples: \(error)")
            exit(1)
        }
    }
    print("PKIInputFuzz: replayed \(count) inputs without a finding")
}

// The entry point, written as a declaration rather than a statement: the fuzzing build compiles this file with
// -parse-as-library, where even inactive #if blocks may not hold top-level statements.
let replayed: Void = replayMain()
#endif
