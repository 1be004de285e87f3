import Crypto

/// `client_certificate_hash` of the current flow: GOST R 34.11-2012 (Streebog, 256 bits) of the certificate's DER,
/// as upper-case hex in the order `openssl dgst -engine gost -md_gost12_256 cert.der` prints the bytes (ESIA-PROTOCOL
/// §5.5; whether CryptoPro's `cpverify -mk` prints the same order is not settled, so OpenESIA defines it this way).
public enum ESIACertificateHash {
    /// The 64-character upper-case hex hash of `der`; throws when the GOST engine is missing.
    public static func of(der: [UInt8]) throws -> String {
        try Digest.streebog256(der).map { byte in
            let digits = Array("0123456789ABCDEF")
            return String([digits[Int(byte >> 4)], digits[Int(byte & 0x0f)]])
        }.joined()
    }

    /// Whether `presented` names `der`: the same hex digits, in either case.
    public static func matches(_ presented: String, der: [UInt8]) -> Bool {
        guard presented.utf8.count == 64, let expected = try? of(der: der) else { return false }
        return ConstantTime.equals(Array(presented.uppercased().utf8), Array(expected.utf8))
    }
}
