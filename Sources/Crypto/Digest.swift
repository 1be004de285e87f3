import COpenSSL

/// One-shot SHA-2 (and Streebog) digests through OpenSSL's EVP interface.
public enum Digest {
    /// SHA-256 of `bytes` (32 bytes).
    public static func sha256(_ bytes: [UInt8]) -> [UInt8] { digest(bytes, EVP_sha256()) }
    /// SHA-384 of `bytes` (48 bytes).
    public static func sha384(_ bytes: [UInt8]) -> [UInt8] { digest(bytes, EVP_sha384()) }
    /// SHA-512 of `bytes` (64 bytes).
    public static func sha512(_ bytes: [UInt8]) -> [UInt8] { digest(bytes, EVP_sha512()) }

    /// SHA-256 of the UTF-8 bytes of `text`.
    public static func sha256(_ text: String) -> [UInt8] { sha256(Array(text.utf8)) }
    /// SHA-384 of the UTF-8 bytes of `text`.
    public static func sha384(_ text: String) -> [UInt8] { sha384(Array(text.utf8)) }
    /// SHA-512 of the UTF-8 bytes of `text`.
    public static func sha512(_ text: String) -> [UInt8] { sha512(Array(text.utf8)) }

    /// GOST R 34.11-2012 (Streebog) with a 256-bit result, through the GOST engine (`md_gost12_256`). The bytes are in
    /// OpenSSL's order, the order `openssl dgst -md_gost12_256` prints. Throws when the engine is not installed.
    public static func streebog256(_ bytes: [UInt8]) throws -> [UInt8] {
        try GOSTEngine.load()
        guard let type = EVP_get_digestbyname("md_gost12_256") else {
            throw CryptoError(code: .openSSL, message: OpenSSLError.drain("EVP_get_digestbyname(md_gost12_256)").description)
        }
        return digest(bytes, type)
    }

    private static func digest(_ bytes: [UInt8], _ type: OpaquePointer?) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        let ok = bytes.withUnsafeBytes { input in
            EVP_Digest(input.baseAddress, input.count, &out, &length, type, nil)
        }
        // Only allocation failure or a disabled algorithm can make this fail; neither is recoverable here.
        precondition(ok == 1, "EVP_Digest failed: \(OpenSSLError.drainQueue())")
        return Array(out.prefix(Int(length)))
    }
}
