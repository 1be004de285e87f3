import COpenSSL
import Crypto
import Foundation
import PKI
import Testing

/// Whole seconds, since X.509 times have no fractions.
private let start = Date(timeIntervalSince1970: 1_750_000_000)
private let day: TimeInterval = 86400

/// Head CA root (P-256) → accredited CA (RSA-2048) → citizen leaf (P-256), with their keys.
private struct Hierarchy {
    let rootKey: PrivateKey, root: Certificate
    let caKey: PrivateKey, ca: Certificate
    let citizenKey: PrivateKey, citizen: Certificate
    let citizenSubject: SubjectName

    init() throws {
        rootKey = try PrivateKey.generateP256()
        root = try CertificateIssuer.makeRoot(
            subject: SubjectName(commonName: "Минцифры России (тест)", organization: "Минцифры России",
                                 ogrn: "1047702026701", innle: "7710474375"),
            key: rootKey, validFrom: start, validUntil: start + 3650 * day)
        caKey = try PrivateKey.generateRSA(bits: 2048)
        ca = try CertificateIssuer.issue(
            subject: SubjectName(commonName: "УЦ Тест", organization: "ООО «УЦ Тест»", ogrn: "1027700132195", innle: "7707083893"),
            subjectKey: caKey, profile: .accreditedCA, issuer: root, issuerKey: rootKey,
            validFrom: start, validUntil: start + 1825 * day, crlURL: "http://crl.example.test/root.crl")
        citizenKey = try PrivateKey.generateP256()
        citizenSubject = SubjectName(commonName: "Иванов Иван Иванович", surname: "Иванов", givenName: "Иван Иванович",
                                     snils: "11223344595", inn: "500100732259")
        citizen = try CertificateIssuer.issue(
            subject: citizenSubject, subjectKey: citizenKey, profile: .citizen, issuer: ca, issuerKey: caKey,
            validFrom: start, validUntil: start + 365 * day, crlURL: "http://crl.example.test/ca.crl")
    }
}

@Test func hierarchyCertificatesVerifyAgainstTheirIssuers() throws {
    let h = try Hierarchy()
    #expect(X509_verify(h.root.pointer, h.rootKey.pointer) == 1)
    #expect(X509_verify(h.ca.pointer, h.rootKey.pointer) == 1)
    #expect(X509_verify(h.citizen.pointer, h.caKey.pointer) == 1)
    #expect(X509_verify(h.citizen.pointer, h.rootKey.pointer) != 1)
    OpenSSLError.clearQueue()

    #expect(X509_get_version(h.citizen.pointer) == 2)
    #expect(h.citizen.serialNumberHex.count == 32)
    #expect(h.root.serialNumberHex != h.ca.serialNumberHex)
    #expect(h.citizen.notBefore == start)
    #expect(h.citizen.notAfter == start + 365 * day)
    #expect(h.citizen.issuerDescription == h.ca.subjectDescription)
    #expect(h.root.issuerDescription == h.root.subjectDescription)

    // The whole chain through OpenSSL's own verifier, at a time inside every validity period.
    #expect(verifyChain(h.citizen, untrusted: [h.ca], root: h.root, at: start + day) == X509_V_OK)
    #expect(verifyChain(h.citizen, untrusted: [h.ca], root: h.root, at: start + 400 * day) == X509_V_ERR_CERT_HAS_EXPIRED)
}

@Test func profilesCarryConstraintsUsagesAndKeyIdentifiers() throws {
    let h = try Hierarchy()
    // Root: CA without a path length limit.
    #expect(X509_check_ca(h.root.pointer) == 1)
    #expect(X509_get_pathlen(h.root.pointer) == -1)
    #expect(X509_get_key_usage(h.root.pointer) == UInt32(KU_KEY_CERT_SIGN | KU_CRL_SIGN))
    #expect(isCritical(h.root, NID_basic_constraints) == true)
    #expect(isCritical(h.root, NID_key_usage) == true)
    #expect(isCritical(h.root, NID_ext_key_usage) == nil)
    #expect(keyIdentifier(X509_get0_authority_key_id(h.root.pointer)) == keyIdentifier(X509_get0_subject_key_id(h.root.pointer)))

    // Accredited CA: pathlen 0.
    #expect(X509_check_ca(h.ca.pointer) == 1)
    #expect(X509_get_pathlen(h.ca.pointer) == 0)
    #expect(X509_get_key_usage(h.ca.pointer) == UInt32(KU_KEY_CERT_SIGN | KU_CRL_SIGN))
    #expect(isCritical(h.ca, NID_crl_distribution_points) == false)

    // Citizen: end entity, signature usages, clientAuth.
    #expect(X509_check_ca(h.citizen.pointer) == 0)
    #expect(isCritical(h.citizen, NID_basic_constraints) == true)
    #expect(X509_get_key_usage(h.citizen.pointer) == UInt32(KU_DIGITAL_SIGNATURE | KU_NON_REPUDIATION))
    #expect(X509_get_extended_key_usage(h.citizen.pointer) & UInt32(XKU_SSL_CLIENT) != 0)

    // Each authorityKeyIdentifier is the issuer's subjectKeyIdentifier.
    let rootSKI = keyIdentifier(X509_get0_subject_key_id(h.root.pointer))
    let caSKI = keyIdentifier(X509_get0_subject_key_id(h.ca.pointer))
    #expect(rootSKI != nil && caSKI != nil && rootSKI != caSKI)
    #expect(keyIdentifier(X509_get0_authority_key_id(h.ca.pointer)) == rootSKI)
    #expect(keyIdentifier(X509_get0_authority_key_id(h.citizen.pointer)) == caSKI)

    // Portal with an RSA key gets keyEncipherment; staff gets the citizen usages.
    let portalKey = try PrivateKey.generateRSA(bits: 2048)
    let portal = try CertificateIssuer.issue(subject: SubjectName(commonName: "portal.example.test", organization: "Портал"),
                                             subjectKey: portalKey, profile: .portal, issuer: h.ca, issuerKey: h.caKey,
                                             validFrom: start, validUntil: start + day)
    #expect(X509_get_key_usage(portal.pointer) == UInt32(KU_DIGITAL_SIGNATURE | KU_KEY_ENCIPHERMENT))
    #expect(isCritical(portal, NID_crl_distribution_points) == nil)
    let staff = try CertificateIssuer.issue(subject: SubjectName(commonName: "Петрова Анна", snils: "08765430300"),
                                            subjectKey: try PrivateKey.generateP256(), profile: .staff, issuer: h.ca,
                                            issuerKey: h.caKey, validFrom: start, validUntil: start + day)
    #expect(X509_get_key_usage(staff.pointer) == UInt32(KU_DIGITAL_SIGNATURE | KU_NON_REPUDIATION))

    // An explicit serial is used as given.
    let numbered = try CertificateIssuer.issue(subject: SubjectName(commonName: "n"), subjectKey: portalKey, profile: .portal,
                                               issuer: h.ca, issuerKey: h.caKey, validFrom: start, validUntil: start + day,
                                               serial: [0x01, 0x02, 0x03])
    #expect(numbered.serialNumberHex == "010203")
}

@Test func subjectIdentifiersReadBackExactly() throws {
    let h = try Hierarchy()
    let read = SubjectIdentifiers.read(h.citizen)
    #expect(read == h.citizenSubject)
    #expect(read.snils == "11223344595")
    #expect(read.inn == "500100732259")
    #expect(read.surname == "Иванов")
    #expect(read.givenName == "Иван Иванович")
    #expect(read.commonName == "Иванов Иван Иванович")
    #expect(read.country == "RU")

    let rootRead = SubjectIdentifiers.read(h.root)
    #expect(rootRead.ogrn == "1047702026701")
    #expect(rootRead.innle == "7710474375")
    #expect(rootRead.organization == "Минцифры России")
    #expect(rootRead.snils == nil)

    // String types as in real qualified certificates.
    #expect(attributeType(h.citizen, "1.2.643.100.3") == V_ASN1_NUMERICSTRING)
    #expect(attributeType(h.citizen, "1.2.643.3.131.1.1") == V_ASN1_NUMERICSTRING)
    #expect(attributeType(h.root, "1.2.643.100.4") == V_ASN1_NUMERICSTRING)
    #expect(attributeType(h.citizen, "2.5.4.4") == V_ASN1_UTF8STRING)
    #expect(attributeType(h.citizen, "2.5.4.3") == V_ASN1_UTF8STRING)
    #expect(attributeType(h.citizen, "2.5.4.6") == V_ASN1_PRINTABLESTRING)

    // A certificate from elsewhere with none of them.
    let tls = try Certificate(pem: SelfSignedCertificate.makeTLS(hostnames: ["a.test"], ipAddresses: [], validDays: 1).certificatePEM)
    #expect(SubjectIdentifiers.read(tls) == SubjectName(commonName: "a.test", country: nil))
}

@Test func issuerRefusesBadInput() throws {
    let h = try Hierarchy()
    let key = try PrivateKey.generateP256()
    func issue(_ subject: SubjectName, issuer: Certificate? = nil, issuerKey: PrivateKey? = nil, crlURL: String? = nil) throws {
        _ = try CertificateIssuer.issue(subject: subject, subjectKey: key, profile: .citizen, issuer: issuer ?? h.ca,
                                        issuerKey: issuerKey ?? h.caKey, validFrom: start, validUntil: start + day, crlURL: crlURL)
    }
    #expect(throws: CertificateIssuer.InvalidInput.self) { try issue(SubjectName(commonName: "x", snils: "1122334459")) }
    #expect(throws: CertificateIssuer.InvalidInput.self) { try issue(SubjectName(commonName: "x", inn: "50010073225a")) }
    #expect(throws: CertificateIssuer.InvalidInput.self) { try issue(SubjectName(commonName: "")) }
    #expect(throws: CertificateIssuer.InvalidInput.self) { try issue(SubjectName(commonName: "x", country: "Russia")) }
    #expect(throws: CertificateIssuer.InvalidInput.self) { try issue(SubjectName(commonName: "x"), issuerKey: h.rootKey) }
    #expect(throws: CertificateIssuer.InvalidInput.self) { try issue(SubjectName(commonName: "x"), issuer: h.citizen, issuerKey: h.citizenKey) }
    #expect(throws: CertificateIssuer.InvalidInput.self) { try issue(SubjectName(commonName: "x"), crlURL: "http://a.test/x.crl,URI:http://b") }
    #expect(throws: CertificateIssuer.InvalidInput.self) { try issue(SubjectName(commonName: "x"), crlURL: "ldap://a.test/x") }
    #expect(throws: CertificateIssuer.InvalidInput.self) {
        _ = try CertificateIssuer.makeRoot(subject: SubjectName(commonName: "r"), key: key, validFrom: start, validUntil: start)
    }
    #expect(throws: CertificateIssuer.InvalidInput.self) {
        _ = try CertificateIssuer.makeRoot(subject: SubjectName(commonName: "r"), key: key, validFrom: start, validUntil: start + day,
                                           serial: [0, 0])
    }
}

@Test func crlWithTwoEntriesParsesBackAndVerifies() throws {
    let h = try Hierarchy()
    let other = try CertificateIssuer.issue(subject: SubjectName(commonName: "Другой"), subjectKey: try PrivateKey.generateP256(),
                                            profile: .citizen, issuer: h.ca, issuerKey: h.caKey,
                                            validFrom: start, validUntil: start + 365 * day)
    let der = try CRLBuilder.make(
        issuer: h.ca, issuerKey: h.caKey,
        entries: [CRLBuilder.Entry(serialHex: h.citizen.serialNumberHex, revokedAt: start + 10 * day, reason: 1),
                  CRLBuilder.Entry(serialHex: other.serialNumberHex.uppercased(), revokedAt: start + 11 * day)],
        thisUpdate: start + 12 * day, nextUpdate: start + 19 * day, number: 42)

    let crl = try parseCRL(der)
    defer { X509_CRL_free(crl) }
    #expect(X509_CRL_get_version(crl) == 1)
    #expect(shim_sk_X509_REVOKED_num(X509_CRL_get_REVOKED(crl)) == 2)
    #expect(X509_NAME_cmp(X509_CRL_get_issuer(crl), X509_get_subject_name(h.ca.pointer)) == 0)
    #expect(date(X509_CRL_get0_lastUpdate(crl)) == start + 12 * day)
    #expect(date(X509_CRL_get0_nextUpdate(crl)) == start + 19 * day)
    #expect(X509_CRL_verify(crl, h.caKey.pointer) == 1)
    #expect(X509_CRL_verify(crl, h.rootKey.pointer) != 1)
    OpenSSLError.clearQueue()

    // crlNumber and authorityKeyIdentifier.
    let number = X509_CRL_get_ext_d2i(crl, NID_crl_number, nil, nil).map { OpaquePointer($0) }
    #expect(number.map { ASN1_INTEGER_get(UnsafePointer($0)) } == 42)
    if let number { ASN1_INTEGER_free(UnsafeMutablePointer(number)) }
    let akid = X509_CRL_get_ext_d2i(crl, NID_authority_key_identifier, nil, nil)?.assumingMemoryBound(to: AUTHORITY_KEYID.self)
    #expect(keyIdentifier(akid.flatMap { UnsafePointer($0.pointee.keyid) }) == keyIdentifier(X509_get0_subject_key_id(h.ca.pointer)))
    if let akid { AUTHORITY_KEYID_free(akid) }

    // The citizen's entry: date and reason.
    var entry: OpaquePointer? = nil
    #expect(X509_CRL_get0_by_cert(crl, &entry, h.citizen.pointer) == 1)
    if let entry {
        #expect(date(X509_REVOKED_get0_revocationDate(entry)) == start + 10 * day)
        var critical: Int32 = 0
        let reason = X509_REVOKED_get_ext_d2i(entry, NID_crl_reason, &critical, nil)?.assumingMemoryBound(to: ASN1_ENUMERATED.self)
        #expect(reason.map { ASN1_ENUMERATED_get($0) } == 1)
        if let reason { ASN1_ENUMERATED_free(reason) }
    }
    var otherEntry: OpaquePointer? = nil
    #expect(X509_CRL_get0_by_cert(crl, &otherEntry, other.pointer) == 1)
    #expect(X509_CRL_get0_by_cert(crl, &otherEntry, h.ca.pointer) == 0)

    // OpenSSL's verifier, with CRL checking, now rejects the citizen.
    #expect(verifyChain(h.citizen, untrusted: [h.ca], root: h.root, at: start + 13 * day, crl: crl) == X509_V_ERR_CERT_REVOKED)
}

@Test func crlRefusesBadEntries() throws {
    let h = try Hierarchy()
    func make(_ entries: [CRLBuilder.Entry]) throws {
        _ = try CRLBuilder.make(issuer: h.ca, issuerKey: h.caKey, entries: entries, thisUpdate: start, nextUpdate: start + day, number: 1)
    }
    #expect(throws: CertificateIssuer.InvalidInput.self) { try make([.init(serialHex: "xyz", revokedAt: start)]) }
    #expect(throws: CertificateIssuer.InvalidInput.self) { try make([.init(serialHex: "00", revokedAt: start)]) }
    #expect(throws: CertificateIssuer.InvalidInput.self) { try make([.init(serialHex: "01", revokedAt: start, reason: 7)]) }
    #expect(throws: CertificateIssuer.InvalidInput.self) {
        try make([.init(serialHex: "0a", revokedAt: start), .init(serialHex: "A", revokedAt: start)])
    }
    let empty = try CRLBuilder.make(issuer: h.root, issuerKey: h.rootKey, entries: [], thisUpdate: start, nextUpdate: start + day, number: 0)
    let crl = try parseCRL(empty)
    defer { X509_CRL_free(crl) }
    #expect(shim_sk_X509_REVOKED_num(X509_CRL_get_REVOKED(crl)) <= 0)
    #expect(X509_CRL_verify(crl, h.rootKey.pointer) == 1)
}

@Test func crlOf100000Entries() throws {
    let h = try Hierarchy()
    let count = 100_000
    let entries = (0..<count).map { i in
        CRLBuilder.Entry(serialHex: "4\(String(i, radix: 16))\(String(repeating: "f", count: 8))",
                         revokedAt: start + Double(i % 1000) * 60, reason: i % 3 == 0 ? 1 : nil)
    }
    let clock = ContinuousClock()
    var der: [UInt8] = []
    let built = try clock.measure {
        der = try CRLBuilder.make(issuer: h.ca, issuerKey: h.caKey, entries: entries, thisUpdate: start, nextUpdate: start + day, number: 7)
    }
    var crl: OpaquePointer? = nil
    let parsed = try clock.measure { crl = try parseCRL(der) }
    defer { X509_CRL_free(crl) }
    print("CRL of \(count) entries: built in \(built), \(der.count) bytes, parsed in \(parsed)")
    #expect(shim_sk_X509_REVOKED_num(X509_CRL_get_REVOKED(crl)) == Int32(count))
    #expect(X509_CRL_verify(crl, h.caKey.pointer) == 1)
}

// MARK: - Helpers

private func isCritical(_ certificate: Certificate, _ nid: Int32) -> Bool? {
    let index = X509_get_ext_by_NID(certificate.pointer, nid, -1)
    guard index >= 0, let ext = X509_get_ext(certificate.pointer, index) else { return nil }
    return X509_EXTENSION_get_critical(ext) == 1
}

private func keyIdentifier(_ string: UnsafePointer<ASN1_OCTET_STRING>?) -> [UInt8]? {
    guard let string, let data = ASN1_STRING_get0_data(string) else { return nil }
    return Array(UnsafeBufferPointer(start: data, count: Int(ASN1_STRING_length(string))))
}

private func attributeType(_ certificate: Certificate, _ oid: String) -> Int32? {
    guard let object = OBJ_txt2obj(oid, 1) else { return nil }
    defer { ASN1_OBJECT_free(object) }
    let name = X509_get_subject_name(certificate.pointer)
    let index = X509_NAME_get_index_by_OBJ(name, object, -1)
    guard index >= 0, let entry = X509_NAME_get_entry(name, index), let data = X509_NAME_ENTRY_get_data(entry) else { return nil }
    return ASN1_STRING_type(data)
}

private func parseCRL(_ der: [UInt8]) throws -> OpaquePointer {
    let crl: OpaquePointer? = der.withUnsafeBufferPointer { buffer in
        var cursor = buffer.baseAddress
        return d2i_X509_CRL(nil, &cursor, buffer.count)
    }
    guard let crl else { throw OpenSSLError.drain("d2i_X509_CRL") }
    return crl
}

private func date(_ time: UnsafePointer<ASN1_TIME>?) -> Date? {
    var parts = tm()
    guard let time, ASN1_TIME_to_tm(time, &parts) == 1 else { return nil }
    return Date(timeIntervalSince1970: TimeInterval(timegm(&parts)))
}

/// X509_verify_cert's result code for `leaf` at time `at`, with CRL checking of the leaf when `crl` is given.
private func verifyChain(_ leaf: Certificate, untrusted: [Certificate], root: Certificate, at: Date, crl: OpaquePointer? = nil) -> Int32 {
    guard let store = X509_STORE_new() else { return -1 }
    defer { X509_STORE_free(store) }
    X509_STORE_add_cert(store, root.pointer)
    if let crl {
        X509_STORE_add_crl(store, crl)
        X509_STORE_set_flags(store, UInt(X509_V_FLAG_CRL_CHECK))
    }
    let chain = shim_sk_X509_new_null()
    defer { shim_sk_X509_free(chain) }
    for certificate in untrusted { _ = shim_sk_X509_push(chain, certificate.pointer) }
    guard let context = X509_STORE_CTX_new() else { return -1 }
    defer { X509_STORE_CTX_free(context) }
    guard X509_STORE_CTX_init(context, store, leaf.pointer, chain) == 1 else { return -1 }
    X509_STORE_CTX_set_time(context, 0, time_t(at.timeIntervalSince1970))
    _ = X509_verify_cert(context)
    OpenSSLError.clearQueue()
    return X509_STORE_CTX_get_error(context)
}

@Test(arguments: [256, 512])
func gostHierarchyIssuesAndVerifies(bits: Int) throws {
    let rootKey = try PrivateKey.generateGOST2012(bits: bits)
    #expect(rootKey.family == (bits == 256 ? .gost2012_256 : .gost2012_512))
    let root = try CertificateIssuer.makeRoot(subject: SubjectName(commonName: "ГУЦ ГОСТ \(bits) (тест)"), key: rootKey,
                                              validFrom: start, validUntil: start + 3650 * day)
    let caKey = try PrivateKey.generateGOST2012(bits: 256)
    let ca = try CertificateIssuer.issue(subject: SubjectName(commonName: "УЦ ГОСТ"), subjectKey: caKey, profile: .accreditedCA,
                                         issuer: root, issuerKey: rootKey, validFrom: start, validUntil: start + 1825 * day)
    let leafKey = try PrivateKey.generateGOST2012(bits: bits)
    let leaf = try CertificateIssuer.issue(subject: SubjectName(commonName: "Петров Пётр", snils: "11223344595"), subjectKey: leafKey,
                                           profile: .citizen, issuer: ca, issuerKey: caKey, validFrom: start, validUntil: start + 365 * day)
    #expect(X509_verify(leaf.pointer, caKey.pointer) == 1)
    #expect(X509_verify(ca.pointer, rootKey.pointer) == 1)
    // The signature algorithm is GOST R 34.10-2012 with Streebog of the issuer key's size.
    let expectedNID = bits == 256 ? NID_id_tc26_signwithdigest_gost3410_2012_256 : NID_id_tc26_signwithdigest_gost3410_2012_512
    #expect(X509_get_signature_nid(ca.pointer) == expectedNID)
    #expect(X509_get_signature_nid(leaf.pointer) == NID_id_tc26_signwithdigest_gost3410_2012_256)
    let verifier = ChainVerifier(trustAnchors: [root], intermediates: [ca], revocation: .off)
    #expect(verifier.verify(leaf, at: start + day).isTrusted)
    // A PEM round trip keeps the key usable.
    let reread = try PrivateKey(pem: try leafKey.pkcs8PEM())
    #expect(reread.family == leafKey.family)
}

@Test func gostKeySizesOtherThan256And512AreRefused() {
    #expect(throws: OpenSSLError.self) { try PrivateKey.generateGOST2012(bits: 384) }
}
