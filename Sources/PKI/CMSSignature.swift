import COpenSSL
import Crypto

/// Makes CMS (PKCS#7) SignedData signatures with OpenSSL's CMS_sign/CMS_add1_signer/CMS_final.
public enum CMSSignature {
    /// Signs `content` with `key`/`certificate`; the certificate and `chain` are embedded. `detached`: the content
    /// is not included. `signedAttributes` false gives CMS_NOATTR (no signed attributes, as some ESIA client
    /// libraries produce); with them, OpenSSL adds contentType, signingTime and messageDigest.
    /// Digest by key family: SHA-256 (RSA, ECDSA), md_gost12_256/512 (GOST 2012). GOST 2001 keys are refused.
    /// Returns DER.
    public static func sign(content: [UInt8], certificate: Certificate, key: PrivateKey, chain: [Certificate] = [],
                            detached: Bool = true, signedAttributes: Bool = true) throws -> [UInt8] {
        let digest = try signingDigest(for: key)
        OpenSSLError.clearQueue()
        defer { OpenSSLError.clearQueue() }
        guard X509_check_private_key(certificate.pointer, key.pointer) == 1 else {
            throw PKIInputError("the key does not belong to the certificate \(certificate.subjectDescription)")
        }

        // No S/MIME capabilities attribute: nothing here negotiates encryption algorithms.
        var flags = UInt32(CMS_PARTIAL | CMS_BINARY | CMS_NOSMIMECAP)
        if detached { flags |= UInt32(CMS_DETACHED) }
        if !signedAttributes { flags |= UInt32(CMS_NOATTR) }
        guard let cms = CMS_sign(nil, nil, nil, nil, flags) else { throw OpenSSLError.drain("CMS_sign") }
        defer { CMS_ContentInfo_free(cms) }
        guard CMS_add1_signer(cms, certificate.pointer, key.pointer, digest, flags) != nil else {
            throw OpenSSLError.drain("CMS_add1_signer")
        }
        // OpenSSL 3.0 refuses a certificate already in the message, so the signer's and repeats are skipped.
        var added = [certificate]
        for extra in chain where !added.contains(where: { X509_cmp($0.pointer, extra.pointer) == 0 }) {
            guard CMS_add1_cert(cms, extra.pointer) == 1 else { throw OpenSSLError.drain("CMS_add1_cert") }
            added.append(extra)
        }
        try PKIInput.withReadOnlyBIO(content) { bio in
            guard CMS_final(cms, bio, nil, flags) == 1 else { throw OpenSSLError.drain("CMS_final") }
        }

        let length = i2d_CMS_ContentInfo(cms, nil)
        guard length > 0 else { throw OpenSSLError.drain("i2d_CMS_ContentInfo") }
        var der = [UInt8](repeating: 0, count: Int(length))
        let written = der.withUnsafeMutableBufferPointer { buffer in
            var cursor = buffer.baseAddress
            return i2d_CMS_ContentInfo(cms, &cursor)
        }
        guard written == length else { throw OpenSSLError.drain("i2d_CMS_ContentInfo") }
        return der
    }

    /// SHA-256 for RSA and ECDSA, Streebog of the key's size for GOST R 34.10-2012; other keys are refused.
    static func signingDigest(for key: PrivateKey) throws -> OpaquePointer {
        switch key.family {
        case .rsa, .ecdsa, .gost2012_256, .gost2012_512:
            return try PKIHelpers.digest(for: key)
        case .gost2001:
            throw PKIInputError("GOST R 34.10-2001 keys do not sign (only old signatures are verified)")
        case .other:
            throw PKIInputError("no signing digest for \(key.algorithmName) keys")
        }
    }
}
