import Crypto
import Foundation
import PKI
import Testing

/// Chain verification on a certificate made here (a self-signed P-256 TLS certificate as its own trust anchor);
/// the real GOST chains are in RealPKITests.
@Suite struct ChainVerifierTests {
    let certificate: Certificate

    init() throws {
        certificate = try Certificate(pem: try SelfSignedCertificate.makeTLS(hostnames: ["localhost"], ipAddresses: [], validDays: 30).certificatePEM)
    }

    @Test func gostEngineLoadsAndLoadingAgainIsHarmless() throws {
        try GOSTEngine.load()
        try GOSTEngine.load()
    }

    @Test func trustedAnchorVerifiesWithinItsValidity() {
        let result = ChainVerifier(trustAnchors: [certificate], revocation: .off).verify(certificate, at: Date())
        #expect(result.isTrusted)
        #expect(result.failures == [])
        #expect(result.chain.map(\.derBytes) == [certificate.derBytes])
    }

    @Test func validityPeriodIsCheckedAtTheGivenTime() {
        let verifier = ChainVerifier(trustAnchors: [certificate], revocation: .off)
        #expect(verifier.verify(certificate, at: Date().addingTimeInterval(31 * 86400)).failures == [.expired])
        #expect(verifier.verify(certificate, at: Date().addingTimeInterval(-3600)).failures == [.notYetValid])
    }

    @Test func unknownCertificateIsUnknownIssuer() throws {
        let other = try Certificate(pem: try SelfSignedCertificate.makeTLS(hostnames: ["other"], ipAddresses: [], validDays: 30).certificatePEM)
        let result = ChainVerifier(trustAnchors: [other], revocation: .off).verify(certificate, at: Date())
        #expect(!result.isTrusted)
        #expect(result.failures == [.unknownIssuer])
    }

    @Test func revocationPolicies() {
        // The default policy is `require`: without a CRL nothing is trusted.
        let required = ChainVerifier(trustAnchors: [certificate]).verify(certificate, at: Date())
        #expect(!required.isTrusted)
        #expect(required.failures == [.crlMissing])
        #expect(ChainVerifier(trustAnchors: [certificate], revocation: .ifAvailable).verify(certificate, at: Date()).isTrusted)
    }

    @Test func malformedCRLIsAnError() {
        #expect(throws: OpenSSLError.self) { try CRL(der: [0x30, 0x03, 0x02, 0x01]) }
        #expect(throws: OpenSSLError.self) { try CRL(pem: "not a CRL") }
    }
}
