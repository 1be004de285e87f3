import COpenSSL

/// HMAC through OpenSSL's EVP_MAC interface.
public enum HMAC {
    /// HMAC-SHA-256 of `message` under `key` (32 bytes).
    public static func sha256(key: [UInt8], message: [UInt8]) -> [UInt8] {
        compute(digestName: "SHA256", key: key, message: message)
    }

    /// HMAC-SHA-256 of the UTF-8 bytes of `message` under `key`.
    public static func sha256(key: [UInt8], message: String) -> [UInt8] {
        sha256(key: key, message: Array(message.utf8))
    }

    /// HMAC-SHA-1 of `message` under `key` (20 bytes); only for protocols that fix SHA-1, such as TOTP (RFC 6238).
    public static func sha1(key: [UInt8], message: [UInt8]) -> [UInt8] {
        compute(digestName: "SHA1", key: key, message: message)
    }

    /// HMAC-SHA-512 of `message` under `key` (64 bytes).
    public static func sha512(key: [UInt8], message: [UInt8]) -> [UInt8] {
        compute(digestName: "SHA512", key: key, message: message)
    }

    /// The fetched "HMAC" algorithm, fetched once: EVP_MAC objects are reference counted and shareable.
    private final class Algorithm: @unchecked Sendable {
        let mac: OpaquePointer
        init() {
            guard let mac = EVP_MAC_fetch(nil, "HMAC", nil) else {
                fatalError("EVP_MAC_fetch(HMAC) failed: \(OpenSSLError.drainQueue())")
            }
            self.mac = mac
        }
    }
    private static let algorithm = Algorithm()

    private static func compute(digestName: String, key: [UInt8], message: [UInt8]) -> [UInt8] {
        guard let context = EVP_MAC_CTX_new(algorithm.mac) else {
            fatalError("EVP_MAC_CTX_new failed: \(OpenSSLError.drainQueue())")
        }
        defer { EVP_MAC_CTX_free(context) }
        // OSSL_PARAM keeps raw pointers to the key name and value: both C strings live in these
        // arrays for the whole computation, not in temporaries freed after one call.
        var paramName = Array("digest".utf8CString)
        var paramValue = Array(digestName.utf8CString)
        // HMAC with an empty key is valid, but OpenSSL needs a non-null pointer to set it.
        let keyBytes = key.isEmpty ? [UInt8(0)] : key
        var out = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length = 0
        let ok = paramName.withUnsafeMutableBufferPointer { name in
            paramValue.withUnsafeMutableBufferPointer { value in
                var params = [
                    OSSL_PARAM_construct_utf8_string(name.baseAddress, value.baseAddress, 0),
                    OSSL_PARAM_construct_end(),
                ]
                return keyBytes.withUnsafeBufferPointer { k in
                    message.withUnsafeBytes { m in
                        guard EVP_MAC_init(context, k.baseAddress, key.count, &params) == 1 else { return false }
                        guard EVP_MAC_update(context, m.baseAddress?.assumingMemoryBound(to: UInt8.self), m.count) == 1 else { return false }
                        return EVP_MAC_final(context, &out, &length, out.count) == 1
                    }
                }
            }
        }
        // Only allocation failure or a disabled digest can make this fail; neither is recoverable here.
        precondition(ok, "HMAC failed: \(OpenSSLError.drainQueue())")
        return Array(out.prefix(length))
    }
}
