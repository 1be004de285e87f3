import Crypto
import Foundation
import PKI
import Testing

/// ../shared/realpki beside the repository (present in CI, absent in a user's clone).
private let realPKI = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("../shared/realpki").standardizedFileURL.path

private func certificate(_ relativePath: String) throws -> Certificate {
    try GOSTEngine.load()  // before parsing, so GOST public keys decode
    let pem = try String(contentsOfFile: realPKI + "/" + relativePath, encoding: .utf8)
    return try Certificate(pem: pem)
}

private func crl(_ name: String) throws -> CRL {
    try GOSTEngine.load()
    return try CRL.load(file: realPKI + "/crl/" + name)
}

/// Midnight UTC of a "yyyy-mm-dd" day.
private func day(_ text: String) -> Date {
    ISO8601DateFormatter().date(from: text + "T00:00:00Z")!
}

private let root2012 = "roots/guc2012_golovnoy_uc_root_gost2001.pem"
private let root2018 = "roots/guc2018_minkomsvyaz_root_selfsigned.pem"
private let root2021 = "roots/guc2021_minkomsvyaz_root_selfsigned.pem"
private let root2022 = "roots/guc2022_mincifry_root_selfsigned.pem"
private let cross2022 = "roots/guc2022_mincifry_crosscert_by_guc2021.pem"
private let treasury2017 = "ca/ucfk_2017_federal_treasury_gost2001_by_guc2012.pem"
private let kontur2017 = "ca/skb_kontur_2017_gost2001_by_guc2012.pem"
private let treasury2021 = "ca/ucfk_2021_federal_treasury_by_guc2018.pem"
private let treasury2024 = "ca/ucfk_2024_federal_treasury_by_guc2022.pem"
private let rostelecom = "ca/rtk_gost2012_rostelecom_by_guc2018.pem"
private let esia2020 = "leaf/esia_gost_prod_2020_minsvyaz_by_rtk_gost2012.pem"
private let esia2021 = "leaf/esia_gost_prod_2021_mincifry_by_ucfk2021.pem"
private let esia2025 = "leaf/esia_gost_prod_2025_mincifry_by_ucfk2024.pem"

@Suite(.enabled(if: FileManager.default.fileExists(atPath: realPKI), "../shared/realpki is absent: skipped"))
struct RealPKITests {
    private func verify(root: String, ca: String, leaf: String, at time: Date, crls: [CRL] = [],
                        revocation: RevocationPolicy = .off, requireSigningKeyUsage: Bool = true) throws -> VerificationResult
    {
        let verifier = ChainVerifier(trustAnchors: [try certificate(root)], intermediates: [try certificate(ca)],
                                     crls: crls, revocation: revocation)
        return verifier.verify(try certificate(leaf), at: time, requireSigningKeyUsage: requireSigningKeyUsage)
    }

    @Test(arguments: [
        (root2022, treasury2024, esia2025, "2026-01-15"),
        (root2018, treasury2021, esia2021, "2022-06-01"),
        (root2018, rostelecom, esia2020, "2020-06-01"),
    ])
    func esiaChainsAreTrustedAtTheirDates(root: String, ca: String, leaf: String, date: String) throws {
        let result = try verify(root: root, ca: ca, leaf: leaf, at: day(date))
        #expect(result.isTrusted)
        #expect(result.failures == [])
        #expect(result.chain.map(\.derBytes) == [try certificate(leaf), try certificate(ca), try certificate(root)].map(\.derBytes))

        // No CRLs are at hand for these chains: fail closed under `require`, accept under `ifAvailable`.
        let required = try verify(root: root, ca: ca, leaf: leaf, at: day(date), revocation: .require)
        #expect(!required.isTrusted)
        #expect(required.failures == [.crlMissing])
        #expect(try verify(root: root, ca: ca, leaf: leaf, at: day(date), revocation: .ifAvailable).isTrusted)
    }

    @Test func expiredAndNotYetValidLeaf() throws {
        let expired = try verify(root: root2022, ca: treasury2024, leaf: esia2025, at: day("2026-07-01"))
        #expect(!expired.isTrusted)
        #expect(expired.failures == [.expired])

        let early = try verify(root: root2022, ca: treasury2024, leaf: esia2025, at: day("2025-03-01"))
        #expect(!early.isTrusted)
        #expect(early.failures == [.notYetValid])

        // Reasons add up: an expired leaf without a CRL says both.
        let both = try verify(root: root2022, ca: treasury2024, leaf: esia2025, at: day("2026-07-01"), revocation: .require)
        #expect(Set(both.failures.map { "\($0)" }) == ["crlMissing", "expired"])
    }

    @Test func wrongRootIsUnknownIssuer() throws {
        let result = try verify(root: root2018, ca: treasury2024, leaf: esia2025, at: day("2026-01-15"))
        #expect(!result.isTrusted)
        #expect(result.failures == [.unknownIssuer])
    }

    @Test func leafThroughTheCrossCertificateIsUnknownIssuer() throws {
        // README: the Treasury CA's authority key identifier names the self-signed 2022 root, not the cross-certificate.
        let verifier = ChainVerifier(trustAnchors: [try certificate(root2021)],
                                     intermediates: [try certificate(cross2022), try certificate(treasury2024)], revocation: .off)
        #expect(verifier.verify(try certificate(esia2025), at: day("2026-01-15")).failures == [.unknownIssuer])
    }

    @Test func flippedSignatureBitIsBadSignature() throws {
        var der = try certificate(esia2025).derBytes
        der[der.count - 3] ^= 0x01  // inside the signature value, the last field of the certificate
        let tampered = try Certificate(der: der)
        let verifier = ChainVerifier(trustAnchors: [try certificate(root2022)], intermediates: [try certificate(treasury2024)],
                                     revocation: .off)
        let result = verifier.verify(tampered, at: day("2026-01-15"))
        #expect(!result.isTrusted)
        #expect(result.failures == [.badSignature])
    }

    @Test func crossCertificateChainsAndLacksSigningKeyUsage() throws {
        // The cross-certificate has keyUsage certificate and CRL signing only: a CA, not a signing certificate.
        let verifier = ChainVerifier(trustAnchors: [try certificate(root2021)], revocation: .off)
        let cross = try certificate(cross2022)
        #expect(verifier.verify(cross, at: day("2026-01-15"), requireSigningKeyUsage: false).isTrusted)
        let strict = verifier.verify(cross, at: day("2026-01-15"))
        #expect(!strict.isTrusted)
        #expect(strict.failures == [.wrongKeyUsage])
    }

    @Test(arguments: [treasury2017, kontur2017])
    func gost2001ChainWithTheRootCRL(ca: String) throws {
        let rootCRL = try crl("guc2012_root_gost2001_2017.crl")
        let trusted = try verify(root: root2012, ca: ca, leaf: ca, at: day("2017-09-25"), crls: [rootCRL], revocation: .require)
        #expect(trusted.isTrusted)
        #expect(trusted.failures == [])
        #expect(trusted.chain.count == 2)

        // The root's CRL was due on 2017-10-21: by 2018 it is stale, and `require` fails closed.
        let stale = try verify(root: root2012, ca: ca, leaf: ca, at: day("2018-01-01"), crls: [rootCRL], revocation: .require)
        #expect(!stale.isTrusted)
        #expect(stale.failures == [.crlStale])

        let noCRL = try verify(root: root2012, ca: ca, leaf: ca, at: day("2017-09-25"), revocation: .require)
        #expect(noCRL.failures == [.crlMissing])
    }

    @Test(arguments: [treasury2017, kontur2017])
    func gost2001IsNotAcceptedFrom2019MoscowTime(ca: String) throws {
        let before = try verify(root: root2012, ca: ca, leaf: ca, at: day("2017-09-25"))
        #expect(before.isTrusted)
        #expect(before.failures == [])

        for time in [day("2019-02-01"), Date(timeIntervalSince1970: 1_546_290_000)] {  // the second: 2019-01-01T00:00+03:00
            let after = try verify(root: root2012, ca: ca, leaf: ca, at: time, revocation: .off)
            #expect(!after.isTrusted)
            #expect(after.failures.count == 1)
            guard case .algorithmNotAllowed(let reason)? = after.failures.first else {
                Issue.record("expected algorithmNotAllowed, got \(after.failures)")
                continue
            }
            #expect(reason.contains("34.10-2001"))
            #expect(after.chain.count == 2)  // the chain is still reported
        }
        // One second before midnight in Moscow the old rules apply.
        #expect(try verify(root: root2012, ca: ca, leaf: ca, at: Date(timeIntervalSince1970: 1_546_289_999)).isTrusted)

        // With the root's CRL (stale by then) both reasons are given.
        let withCRL = try verify(root: root2012, ca: ca, leaf: ca, at: day("2019-02-01"),
                                 crls: [try crl("guc2012_root_gost2001_2017.crl")], revocation: .require)
        #expect(withCRL.failures.count == 2)
        #expect(withCRL.failures.first == .crlStale)
    }

    @Test func certificateAlgorithmFamilies() throws {
        let root = try certificate(root2012)
        #expect(root.keyFamily == .gost2001)
        #expect(root.signatureFamily == .gost2001)
        let esia = try certificate(esia2025)
        #expect(esia.keyFamily == .gost2012_256)
        #expect(esia.signatureFamily == .gost2012_256)
        #expect(try certificate("other_tls_not_qualified/russian_trusted_root_ca_tls_rsa.pem").keyFamily == .rsa)
        // The uploaded-file reader takes the PEM files as they are.
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: realPKI + "/" + esia2025)))
        #expect(try Certificate(bytes: bytes).derBytes == esia.derBytes)
    }

    @Test func tlsRootsAreNotAHeadCA() throws {
        let tlsRoot = try certificate("other_tls_not_qualified/russian_trusted_root_ca_tls_rsa.pem")
        let tlsSub = try certificate("other_tls_not_qualified/russian_trusted_sub_ca_tls_rsa.pem")
        let verifier = ChainVerifier(trustAnchors: [tlsRoot], intermediates: [tlsSub, try certificate(treasury2024)], revocation: .off)
        let result = verifier.verify(try certificate(esia2025), at: day("2026-01-15"))
        #expect(!result.isTrusted)
        #expect(result.failures == [.unknownIssuer])
    }

    @Test func crlWrapperReadsTheRealCRLs() throws {
        let treasury = try crl("ucfk_2017_federal_treasury_gost2001_2017.crl")
        #expect(treasury.entryCount == 1930)
        #expect(treasury.issuerDescription == (try certificate(treasury2017)).subjectDescription)
        #expect(treasury.issuerDescription.contains("CN=Федеральное казначейство"))
        #expect(treasury.thisUpdate == ISO8601DateFormatter().date(from: "2017-09-24T09:00:21Z"))
        #expect(treasury.nextUpdate == ISO8601DateFormatter().date(from: "2017-10-01T20:59:00Z"))

        #expect(try crl("guc2012_root_gost2001_2017.crl").entryCount == 16)
        let kontur = try crl("skb_kontur_2017_gost2001_2017.crl")
        #expect(kontur.entryCount == 7)
        #expect(kontur.issuerDescription == (try certificate(kontur2017)).subjectDescription)

        // PEM and DER give the same CRL; none of the CAs is on the root's list.
        let base64 = Data(treasury.derBytes).base64EncodedString(options: [.lineLength64Characters, .endLineWithLineFeed])
        let pem = try CRL(pem: "-----BEGIN X509 CRL-----\n" + base64 + "\n-----END X509 CRL-----\n")
        #expect(pem.derBytes == treasury.derBytes)
        #expect(try crl("guc2012_root_gost2001_2017.crl").revocation(of: try certificate(treasury2017)) == nil)
    }
}
