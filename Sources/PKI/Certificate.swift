import COpenSSL
import Crypto
import Foundation

/// An X.509 certificate (X509); shareable read-only between threads once loaded.
public final class Certificate: @unchecked Sendable {
    /// The X509*, owned by this object; for other OpenSSL wrappers in the package.
    package let pointer: OpaquePointer

    /// Takes ownership of an X509 reference.
    package init(taking pointer: OpaquePointer) {
        self.pointer = pointer
    }

    /// Reads the first certificate of a PEM text.
    public convenience init(pem: String) throws {
        try? GOSTEngine.load()  // GOST public keys decode only with the engine loaded (see `parse`)
        OpenSSLError.clearQueue()
        let bio = try MemoryBIO(bytes: pem.utf8)
        guard let x509 = PEM_read_bio_X509(bio.pointer, nil, nil, nil) else {
            throw OpenSSLError.drain("PEM_read_bio_X509")
        }
        self.init(taking: x509)
    }

    /// Reads one DER certificate; trailing bytes after it are an error.
    public convenience init(der: [UInt8]) throws {
        guard let parsed = Self.parse(der: der) else {
            let reasons = OpenSSLError.drainQueue()
            throw OpenSSLError(operation: "d2i_X509", reasons: reasons.isEmpty ? ["not exactly one DER certificate"] : reasons)
        }
        self.init(taking: parsed)
    }

    /// Reads an uploaded certificate: DER, PEM ("BEGIN CERTIFICATE") or base64/base64url text of the DER
    /// (whitespace ignored, padding optional). Anything else throws PKIInputError.
    public convenience init(bytes: [UInt8]) throws {
        let der = try PKIInput.der(bytes, pemLabels: ["CERTIFICATE", "X509 CERTIFICATE"], what: "a certificate")
        guard let parsed = Self.parse(der: der) else {
            let reasons = OpenSSLError.drainQueue()
            throw PKIInputError("not one DER certificate" + (reasons.first.map { ": \($0)" } ?? ""))
        }
        self.init(taking: parsed)
    }

    /// Every certificate in a PEM file, in file order (for a TLS chain: leaf first).
    public static func loadChain(pemFile: String) throws -> [Certificate] {
        try? GOSTEngine.load()
        OpenSSLError.clearQueue()
        guard let bio = BIO_new_file(pemFile, "r") else { throw OpenSSLError.drain("BIO_new_file(\(pemFile))") }
        defer { BIO_free(bio) }
        var chain: [Certificate] = []
        while let x509 = PEM_read_bio_X509(bio, nil, nil, nil) {
            chain.append(Certificate(taking: x509))
        }
        // The loop ends with "no start line" at end of file; that is not an error once something was read.
        let reasons = OpenSSLError.drainQueue()
        guard !chain.isEmpty else {
            throw OpenSSLError(operation: "PEM_read_bio_X509(\(pemFile))", reasons: reasons.isEmpty ? ["no certificate"] : reasons)
        }
        return chain
    }

    /// The DER encoding.
    public var derBytes: [UInt8] {
        let length = i2d_X509(pointer, nil)
        guard length > 0 else { return [] }
        var out = [UInt8](repeating: 0, count: Int(length))
        out.withUnsafeMutableBufferPointer { buffer in
            var cursor = buffer.baseAddress
            _ = i2d_X509(pointer, &cursor)
        }
        return out
    }

    /// The certificate as PEM ("BEGIN CERTIFICATE").
    public func pem() throws -> String {
        OpenSSLError.clearQueue()
        let bio = try MemoryBIO()
        guard PEM_write_bio_X509(bio.pointer, pointer) == 1 else { throw OpenSSLError.drain("PEM_write_bio_X509") }
        return bio.string()
    }

    /// The subject in RFC 2253 form ("CN=a,O=b"), non-ASCII characters kept as UTF-8.
    public var subjectDescription: String { Self.describe(X509_get_subject_name(pointer)) }

    /// The issuer in RFC 2253 form, non-ASCII characters kept as UTF-8.
    public var issuerDescription: String { Self.describe(X509_get_issuer_name(pointer)) }

    /// Start of the validity period.
    public var notBefore: Date { Self.date(X509_get0_notBefore(pointer)) }

    /// End of the validity period.
    public var notAfter: Date { Self.date(X509_get0_notAfter(pointer)) }

    /// The serial number in lower-case hex, without leading zero bytes.
    public var serialNumberHex: String {
        guard let bn = ASN1_INTEGER_to_BN(X509_get0_serialNumber(pointer), nil) else { return "" }
        defer { BN_free(bn) }
        guard let hex = BN_bn2hex(bn) else { return "" }
        defer { shim_OPENSSL_free(hex) }
        return String(cString: hex).lowercased()
    }

    /// The family of the subject's public key, from the key's algorithm identifier (no engine needed).
    public var keyFamily: KeyFamily {
        var algorithm: OpaquePointer? = nil
        guard let publicKey = X509_get_X509_PUBKEY(pointer),
              X509_PUBKEY_get0_param(&algorithm, nil, nil, nil, publicKey) == 1, let algorithm
        else { return .other }
        return Self.family(publicKeyNID: OBJ_obj2nid(algorithm))
    }

    /// The family of the key that signed this certificate, from the signature algorithm.
    public var signatureFamily: KeyFamily {
        var digestNID: Int32 = 0, keyNID: Int32 = 0
        guard OBJ_find_sigid_algs(X509_get_signature_nid(pointer), &digestNID, &keyNID) == 1 else { return .other }
        return Self.family(publicKeyNID: keyNID)
    }

    deinit { X509_free(pointer) }

    /// Strict DER: exactly one certificate, nothing after it. Loads the GOST engine first, since OpenSSL
    /// decodes the public key while parsing and leaves a GOST key out when the engine is missing.
    private static func parse(der: [UInt8]) -> OpaquePointer? {
        try? GOSTEngine.load()
        OpenSSLError.clearQueue()
        return der.withUnsafeBufferPointer { buffer in
            guard let start = buffer.baseAddress else { return nil }
            var cursor: UnsafePointer<UInt8>? = start
            guard let x509 = d2i_X509(nil, &cursor, buffer.count) else { return nil }
            if cursor != start + buffer.count {
                X509_free(x509)
                return nil
            }
            return x509
        }
    }

    private static func family(publicKeyNID nid: Int32) -> KeyFamily {
        switch nid {
        case NID_rsaEncryption, NID_rsassaPss: return .rsa
        case NID_X9_62_id_ecPublicKey: return .ecdsa
        case NID_id_GostR3410_2012_256: return .gost2012_256
        case NID_id_GostR3410_2012_512: return .gost2012_512
        case NID_id_GostR3410_2001, NID_id_GostR3410_2001_cc: return .gost2001
        default: return .other
        }
    }

    private static func describe(_ name: OpaquePointer?) -> String {
        guard let name, let bio = try? MemoryBIO() else { return "" }
        // ESC_MSB is left out of the RFC 2253 flags so Cyrillic names print as UTF-8, not as \D0\9F escapes.
        guard X509_NAME_print_ex(bio.pointer, name, 0, shim_XN_FLAG_RFC2253_UTF8()) >= 0 else { return "" }
        return bio.string()
    }

    private static func date(_ time: UnsafePointer<ASN1_TIME>?) -> Date {
        var parts = tm()
        guard let time, ASN1_TIME_to_tm(time, &parts) == 1 else { return Date(timeIntervalSince1970: 0) }
        return Date(timeIntervalSince1970: TimeInterval(timegm(&parts)))
    }
}
