import COpenSSL

/// The JWS signature algorithms the service makes and accepts (RFC 7518 §3.1 names, plus ESIA's GOST name).
///
/// Anything else, `none` and the HMAC algorithms included, is refused when parsing: tokens are only ever
/// verified with public keys, and an algorithm list kept this short leaves no room for algorithm confusion.
public enum JWSAlgorithm: String, Sendable, CaseIterable {
    /// ECDSA on P-256 with SHA-256; the signature is raw r ‖ s, 32 bytes each (RFC 7518 §3.4).
    case es256 = "ES256"
    /// RSASSA-PKCS1-v1_5 with SHA-256, keys of 2048 bits or more (RFC 7518 §3.3).
    case rs256 = "RS256"
    /// GOST R 34.10-2012 (256-bit key) over a Streebog-256 digest, as ESIA names it in its JWT header. The signature
    /// is the 64 bytes the GOST engine produces (s ‖ r, big-endian), the layout ESIA's tokens use
    /// (ESIA-PROTOCOL.md §5.4 and §6.2): `openssl dgst -md_gost12_256 -verify` accepts it as is.
    case gost3410_2012_256 = "GOST3410_2012_256"

    /// The key family a key for this algorithm must have.
    public var keyFamily: KeyFamily {
        switch self {
        case .es256: .ecdsa
        case .rs256: .rsa
        case .gost3410_2012_256: .gost2012_256
        }
    }

    /// The algorithm a key of this family signs with, if there is one.
    public static func `for`(_ family: KeyFamily) -> JWSAlgorithm? {
        allCases.first { $0.keyFamily == family }
    }

    /// The message digest, fetched the legacy way so the GOST engine's Streebog is found by name.
    func digest() throws(JWSError) -> OpaquePointer {
        switch self {
        case .es256, .rs256:
            return EVP_sha256()
        case .gost3410_2012_256:
            do { try GOSTEngine.load() } catch { throw JWSError(code: .openSSL, message: String(describing: error)) }
            OpenSSLError.clearQueue()
            guard let digest = EVP_get_digestbyname("md_gost12_256") else {
                throw JWSError(code: .openSSL, message: OpenSSLError.drain("EVP_get_digestbyname(md_gost12_256)").description)
            }
            return digest
        }
    }

    /// Throws `.keyMismatch` unless `key` may be used with this algorithm: the right family, P-256 for ES256,
    /// at least 2048 bits for RS256 (RFC 7518 §3.3), a 256-bit GOST key for GOST3410_2012_256.
    func check(key: OpaquePointer) throws(JWSError) {
        let family = KeyFamily(key: key)
        guard family == keyFamily else {
            throw JWSError(code: .keyMismatch, message: "\(rawValue) needs a \(keyFamily.rawValue) key, not \(family.rawValue)")
        }
        switch self {
        case .es256:
            guard Self.groupName(key) == "prime256v1" else {
                throw JWSError(code: .keyMismatch, message: "ES256 needs a P-256 key, not \(Self.groupName(key) ?? "an unknown curve")")
            }
        case .rs256:
            let bits = Int(EVP_PKEY_get_bits(key))
            guard bits >= 2048 else { throw JWSError(code: .keyMismatch, message: "RS256 needs an RSA key of 2048 bits or more, not \(bits)") }
        case .gost3410_2012_256:
            break
        }
    }

    /// The curve name of an EC key ("prime256v1" for P-256).
    static func groupName(_ key: OpaquePointer) -> String? {
        var buffer = [CChar](repeating: 0, count: 80)
        var length = 0
        guard EVP_PKEY_get_utf8_string_param(key, "group", &buffer, buffer.count, &length) == 1 else {
            OpenSSLError.clearQueue()
            return nil
        }
        return String(decoding: buffer.prefix(length).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
