import COpenSSL
import Crypto
import Foundation

/// Builds signed CRLs through OpenSSL, for the development CA tooling and test PKIs.
public enum CRLBuilder {
    /// One revoked certificate.
    public struct Entry: Sendable, Equatable {
        /// The revoked certificate's serial number in hex (as `Certificate.serialNumberHex`).
        public var serialHex: String
        /// When it was revoked.
        public var revokedAt: Date
        /// RFC 5280 CRLReason (0...10, not 7), or nil for no reason extension.
        public var reason: Int?

        /// An entry.
        public init(serialHex: String, revokedAt: Date, reason: Int? = nil) {
            self.serialHex = serialHex
            self.revokedAt = revokedAt
            self.reason = reason
        }
    }

    /// DER of a CRL (v2, crlNumber extension, authorityKeyIdentifier) signed by the issuer.
    public static func make(issuer: Certificate, issuerKey: PrivateKey, entries: [Entry], thisUpdate: Date,
                            nextUpdate: Date, number: Int) throws -> [UInt8] {
        guard thisUpdate < nextUpdate else {
            throw CertificateIssuer.InvalidInput(description: "thisUpdate \(thisUpdate) is not before nextUpdate \(nextUpdate)")
        }
        guard number >= 0 else { throw CertificateIssuer.InvalidInput(description: "CRL number \(number) is negative") }
        let digest = try PKIHelpers.digest(for: issuerKey)
        OpenSSLError.clearQueue()
        guard X509_check_private_key(issuer.pointer, issuerKey.pointer) == 1 else {
            OpenSSLError.clearQueue()
            throw CertificateIssuer.InvalidInput(description: "the issuer key does not belong to the issuer certificate")
        }

        guard let crl = X509_CRL_new() else { throw OpenSSLError.drain("X509_CRL_new") }
        defer { X509_CRL_free(crl) }
        guard X509_CRL_set_version(crl, 1) == 1 else { throw OpenSSLError.drain("X509_CRL_set_version") }  // 1 means v2
        guard X509_CRL_set_issuer_name(crl, X509_get_subject_name(issuer.pointer)) == 1 else {
            throw OpenSSLError.drain("X509_CRL_set_issuer_name")
        }
        // One ASN1_TIME reused for every date: the setters copy it.
        guard let time = ASN1_TIME_set(nil, PKIHelpers.timeT(thisUpdate)) else { throw OpenSSLError.drain("ASN1_TIME_set") }
        defer { ASN1_TIME_free(time) }
        guard X509_CRL_set1_lastUpdate(crl, time) == 1 else { throw OpenSSLError.drain("X509_CRL_set1_lastUpdate") }
        guard ASN1_TIME_set(time, PKIHelpers.timeT(nextUpdate)) != nil,
              X509_CRL_set1_nextUpdate(crl, time) == 1
        else { throw OpenSSLError.drain("X509_CRL_set1_nextUpdate") }

        var seen = Set<String>()
        seen.reserveCapacity(entries.count)
        for entry in entries {
            let serial = try serialBytes(entry.serialHex)
            // A serial listed twice makes the CRL ambiguous about the revocation time and reason.
            guard seen.insert(serial.map { String($0, radix: 16) }.joined(separator: ":")).inserted else {
                throw CertificateIssuer.InvalidInput(description: "serial \(entry.serialHex) listed twice")
            }
            try addRevoked(crl, serial: serial, revokedAt: entry.revokedAt, reason: entry.reason, time: time)
        }
        // RFC 5280 does not require an order, but sorted CRLs are what OpenSSL produces and looks up fastest.
        guard X509_CRL_sort(crl) == 1 else { throw OpenSSLError.drain("X509_CRL_sort") }

        guard let crlNumber = ASN1_INTEGER_new() else { throw OpenSSLError.drain("ASN1_INTEGER_new") }
        defer { ASN1_INTEGER_free(crlNumber) }
        guard ASN1_INTEGER_set_int64(crlNumber, Int64(number)) == 1,
              X509_CRL_add1_ext_i2d(crl, NID_crl_number, UnsafeMutableRawPointer(crlNumber), 0, 0) == 1
        else { throw OpenSSLError.drain("crlNumber") }

        var context = X509V3_CTX()
        X509V3_set_ctx(&context, issuer.pointer, nil, nil, crl, 0)
        guard let aki = X509V3_EXT_conf_nid(nil, &context, NID_authority_key_identifier, "keyid:always") else {
            throw OpenSSLError.drain("X509V3_EXT_conf_nid(authorityKeyIdentifier)")
        }
        defer { X509_EXTENSION_free(aki) }
        guard X509_CRL_add_ext(crl, aki, -1) == 1 else { throw OpenSSLError.drain("X509_CRL_add_ext") }

        guard X509_CRL_sign(crl, issuerKey.pointer, digest) > 0 else { throw OpenSSLError.drain("X509_CRL_sign") }

        let length = i2d_X509_CRL(crl, nil)
        guard length > 0 else { throw OpenSSLError.drain("i2d_X509_CRL") }
        var der = [UInt8](repeating: 0, count: Int(length))
        let written = der.withUnsafeMutableBufferPointer { buffer -> Int32 in
            var cursor = buffer.baseAddress
            return i2d_X509_CRL(crl, &cursor)
        }
        guard written == length else { throw OpenSSLError.drain("i2d_X509_CRL") }
        return der
    }

    private static func addRevoked(_ crl: OpaquePointer, serial: [UInt8], revokedAt: Date, reason: Int?,
                                   time: UnsafeMutablePointer<ASN1_TIME>) throws {
        guard let revoked = X509_REVOKED_new() else { throw OpenSSLError.drain("X509_REVOKED_new") }
        var added = false
        defer { if !added { X509_REVOKED_free(revoked) } }

        let serialNumber = try PKIHelpers.asn1Integer(serial)
        defer { ASN1_INTEGER_free(serialNumber) }
        guard X509_REVOKED_set_serialNumber(revoked, serialNumber) == 1 else {
            throw OpenSSLError.drain("X509_REVOKED_set_serialNumber")
        }
        guard ASN1_TIME_set(time, PKIHelpers.timeT(revokedAt)) != nil,
              X509_REVOKED_set_revocationDate(revoked, time) == 1
        else { throw OpenSSLError.drain("X509_REVOKED_set_revocationDate") }

        if let reason {
            // 7 is unused in RFC 5280's CRLReason; removeFromCRL (8) belongs in delta CRLs but is allowed here.
            guard (0...10).contains(reason), reason != 7 else {
                throw CertificateIssuer.InvalidInput(description: "CRL reason \(reason) is not an RFC 5280 CRLReason")
            }
            guard let code = ASN1_ENUMERATED_new() else { throw OpenSSLError.drain("ASN1_ENUMERATED_new") }
            defer { ASN1_ENUMERATED_free(code) }
            guard ASN1_ENUMERATED_set(code, reason) == 1,
                  X509_REVOKED_add1_ext_i2d(revoked, NID_crl_reason, UnsafeMutableRawPointer(code), 0, 0) == 1
            else { throw OpenSSLError.drain("CRL reason") }
        }
        guard X509_CRL_add0_revoked(crl, revoked) == 1 else { throw OpenSSLError.drain("X509_CRL_add0_revoked") }
        added = true
    }

    /// Hex digits (either case, an optional even/odd length) to big-endian bytes without leading zeros.
    private static func serialBytes(_ hex: String) throws -> [UInt8] {
        var digits = hex.utf8.map { c -> UInt8? in
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): return c - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): return c - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): return c - UInt8(ascii: "A") + 10
            default: return nil
            }
        }
        while digits.first == 0 { digits.removeFirst() }
        guard !digits.isEmpty, digits.count <= 40, !digits.contains(nil) else {
            throw CertificateIssuer.InvalidInput(description: "not a serial number in hex (1 to 20 bytes, not zero): \(hex)")
        }
        if digits.count % 2 == 1 { digits.insert(0, at: 0) }
        return stride(from: 0, to: digits.count, by: 2).map { digits[$0]! << 4 | digits[$0 + 1]! }
    }
}
