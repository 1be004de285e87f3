import COpenSSL
import Crypto
import Foundation
import Support

/// Issues X.509 v3 certificates through OpenSSL, for the development CA tooling and test PKIs.
public enum CertificateIssuer {
    /// Bad input to the issuer (not an OpenSSL failure).
    public struct InvalidInput: Error, Sendable, CustomStringConvertible {
        /// What is wrong.
        public let description: String
    }

    /// Self-signed root.
    public static func makeRoot(subject: SubjectName, key: PrivateKey, validFrom: Date, validUntil: Date,
                                serial: [UInt8]? = nil) throws -> Certificate {
        try build(subject: subject, subjectKey: key, profile: .headCA(pathLength: nil), issuer: nil, issuerKey: key,
                  validFrom: validFrom, validUntil: validUntil, crlURL: nil, serial: serial)
    }

    /// A self-signed end-entity certificate for `key` (e.g. `.tokenSigning`: a signing key published as a certificate).
    public static func makeSelfSigned(subject: SubjectName, key: PrivateKey, profile: CertificateProfile, validFrom: Date,
                                      validUntil: Date, serial: [UInt8]? = nil) throws -> Certificate {
        guard !profile.isCA else { throw InvalidInput(description: "a self-signed CA is a root: use makeRoot") }
        return try build(subject: subject, subjectKey: key, profile: profile, issuer: nil, issuerKey: key,
                         validFrom: validFrom, validUntil: validUntil, crlURL: nil, serial: serial)
    }

    /// A certificate for `subjectKey` signed by `issuerKey`/`issuerCertificate`.
    public static func issue(subject: SubjectName, subjectKey: PrivateKey, profile: CertificateProfile,
                             issuer: Certificate, issuerKey: PrivateKey, validFrom: Date, validUntil: Date,
                             crlURL: String? = nil, serial: [UInt8]? = nil) throws -> Certificate {
        OpenSSLError.clearQueue()
        guard X509_check_private_key(issuer.pointer, issuerKey.pointer) == 1 else {
            OpenSSLError.clearQueue()
            throw InvalidInput(description: "the issuer key does not belong to the issuer certificate")
        }
        guard X509_check_ca(issuer.pointer) != 0 else {
            throw InvalidInput(description: "the issuer certificate is not a CA: \(issuer.subjectDescription)")
        }
        return try build(subject: subject, subjectKey: subjectKey, profile: profile, issuer: issuer, issuerKey: issuerKey,
                         validFrom: validFrom, validUntil: validUntil, crlURL: crlURL, serial: serial)
    }

    /// `issuer` nil means self-signed by `issuerKey` (which is then `subjectKey`).
    private static func build(subject: SubjectName, subjectKey: PrivateKey, profile: CertificateProfile,
                              issuer: Certificate?, issuerKey: PrivateKey, validFrom: Date, validUntil: Date,
                              crlURL: String?, serial: [UInt8]?) throws -> Certificate {
        guard validFrom < validUntil else {
            throw InvalidInput(description: "validFrom \(validFrom) is not before validUntil \(validUntil)")
        }
        if let crlURL { try checkURL(crlURL) }
        let digest = try PKIHelpers.digest(for: issuerKey)

        OpenSSLError.clearQueue()
        guard let x509 = X509_new() else { throw OpenSSLError.drain("X509_new") }
        let certificate = Certificate(taking: x509)  // frees x509 on every path

        guard X509_set_version(x509, 2) == 1 else { throw OpenSSLError.drain("X509_set_version") }  // 2 means v3
        let serialNumber = try PKIHelpers.asn1Integer(serial ?? PKIHelpers.randomSerial())
        defer { ASN1_INTEGER_free(serialNumber) }
        guard X509_set_serialNumber(x509, serialNumber) == 1 else { throw OpenSSLError.drain("X509_set_serialNumber") }

        // ASN1_TIME_set picks UTCTime before 2050 and GeneralizedTime after, as RFC 5280 requires.
        guard ASN1_TIME_set(X509_getm_notBefore(x509), PKIHelpers.timeT(validFrom)) != nil,
              ASN1_TIME_set(X509_getm_notAfter(x509), PKIHelpers.timeT(validUntil)) != nil
        else { throw OpenSSLError.drain("ASN1_TIME_set") }

        let name = try makeName(subject)
        defer { X509_NAME_free(name) }
        guard X509_set_subject_name(x509, name) == 1 else { throw OpenSSLError.drain("X509_set_subject_name") }  // copies
        let issuerName = issuer.map { X509_get_subject_name($0.pointer) } ?? name
        guard X509_set_issuer_name(x509, issuerName) == 1 else { throw OpenSSLError.drain("X509_set_issuer_name") }
        // X509_set_pubkey stores only the public part of the key.
        guard X509_set_pubkey(x509, subjectKey.pointer) == 1 else { throw OpenSSLError.drain("X509_set_pubkey") }

        let issuerX509 = issuer?.pointer ?? x509
        let rsa = subjectKey.family == .rsa
        try addExtension(x509, issuer: issuerX509, NID_basic_constraints, profile.basicConstraints)
        try addExtension(x509, issuer: issuerX509, NID_key_usage, profile.keyUsage(rsa: rsa))
        if let eku = profile.extendedKeyUsage {
            try addExtension(x509, issuer: issuerX509, NID_ext_key_usage, eku)
        }
        // SKI first: for a root, the authority key identifier below is taken from it.
        try addExtension(x509, issuer: issuerX509, NID_subject_key_identifier, "hash")
        try addExtension(x509, issuer: issuerX509, NID_authority_key_identifier, "keyid:always")
        if let crlURL {
            try addExtension(x509, issuer: issuerX509, NID_crl_distribution_points, "URI:\(crlURL)")
        }

        guard X509_sign(x509, issuerKey.pointer, digest) > 0 else { throw OpenSSLError.drain("X509_sign") }
        return certificate
    }

    /// The subject as an X509_NAME: C, O, SN, GN, CN as UTF8String (C PrintableString), then the registration
    /// numbers as NumericString, as in real qualified certificates. The caller frees it.
    static func makeName(_ subject: SubjectName) throws -> OpaquePointer {
        guard !subject.commonName.isEmpty else { throw InvalidInput(description: "the subject needs a common name") }
        guard let name = X509_NAME_new() else { throw OpenSSLError.drain("X509_NAME_new") }
        do {
            if let country = subject.country {
                guard country.utf8.count == 2, country.utf8.allSatisfy({ $0 >= 65 && $0 <= 90 }) else {
                    throw InvalidInput(description: "country must be two capital letters: \(country)")
                }
                // MBSTRING_ASC with the countryName table gives a PrintableString of length 2.
                try addEntry(name, oid: "2.5.4.6", country, type: MBSTRING_ASC)
            }
            if let organization = subject.organization { try addEntry(name, oid: "2.5.4.10", organization, type: MBSTRING_UTF8) }
            if let surname = subject.surname { try addEntry(name, oid: "2.5.4.4", surname, type: MBSTRING_UTF8) }
            if let givenName = subject.givenName { try addEntry(name, oid: "2.5.4.42", givenName, type: MBSTRING_UTF8) }
            try addEntry(name, oid: "2.5.4.3", subject.commonName, type: MBSTRING_UTF8)
            let numbers: [(String?, String, Int, String)] = [
                (subject.snils, SubjectIdentifiers.snilsOID, 11, "SNILS"),
                (subject.inn, SubjectIdentifiers.innOID, 12, "INN"),
                (subject.ogrn, SubjectIdentifiers.ogrnOID, 13, "OGRN"),
                (subject.ogrnip, SubjectIdentifiers.ogrnipOID, 15, "OGRNIP"),
                (subject.innle, SubjectIdentifiers.innleOID, 10, "INNLE"),
            ]
            for case let (value?, oid, length, label) in numbers {
                // Length and digits only; checksums are the registration validators' job, and test PKIs
                // sometimes need certificates with bad checksums.
                guard value.utf8.count == length, value.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) else {
                    throw InvalidInput(description: "\(label) must be \(length) digits: \(value)")
                }
                try addEntry(name, oid: oid, value, type: V_ASN1_NUMERICSTRING)
            }
        } catch {
            X509_NAME_free(name)
            throw error
        }
        return name
    }

    /// `type` is an MBSTRING_* input format (OpenSSL picks the string type) or a V_ASN1_* string type (used as is).
    private static func addEntry(_ name: OpaquePointer, oid: String, _ value: String, type: Int32) throws {
        guard !value.isEmpty else { throw InvalidInput(description: "empty value for attribute \(oid)") }
        guard let object = OBJ_txt2obj(oid, 1) else { throw OpenSSLError.drain("OBJ_txt2obj(\(oid))") }
        defer { ASN1_OBJECT_free(object) }
        let bytes = Array(value.utf8)
        guard X509_NAME_add_entry_by_OBJ(name, object, type, bytes, Int32(bytes.count), -1, 0) == 1 else {
            throw OpenSSLError.drain("X509_NAME_add_entry_by_OBJ(\(oid))")
        }
    }

    /// Adds an extension from OpenSSL's configuration syntax: fixed strings, or a URL checked by `checkURL`.
    private static func addExtension(_ x509: OpaquePointer, issuer: OpaquePointer, _ nid: Int32, _ value: String) throws {
        var context = X509V3_CTX()
        X509V3_set_ctx(&context, issuer, x509, nil, nil, 0)
        guard let ext = X509V3_EXT_conf_nid(nil, &context, nid, value) else {
            throw OpenSSLError.drain("X509V3_EXT_conf_nid(\(value))")
        }
        defer { X509_EXTENSION_free(ext) }
        guard X509_add_ext(x509, ext, -1) == 1 else { throw OpenSSLError.drain("X509_add_ext") }
    }

    /// The CRL URL goes through OpenSSL's configuration syntax, so characters that syntax gives a meaning
    /// (',' separates values, '@' names a section) and anything outside printable ASCII are refused.
    private static func checkURL(_ url: String) throws {
        let lower = url.lowercased()
        guard lower.hasPrefix("http://") || lower.hasPrefix("https://"),
              url.utf8.count > 8, url.utf8.count <= 2000,
              url.utf8.allSatisfy({ $0 > 32 && $0 < 127 && $0 != UInt8(ascii: ",") && $0 != UInt8(ascii: "@") })
        else { throw InvalidInput(description: "not a usable CRL URL: \(url)") }
    }
}

/// Pieces shared by the certificate and CRL builders.
enum PKIHelpers {
    /// The signing digest for a key: SHA-256 for RSA and ECDSA, Streebog-256/512 for GOST R 34.10-2012 keys.
    /// GOST 2001 keys are refused: the service only verifies such signatures, it never makes them.
    static func digest(for key: PrivateKey) throws -> OpaquePointer {
        let family = key.family
        guard family != .gost2001, let name = family.signingDigestName else {
            throw CertificateIssuer.InvalidInput(description: "no signing digest for \(key.algorithmName) keys")
        }
        if family == .gost2012_256 || family == .gost2012_512 { try GOSTEngine.load() }
        OpenSSLError.clearQueue()
        guard let digest = EVP_get_digestbyname(name) else { throw OpenSSLError.drain("EVP_get_digestbyname(\(name))") }
        return digest
    }

    /// 16 random bytes with the top bit cleared (positive, as RFC 5280 requires) and the next bit set (full length).
    static func randomSerial() -> [UInt8] {
        var bytes = SecureRandom.bytes(16)
        bytes[0] = (bytes[0] & 0x7f) | 0x40
        return bytes
    }

    /// A positive ASN1_INTEGER from big-endian bytes (at most 20, not all zero); the caller frees it.
    static func asn1Integer(_ bytes: [UInt8]) throws -> UnsafeMutablePointer<ASN1_INTEGER> {
        guard !bytes.isEmpty, bytes.count <= 20, bytes.contains(where: { $0 != 0 }) else {
            throw CertificateIssuer.InvalidInput(description: "a serial number is 1 to 20 bytes and not zero")
        }
        guard let bn = BN_bin2bn(bytes, Int32(bytes.count), nil) else { throw OpenSSLError.drain("BN_bin2bn") }
        defer { BN_free(bn) }
        guard let integer = BN_to_ASN1_INTEGER(bn, nil) else { throw OpenSSLError.drain("BN_to_ASN1_INTEGER") }
        return integer
    }

    /// Seconds since 1970, whole seconds (X.509 times have no fractions).
    static func timeT(_ date: Date) -> time_t {
        time_t(date.timeIntervalSince1970.rounded(.down))
    }
}
