import COpenSSL
import Crypto
import Foundation
import PKI
import Testing

@Test func selfSignedTLSCertificateHasNamesValidityAndSignature() throws {
    let made = try SelfSignedCertificate.makeTLS(hostnames: ["localhost", "esia.test"], ipAddresses: ["127.0.0.1", "::1"], validDays: 30)
    let certificate = try Certificate(pem: made.certificatePEM)
    #expect(certificate.subjectDescription == "CN=localhost")
    #expect(certificate.issuerDescription == "CN=localhost")
    #expect(certificate.serialNumberHex.count == 32)
    #expect(X509_get_version(certificate.pointer) == 2)

    let now = Date()
    #expect(abs(certificate.notBefore.timeIntervalSince(now.addingTimeInterval(-300))) < 60)
    #expect(abs(certificate.notAfter.timeIntervalSince(now.addingTimeInterval(30 * 86400))) < 60)

    #expect(subjectAltNames(certificate) == ["DNS:localhost", "DNS:esia.test", "IP:7f000001", "IP:00000000000000000000000000000001"])
    #expect(X509_check_host(certificate.pointer, "esia.test", 0, 0, nil) == 1)
    #expect(X509_check_ip_asc(certificate.pointer, "127.0.0.1", 0) == 1)
    #expect(X509_check_purpose(certificate.pointer, X509_PURPOSE_SSL_SERVER, 0) == 1)
    #expect(X509_check_ca(certificate.pointer) == 0)

    let key = try PrivateKey(pem: made.privateKeyPEM)
    #expect(key.algorithmName == "EC")
    #expect(X509_verify(certificate.pointer, key.pointer) == 1)
    let otherKey = try PrivateKey.generateP256()
    #expect(X509_verify(certificate.pointer, otherKey.pointer) == 0)
    OpenSSLError.clearQueue()
}

@Test func certificateLoadsFromDERAndFile() throws {
    let made = try SelfSignedCertificate.makeTLS(hostnames: ["a.test"], ipAddresses: [], validDays: 1)
    let certificate = try Certificate(pem: made.certificatePEM)
    let fromDER = try Certificate(der: certificate.derBytes)
    #expect(fromDER.derBytes == certificate.derBytes)
    #expect(fromDER.serialNumberHex == certificate.serialNumberHex)
    #expect(throws: OpenSSLError.self) { try Certificate(der: certificate.derBytes + [0]) }
    #expect(throws: OpenSSLError.self) { try Certificate(der: [0x30, 0x03, 0x02, 0x01]) }

    let other = try SelfSignedCertificate.makeTLS(hostnames: ["b.test"], ipAddresses: [], validDays: 1)
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("chain-\(UUID().uuidString).pem").path
    defer { try? FileManager.default.removeItem(atPath: path) }
    try (made.certificatePEM + other.certificatePEM).write(toFile: path, atomically: true, encoding: .utf8)
    let chain = try Certificate.loadChain(pemFile: path)
    #expect(chain.map(\.subjectDescription) == ["CN=a.test", "CN=b.test"])
    #expect(throws: OpenSSLError.self) { try Certificate.loadChain(pemFile: path + ".missing") }
}

@Test func selfSignedCertificateRejectsBadInput() {
    #expect(throws: SelfSignedCertificate.InvalidInput.self) { try SelfSignedCertificate.makeTLS(hostnames: [], ipAddresses: [], validDays: 1) }
    #expect(throws: SelfSignedCertificate.InvalidInput.self) { try SelfSignedCertificate.makeTLS(hostnames: ["a,DNS:evil"], ipAddresses: [], validDays: 1) }
    #expect(throws: SelfSignedCertificate.InvalidInput.self) { try SelfSignedCertificate.makeTLS(hostnames: ["a"], ipAddresses: ["300.1.1.1"], validDays: 1) }
    #expect(throws: SelfSignedCertificate.InvalidInput.self) { try SelfSignedCertificate.makeTLS(hostnames: ["a"], ipAddresses: [], validDays: 0) }
}

@Test func utf8NamesPrintReadably() throws {
    // Russian certificates carry Cyrillic names; they must not come out as \D0\9F escapes.
    let x509 = try #require(X509_new())
    let certificate = Certificate(taking: x509)
    let name = try #require(X509_NAME_new())
    defer { X509_NAME_free(name) }
    for (field, value) in [("CN", "Тест, ООО"), ("C", "RU")] {
        let bytes = Array(value.utf8)
        #expect(X509_NAME_add_entry_by_txt(name, field, MBSTRING_UTF8, bytes, Int32(bytes.count), -1, 0) == 1)
    }
    #expect(X509_set_subject_name(x509, name) == 1)
    #expect(certificate.subjectDescription == "C=RU,CN=Тест\\, ООО")
}

/// The subjectAltName entries as "DNS:name" / "IP:hex", read back through OpenSSL.
private func subjectAltNames(_ certificate: Certificate) -> [String] {
    guard let raw = X509_get_ext_d2i(certificate.pointer, NID_subject_alt_name, nil, nil) else { return [] }
    let names = OpaquePointer(raw)
    defer { GENERAL_NAMES_free(names) }
    var out: [String] = []
    for i in 0..<shim_sk_GENERAL_NAME_num(names) {
        guard let name = shim_sk_GENERAL_NAME_value(names, i) else { continue }
        let value: UnsafeMutablePointer<ASN1_STRING>? = name.pointee.d.ia5
        guard let value, let data = ASN1_STRING_get0_data(value) else { continue }
        let bytes = Array(UnsafeBufferPointer(start: data, count: Int(ASN1_STRING_length(value))))
        switch name.pointee.type {
        case GEN_DNS: out.append("DNS:" + String(decoding: bytes, as: UTF8.self))
        case GEN_IPADD: out.append("IP:" + bytes.map { String($0, radix: 16).count == 1 ? "0" + String($0, radix: 16) : String($0, radix: 16) }.joined())
        default: out.append("other")
        }
    }
    return out
}
