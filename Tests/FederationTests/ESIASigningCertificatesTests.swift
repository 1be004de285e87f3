import Crypto
@testable import Federation
import Foundation
import PKI
import Support
import Testing

@Suite struct ESIASigningCertificatesTests {
    @Test func everyRS256AndGOSTKeyHasAStableCertificateOverItsPublicKey() throws {
        try withHarness { h in
            try h.database.migrate(ESIAMigrations.all)
            let keys = h.store(settings(publishLead: 600))
            try keys.ensureKeys(at: t0)
            let certificates = ESIASigningCertificates(database: h.database, keys: keys)
            let published = try certificates.all(at: t0)
            #expect(published.map(\.algorithm) == [.rs256, .gost3410_2012_256])
            #expect(published.allSatisfy { $0.state == .current })
            for entry in published {
                // A token signed by the current key verifies with the certificate's key.
                let signer = try keys.currentSigner(algorithm: entry.algorithm, at: t0)
                #expect(signer.keyID == entry.keyID)
                let token = try ESIATokenClaims.sign(["sub": 1], subtype: "access", with: signer)
                let parsed = try JWS.parse(token)
                #expect(RawSignature.verify(parsed.signature, message: parsed.signingInput, certificate: entry.certificate))
                #expect(entry.certificate.subjectDescription == entry.certificate.issuerDescription)
                #expect(entry.certificate.notBefore <= t0 && entry.certificate.notAfter > t0.addingTimeInterval(5 * 365 * 86_400))
            }
            // Another node (a fresh object over the same table) serves the same bytes.
            let again = try ESIASigningCertificates(database: h.database, keys: h.store()).all(at: t0)
            #expect(again.map(\.certificate.derBytes) == published.map(\.certificate.derBytes))

            // A rotation publishes the new key's certificate before it signs; the old one stays until retired.
            let rotated = try keys.rotate(algorithm: .gost3410_2012_256, at: t0.addingTimeInterval(10))
            let during = try certificates.all(at: t0.addingTimeInterval(20))
            #expect(during.map(\.keyID).contains(rotated.keyID))
            #expect(try certificates.certificate(keyID: rotated.keyID, at: t0.addingTimeInterval(20))?.state == .published)
            let after = try certificates.all(at: t0.addingTimeInterval(10 + 600 + 3_600 + 60 + 1))
            #expect(!after.map(\.keyID).contains(published[1].keyID))
            #expect(try certificates.certificate(keyID: "nonexistent", at: t0) == nil)
        }
    }
}
