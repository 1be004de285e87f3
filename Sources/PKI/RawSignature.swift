import COpenSSL
import Crypto

/// Bare signatures over a message (EVP_DigestSign/EVP_DigestVerify), for the ESIA dialect's `client_secret` and
/// GOST-signed tokens (ESIA-PROTOCOL §5.4, §6.2). The digest follows the key family: SHA-256 for RSA and ECDSA,
/// Streebog-256/512 for GOST R 34.10-2012 (GOST R 34.11-94 when verifying a GOST 2001 key).
///
/// Output formats, as OpenSSL gives them:
/// - RSA: PKCS#1 v1.5, the modulus size.
/// - ECDSA: DER `ECDSA-Sig-Value` (not the JOSE r‖s form).
/// - GOST 2012-256 / 512: 64 / 128 bytes from the gost engine, two big-endian halves **s ‖ r** (observed by
///   checking the GOST R 34.10 verification equation both ways against a signature from this engine, with the
///   Streebog digest read as a little-endian integer, as the engine does). This is the layout of
///   `openssl dgst -engine gost -md_gost12_256 -sign`, which ESIA clients send base64url-encoded; CryptoPro's
///   little-endian form is this byte-reversed.
public enum RawSignature {
    /// Signs `message` with `key`. GOST 2001 and unknown key types are refused (PKIInputError).
    public static func sign(_ message: [UInt8], key: PrivateKey) throws -> [UInt8] {
        let digest = try CMSSignature.signingDigest(for: key)
        OpenSSLError.clearQueue()
        defer { OpenSSLError.clearQueue() }
        guard let context = EVP_MD_CTX_new() else { throw OpenSSLError.drain("EVP_MD_CTX_new") }
        defer { EVP_MD_CTX_free(context) }
        guard EVP_DigestSignInit(context, nil, digest, nil, key.pointer) == 1 else { throw OpenSSLError.drain("EVP_DigestSignInit") }
        let capacity = Int(EVP_PKEY_get_size(key.pointer))
        guard capacity > 0 else { throw OpenSSLError.drain("EVP_PKEY_get_size") }
        var signature = [UInt8](repeating: 0, count: capacity)
        var length = capacity
        let ok = message.withUnsafeBufferPointer { input in
            EVP_DigestSign(context, &signature, &length, input.baseAddress, input.count)
        }
        guard ok == 1, length <= capacity else { throw OpenSSLError.drain("EVP_DigestSign") }
        signature.removeLast(capacity - length)
        return signature
    }

    /// True when `signature` is `certificate`'s key's signature over `message`; false for anything else,
    /// including malformed signatures and unsupported keys. Says nothing about trust in the certificate.
    public static func verify(_ signature: [UInt8], message: [UInt8], certificate: Certificate) -> Bool {
        guard !signature.isEmpty, let name = certificate.keyFamily.signingDigestName else { return false }
        OpenSSLError.clearQueue()
        defer { OpenSSLError.clearQueue() }
        guard let digest = EVP_get_digestbyname(name), let publicKey = X509_get0_pubkey(certificate.pointer) else { return false }
        guard let context = EVP_MD_CTX_new() else { return false }
        defer { EVP_MD_CTX_free(context) }
        guard EVP_DigestVerifyInit(context, nil, digest, nil, publicKey) == 1 else { return false }
        return message.withUnsafeBufferPointer { input in
            EVP_DigestVerify(context, signature, signature.count, input.baseAddress, input.count) == 1
        }
    }
}
