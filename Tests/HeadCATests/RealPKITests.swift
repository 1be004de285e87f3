import Crypto
import Foundation
@testable import HeadCA
import PKI
import Testing

/// ../shared/realpki beside the repository (present in CI, absent in a user's clone); never copied into the project.
private let realPKI = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("../shared/realpki").standardizedFileURL.path

private func certificate(_ path: String) throws -> Certificate {
    try GOSTEngine.load()
    return try Certificate(pem: try String(contentsOfFile: realPKI + "/" + path, encoding: .utf8))
}

private func bytes(_ path: String) throws -> [UInt8] {
    [UInt8](try Data(contentsOf: URL(fileURLWithPath: realPKI + "/" + path)))
}

/// The 2017 GOST R 34.10-2001 hierarchy: the head CA root of 2012, the Federal Treasury and SKB Kontur CAs it
/// accredited, and their CRLs of September 2017.
@Suite(.enabled(if: FileManager.default.fileExists(atPath: realPKI), "../shared/realpki is absent: skipped"))
struct RealPKITrustStoreTests {
    let september2017 = HeadCA.parseDate("2017-09-25")!

    @Test func the2017ChainWithItsCRLs() throws {
        let root = try certificate("roots/guc2012_golovnoy_uc_root_gost2001.pem")
        let treasury = try certificate("ca/ucfk_2017_federal_treasury_gost2001_by_guc2012.pem")
        let kontur = try certificate("ca/skb_kontur_2017_gost2001_by_guc2012.pem")
        let harness = try Harness(roots: [root])
        harness.clock.set(september2017)

        let accredited = try harness.accreditations.accredit(treasury, from: HeadCA.parseDate("2017-01-01"))
        #expect(accredited.thumbprint == treasury.sha1ThumbprintHex)
        try harness.accreditations.accredit(kontur, from: HeadCA.parseDate("2017-01-01"))
        // A CA of the 2018 root is not issued by the configured 2012 root.
        #expect(headCAError { try harness.accreditations.accredit(try certificate("ca/ucfk_2021_federal_treasury_by_guc2018.pem")) }
            == .notIssuedByHeadRoot)

        // Each real CRL verifies with its issuer's GOST 2001 key; the root's under the root, the CAs' under the CAs.
        for file in ["crl/guc2012_root_gost2001_2017.crl", "crl/ucfk_2017_federal_treasury_gost2001_2017.crl",
                     "crl/skb_kontur_2017_gost2001_2017.crl"] {
            let outcome = try harness.crls.importCRL(try bytes(file), source: file)
            guard case .accepted = outcome else {
                Issue.record("\(file): \(outcome)")
                continue
            }
        }
        // The Treasury's CRL is not the Kontur CA's: moving its signature to another issuer is refused.
        #expect(try CRL(der: try bytes("crl/ucfk_2017_federal_treasury_gost2001_2017.crl")).verifySignature(issuer: kontur) == false)

        // The accredited CAs verify against the root with the root's CRL in September 2017, and not once it is stale.
        let snapshot = harness.store.snapshot
        #expect(snapshot.crls.count == 3)
        let inTime = snapshot.verifier(.require).verify(treasury, at: september2017, requireSigningKeyUsage: false)
        #expect(inTime.isTrusted, "\(inTime.failures)")
        let later = snapshot.verifier(.require).verify(treasury, at: HeadCA.parseDate("2018-01-01")!, requireSigningKeyUsage: false)
        #expect(later.failures.contains(.crlStale))
    }
}
