import Support
import COpenSSL

/// An EVP_MD_CTX initialised once for signing or verifying with one key and digest, copied for each operation.
///
/// `EVP_DigestSignInit` fetches the algorithm and sets up the key context every time; copying a prepared context
/// with `EVP_MD_CTX_copy_ex` skips that (about 10 % of an ES256 signature, SWIFT-NOTES.md). The prepared
/// context itself is never used for a signature, only copied; the copy is made under a lock because OpenSSL
/// does not promise that concurrent copies of one context are safe.
final class PreparedSignatureContext: @unchecked Sendable {
    private let context: OpaquePointer
    private let lock = Locked(())
    private let signing: Bool
    /// The EVP_PKEY, kept alive as long as the context refers to it.
    private let keyOwner: AnyObject

    /// Prepares signing (`signing`) or verifying with `key` (owned by `keyOwner`) and `digest`.
    init(signing: Bool, key: OpaquePointer, keyOwner: AnyObject, digest: OpaquePointer) throws(JWSError) {
        OpenSSLError.clearQueue()
        guard let context = EVP_MD_CTX_new() else { throw .openSSL("EVP_MD_CTX_new") }
        let ok = signing
            ? EVP_DigestSignInit(context, nil, digest, nil, key)
            : EVP_DigestVerifyInit(context, nil, digest, nil, key)
        guard ok == 1 else {
            EVP_MD_CTX_free(context)
            throw .openSSL(signing ? "EVP_DigestSignInit" : "EVP_DigestVerifyInit")
        }
        self.context = context
        self.signing = signing
        self.keyOwner = keyOwner
    }

    deinit { EVP_MD_CTX_free(context) }

    /// Signs `message`; returns what OpenSSL produces (DER for ECDSA, raw for RSA and GOST).
    func sign(_ message: [UInt8], maxSignatureLength: Int) throws(JWSError) -> [UInt8] {
        precondition(signing)
        let copy = try self.copy()
        defer { EVP_MD_CTX_free(copy) }
        var signature = [UInt8](repeating: 0, count: maxSignatureLength)
        var length = signature.count
        let ok = message.withUnsafeBufferPointer { m in
            EVP_DigestSign(copy, &signature, &length, m.baseAddress, m.count)
        }
        guard ok == 1 else { throw .openSSL("EVP_DigestSign") }
        signature.removeSubrange(length...)
        return signature
    }

    /// Whether `signature` (in OpenSSL's form) is valid for `message`.
    func verify(_ signature: [UInt8], _ message: [UInt8]) throws(JWSError) -> Bool {
        precondition(!signing)
        let copy = try self.copy()
        defer { EVP_MD_CTX_free(copy) }
        let result = signature.withUnsafeBufferPointer { s in
            message.withUnsafeBufferPointer { m in
                EVP_DigestVerify(copy, s.baseAddress, s.count, m.baseAddress, m.count)
            }
        }
        // 0 is a wrong signature; a negative result (an undecodable one) is a wrong signature too.
        OpenSSLError.clearQueue()
        return result == 1
    }

    private func copy() throws(JWSError) -> OpaquePointer {
        OpenSSLError.clearQueue()
        guard let copy = EVP_MD_CTX_new() else { throw .openSSL("EVP_MD_CTX_new") }
        let ok = lock.withLock { _ in EVP_MD_CTX_copy_ex(copy, context) }
        guard ok == 1 else {
            EVP_MD_CTX_free(copy)
            throw .openSSL("EVP_MD_CTX_copy_ex")
        }
        // The copy is used for one signature only: FINALISE lets OpenSSL skip duplicating it again at the end.
        EVP_MD_CTX_set_flags(copy, EVP_MD_CTX_FLAG_FINALISE)
        return copy
    }
}

/// JWS ES256 signatures are raw r ‖ s (RFC 7518 §3.4); OpenSSL speaks DER ECDSA-Sig-Value.
enum ECDSASignature {
    /// Bytes of each of r and s on P-256.
    static let coordinateLength = 32

    /// DER ECDSA-Sig-Value to 64 bytes r ‖ s, each left-padded with zeros.
    static func raw(fromDER der: [UInt8]) throws(JWSError) -> [UInt8] {
        OpenSSLError.clearQueue()
        let parsed = der.withUnsafeBufferPointer { buffer -> OpaquePointer? in
            var cursor = buffer.baseAddress
            return d2i_ECDSA_SIG(nil, &cursor, buffer.count)
        }
        guard let signature = parsed else { throw .openSSL("d2i_ECDSA_SIG") }
        defer { ECDSA_SIG_free(signature) }
        var r: OpaquePointer? = nil
        var s: OpaquePointer? = nil
        ECDSA_SIG_get0(signature, &r, &s)
        var out = [UInt8](repeating: 0, count: 2 * coordinateLength)
        let ok = out.withUnsafeMutableBufferPointer { buffer in
            BN_bn2binpad(r, buffer.baseAddress, Int32(coordinateLength)) == Int32(coordinateLength)
                && BN_bn2binpad(s, buffer.baseAddress! + coordinateLength, Int32(coordinateLength)) == Int32(coordinateLength)
        }
        guard ok else { throw .openSSL("BN_bn2binpad") }
        return out
    }

    /// 64 bytes r ‖ s to DER; any other length is malformed.
    static func der(fromRaw raw: [UInt8]) throws(JWSError) -> [UInt8] {
        guard raw.count == 2 * coordinateLength else {
            throw .malformed("an ES256 signature is \(2 * coordinateLength) bytes, not \(raw.count)")
        }
        OpenSSLError.clearQueue()
        guard let signature = ECDSA_SIG_new() else { throw .openSSL("ECDSA_SIG_new") }
        defer { ECDSA_SIG_free(signature) }
        let r = BN_bin2bn(raw, Int32(coordinateLength), nil)
        let s = raw.withUnsafeBufferPointer { BN_bin2bn($0.baseAddress! + coordinateLength, Int32(coordinateLength), nil) }
        guard let r, let s else {
            BN_free(r)
            BN_free(s)
            throw .openSSL("BN_bin2bn")
        }
        // set0 takes ownership of r and s.
        guard ECDSA_SIG_set0(signature, r, s) == 1 else {
            BN_free(r)
            BN_free(s)
            throw .openSSL("ECDSA_SIG_set0")
        }
        let length = i2d_ECDSA_SIG(signature, nil)
        guard length > 0 else { throw .openSSL("i2d_ECDSA_SIG") }
        var out = [UInt8](repeating: 0, count: Int(length))
        let written = out.withUnsafeMutableBufferPointer { buffer -> Int32 in
            var cursor = buffer.baseAddress
            return i2d_ECDSA_SIG(signature, &cursor)
        }
        guard written == length else { throw .openSSL("i2d_ECDSA_SIG") }
        return out
    }
}
