import COpenSSL
import Crypto
import Foundation

/// A certificate revocation list (X509_CRL); shareable read-only between threads once loaded.
public final class CRL: @unchecked Sendable {
    /// The X509_CRL*, owned by this object; for other OpenSSL wrappers in the package.
    package let pointer: OpaquePointer

    /// Takes ownership of an X509_CRL reference.
    package init(taking pointer: OpaquePointer) {
        self.pointer = pointer
    }

    /// Reads one DER CRL; trailing bytes after it are an error.
    public convenience init(der: [UInt8]) throws {
        OpenSSLError.clearQueue()
        let parsed: OpaquePointer? = der.withUnsafeBufferPointer { buffer in
            guard let start = buffer.baseAddress else { return nil }
            var cursor: UnsafePointer<UInt8>? = start
            guard let crl = d2i_X509_CRL(nil, &cursor, buffer.count) else { return nil }
            if cursor != start + buffer.count {
                X509_CRL_free(crl)
                return nil
            }
            return crl
        }
        guard let parsed else {
            let reasons = OpenSSLError.drainQueue()
            throw OpenSSLError(operation: "d2i_X509_CRL", reasons: reasons.isEmpty ? ["not exactly one DER CRL"] : reasons)
        }
        self.init(taking: parsed)
    }

    /// Reads the first CRL of a PEM text ("BEGIN X509 CRL").
    public convenience init(pem: String) throws {
        OpenSSLError.clearQueue()
        let bio = try MemoryBIO(bytes: pem.utf8)
        guard let crl = PEM_read_bio_X509_CRL(bio.pointer, nil, nil, nil) else {
            throw OpenSSLError.drain("PEM_read_bio_X509_CRL")
        }
        self.init(taking: crl)
    }

    /// Reads a CRL file in DER or PEM (PEM when it starts with "-----BEGIN").
    public static func load(file: String) throws -> CRL {
        guard let data = FileManager.default.contents(atPath: file) else {
            throw OpenSSLError(operation: "CRL.load(\(file))", reasons: ["cannot read the file"])
        }
        let bytes = [UInt8](data)
        if bytes.starts(with: Array("-----BEGIN".utf8)) {
            return try CRL(pem: String(decoding: bytes, as: UTF8.self))
        }
        return try CRL(der: bytes)
    }

    /// The issuer in RFC 2253 form, non-ASCII characters kept as UTF-8.
    public var issuerDescription: String {
        guard let name = X509_CRL_get_issuer(pointer), let bio = try? MemoryBIO() else { return "" }
        guard X509_NAME_print_ex(bio.pointer, name, 0, shim_XN_FLAG_RFC2253_UTF8()) >= 0 else { return "" }
        return bio.string()
    }

    /// When the CRL was issued.
    public var thisUpdate: Date { Self.date(X509_CRL_get0_lastUpdate(pointer)) ?? Date(timeIntervalSince1970: 0) }

    /// When the next CRL is due; nil when the CRL does not say.
    public var nextUpdate: Date? { Self.date(X509_CRL_get0_nextUpdate(pointer)) }

    /// How many certificates the CRL lists as revoked.
    public var entryCount: Int {
        guard let entries = X509_CRL_get_REVOKED(pointer) else { return 0 }
        return Int(shim_sk_X509_REVOKED_num(entries))
    }

    /// Whether `certificate` is listed; the revocation time and reason (RFC 5280 name) when it is.
    public func revocation(of certificate: Certificate) -> (date: Date?, reason: String?)? {
        var entry: OpaquePointer? = nil
        guard X509_CRL_get0_by_cert(pointer, &entry, certificate.pointer) == 1, let entry else { return nil }
        return Self.describe(entry)
    }

    /// The DER encoding.
    public var derBytes: [UInt8] {
        let length = i2d_X509_CRL(pointer, nil)
        guard length > 0 else { return [] }
        var out = [UInt8](repeating: 0, count: Int(length))
        out.withUnsafeMutableBufferPointer { buffer in
            var cursor = buffer.baseAddress
            _ = i2d_X509_CRL(pointer, &cursor)
        }
        return out
    }

    deinit { X509_CRL_free(pointer) }

    /// Revocation time and reason of one CRL entry.
    package static func describe(_ entry: OpaquePointer) -> (date: Date?, reason: String?) {
        let date = Self.date(X509_REVOKED_get0_revocationDate(entry))
        var reason: String? = nil
        var critical: Int32 = 0
        if let raw = X509_REVOKED_get_ext_d2i(entry, NID_crl_reason, &critical, nil) {
            let enumerated = raw.assumingMemoryBound(to: ASN1_ENUMERATED.self)
            let code = ASN1_ENUMERATED_get(enumerated)
            ASN1_ENUMERATED_free(enumerated)
            reason = reasonNames[Int(code)] ?? "reason \(code)"
        }
        return (date, reason)
    }

    /// RFC 5280 CRLReason names.
    private static let reasonNames: [Int: String] = [
        0: "unspecified", 1: "keyCompromise", 2: "cACompromise", 3: "affiliationChanged", 4: "superseded",
        5: "cessationOfOperation", 6: "certificateHold", 8: "removeFromCRL", 9: "privilegeWithdrawn", 10: "aACompromise",
    ]

    private static func date(_ time: UnsafePointer<ASN1_TIME>?) -> Date? {
        var parts = tm()
        guard let time, ASN1_TIME_to_tm(time, &parts) == 1 else { return nil }
        return Date(timeIntervalSince1970: TimeInterval(timegm(&parts)))
    }
}
