import COpenSSL
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

/// A small P-256 hierarchy made with OpenSSL here: a CA, a leaf it issued, and a CRL that revokes the leaf.
@Suite struct RevocationTests {
    let caKey: PrivateKey
    let ca: Certificate
    let leaf: Certificate

    init() throws {
        caKey = try PrivateKey.generateP256()
        ca = try Self.issue(subject: "Test CA", key: caKey, issuer: nil, issuerKey: caKey, serial: 1,
                            extensions: ["critical,CA:TRUE", "critical,keyCertSign,cRLSign"])
        let leafKey = try PrivateKey.generateP256()
        leaf = try Self.issue(subject: "Test Leaf", key: leafKey, issuer: ca, issuerKey: caKey, serial: 2,
                              extensions: ["critical,CA:FALSE", "critical,digitalSignature,nonRepudiation"])
    }

    @Test func revokedLeafSaysWhenAndWhy() throws {
        let revokedAt = Date(timeIntervalSince1970: (Date().timeIntervalSince1970 - 600).rounded(.down))
        let crl = try makeCRL(revoking: 2, at: revokedAt, reason: 1, nextUpdateIn: 86400)
        #expect(crl.entryCount == 1)
        #expect(crl.revocation(of: leaf)?.reason == "keyCompromise")
        let result = ChainVerifier(trustAnchors: [ca], crls: [crl]).verify(leaf, at: Date())
        #expect(!result.isTrusted)
        #expect(result.failures == [.revoked(at: revokedAt, reason: "keyCompromise")])
    }

    @Test func currentCRLWithoutTheLeafIsTrustedAndStaleCRLIsNot() throws {
        let fresh = try makeCRL(revoking: 99, at: Date(), reason: 4, nextUpdateIn: 86400)
        #expect(ChainVerifier(trustAnchors: [ca], crls: [fresh]).verify(leaf, at: Date()).isTrusted)
        #expect(ChainVerifier(trustAnchors: [ca], crls: [fresh], revocation: .ifAvailable).verify(leaf, at: Date()).isTrusted)

        let stale = ChainVerifier(trustAnchors: [ca], crls: [fresh]).verify(leaf, at: Date().addingTimeInterval(2 * 86400))
        #expect(stale.failures == [.crlStale])
        let staleIfAvailable = ChainVerifier(trustAnchors: [ca], crls: [fresh], revocation: .ifAvailable)
            .verify(leaf, at: Date().addingTimeInterval(2 * 86400))
        #expect(staleIfAvailable.failures == [.crlStale])
    }

    @Test func leafIssuedByANonCAIsNotACA() throws {
        let notCAKey = try PrivateKey.generateP256()
        let notCA = try Self.issue(subject: "Not a CA", key: notCAKey, issuer: nil, issuerKey: notCAKey, serial: 3,
                                   extensions: ["critical,CA:FALSE", "critical,digitalSignature"])
        let below = try Self.issue(subject: "Below", key: try PrivateKey.generateP256(), issuer: notCA, issuerKey: notCAKey,
                                   serial: 4, extensions: ["critical,CA:FALSE", "critical,digitalSignature"])
        let result = ChainVerifier(trustAnchors: [notCA], revocation: .off).verify(below, at: Date())
        #expect(!result.isTrusted)
        #expect(result.failures == [.notACA])
    }

    // The verifier checks each CRL's signature once, when it is made; these are the cases that check must not hide.

    @Test func aCRLInTheCAsNameSignedByAnotherKeyIsABadSignature() throws {
        let forged = try makeCRL(revoking: 99, at: Date(), reason: 4, nextUpdateIn: 86400, signedBy: try PrivateKey.generateP256())
        let result = ChainVerifier(trustAnchors: [ca], crls: [forged]).verify(leaf, at: Date())
        #expect(!result.isTrusted)
        #expect(result.failures.contains(.badSignature))
    }

    @Test func aDeltaCRLIsNotTakenAsTheFullList() throws {
        let delta = try makeCRL(revoking: 99, at: Date(), reason: 4, nextUpdateIn: 86400, delta: true)
        #expect(!ChainVerifier(trustAnchors: [ca], crls: [delta]).verify(leaf, at: Date()).isTrusted)
    }

    @Test func aCAWithoutCRLSignCannotRevoke() throws {
        let signerKey = try PrivateKey.generateP256()
        let signer = try Self.issue(subject: "No CRL CA", key: signerKey, issuer: nil, issuerKey: signerKey, serial: 5,
                                    extensions: ["critical,CA:TRUE", "critical,keyCertSign"])
        let below = try Self.issue(subject: "Leaf 2", key: try PrivateKey.generateP256(), issuer: signer, issuerKey: signerKey,
                                   serial: 6, extensions: ["critical,CA:FALSE", "critical,digitalSignature"])
        let crl = try makeCRL(revoking: 99, at: Date(), reason: 4, nextUpdateIn: 86400, issuer: signer, signedBy: signerKey)
        let result = ChainVerifier(trustAnchors: [signer], crls: [crl]).verify(below, at: Date())
        #expect(!result.isTrusted)
        #expect(result.failures.contains(.wrongKeyUsage))
    }

    @Test func aCRLIsNotYetValidBeforeItsThisUpdate() throws {
        let crl = try makeCRL(revoking: 99, at: Date(), reason: 4, nextUpdateIn: 86400)
        // lastUpdate is an hour ago (the leaf's start too): just before it, both are not yet valid, and both are said.
        let result = ChainVerifier(trustAnchors: [ca], crls: [crl]).verify(leaf, at: Date().addingTimeInterval(-3600 - 120))
        #expect(!result.isTrusted)
        #expect(result.failures.contains(.crlStale) && result.failures.contains(.notYetValid))
    }

    private func makeCRL(revoking serial: Int, at date: Date, reason: Int, nextUpdateIn seconds: Int,
                         issuer: Certificate? = nil, signedBy signingKey: PrivateKey? = nil, delta: Bool = false) throws -> CRL {
        let crl = CRL(taking: X509_CRL_new()!)
        X509_CRL_set_version(crl.pointer, 1)
        X509_CRL_set_issuer_name(crl.pointer, X509_get_subject_name((issuer ?? ca).pointer))
        let now = time_t(Date().timeIntervalSince1970)
        let last = ASN1_TIME_adj(nil, now, 0, -3600), next = ASN1_TIME_adj(nil, now, 0, seconds)
        defer { ASN1_TIME_free(last); ASN1_TIME_free(next) }
        X509_CRL_set1_lastUpdate(crl.pointer, last)
        X509_CRL_set1_nextUpdate(crl.pointer, next)

        let entry = X509_REVOKED_new()!
        let number = ASN1_INTEGER_new()!, when = ASN1_TIME_set(nil, time_t(date.timeIntervalSince1970))!, code = ASN1_ENUMERATED_new()!
        defer { ASN1_INTEGER_free(number); ASN1_TIME_free(when); ASN1_ENUMERATED_free(code) }
        ASN1_INTEGER_set(number, serial)
        ASN1_ENUMERATED_set(code, reason)
        X509_REVOKED_set_serialNumber(entry, number)
        X509_REVOKED_set_revocationDate(entry, when)
        X509_REVOKED_add1_ext_i2d(entry, NID_crl_reason, UnsafeMutableRawPointer(code), 0, 0)
        X509_CRL_add0_revoked(crl.pointer, entry)
        if delta {
            let base = ASN1_INTEGER_new()!
            defer { ASN1_INTEGER_free(base) }
            ASN1_INTEGER_set(base, 1)
            X509_CRL_add1_ext_i2d(crl.pointer, NID_delta_crl, UnsafeMutableRawPointer(base), 1, 0)
        }
        X509_CRL_sort(crl.pointer)
        guard X509_CRL_sign(crl.pointer, (signingKey ?? caKey).pointer, EVP_sha256()) > 0 else { throw OpenSSLError.drain("X509_CRL_sign") }
        return crl
    }

    private static func issue(subject: String, key: PrivateKey, issuer: Certificate?, issuerKey: PrivateKey, serial: Int,
                              extensions: [String]) throws -> Certificate
    {
        let x509 = X509_new()!
        let certificate = Certificate(taking: x509)
        X509_set_version(x509, 2)
        ASN1_INTEGER_set(X509_get_serialNumber(x509), serial)
        X509_gmtime_adj(X509_getm_notBefore(x509), -3600)
        X509_gmtime_adj(X509_getm_notAfter(x509), 30 * 86400)
        let name = X509_NAME_new()!
        defer { X509_NAME_free(name) }
        let bytes = Array(subject.utf8)
        X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8, bytes, Int32(bytes.count), -1, 0)
        X509_set_subject_name(x509, name)
        X509_set_issuer_name(x509, issuer.map { X509_get_subject_name($0.pointer) } ?? name)
        X509_set_pubkey(x509, key.pointer)
        for (nid, value) in zip([NID_basic_constraints, NID_key_usage], extensions) {
            var context = X509V3_CTX()
            X509V3_set_ctx(&context, issuer?.pointer ?? x509, x509, nil, nil, 0)
            let ext = X509V3_EXT_conf_nid(nil, &context, nid, value)!
            X509_add_ext(x509, ext, -1)
            X509_EXTENSION_free(ext)
        }
        guard X509_sign(x509, issuerKey.pointer, EVP_sha256()) > 0 else { throw OpenSSLError.drain("X509_sign") }
        return certificate
    }
}
