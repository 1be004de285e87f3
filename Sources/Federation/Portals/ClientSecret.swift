import Crypto
import Support

/// Client secrets: 32 random bytes shown once as base64url, stored only as a keyed hash.
///
/// A fast keyed hash is enough: the secret is 256 random bits, so there is nothing to guess and nothing for a slow
/// password hash (scrypt) to protect, while token requests check a secret each time. The MAC's key is the
/// client-secret key of the key directory (a stolen database alone checks nothing), and the client id is part of
/// the MAC input, so one portal's stored hash never matches another portal's secret.
public enum ClientSecret {
    /// Random bytes per secret (256 bits).
    public static let byteCount = 32
    /// No presented secret longer than this is hashed: a real one is 43 characters.
    static let maxPresentedLength = 256

    /// A fresh secret: base64url without padding of 32 random bytes (43 characters).
    public static func generate() -> String {
        Base64URL.encode(SecureRandom.bytes(byteCount))
    }

    /// HMAC-SHA-256 under `key` of `openesia.client-secret.v1 NUL <client id> NUL <secret>`.
    public static func hash(clientID: String, secret: String, key: SymmetricKey) -> [UInt8] {
        HMAC.sha256(key: key.bytes, message: "openesia.client-secret.v1\u{0}\(clientID)\u{0}\(secret)")
    }

    /// Whether `presented` hashes to one of `stored` (the current hash, and the previous one in its grace period) for
    /// this client. Hashes once and compares with every stored hash in constant time, without stopping at a match.
    public static func matches(_ presented: String, clientID: String, anyOf stored: [[UInt8]], key: SymmetricKey) -> Bool {
        // The length of what was sent is no secret: an over-long value is refused without hashing megabytes.
        guard presented.utf8.count <= maxPresentedLength else { return false }
        let presentedHash = hash(clientID: clientID, secret: presented, key: key)
        var matched = false
        for candidate in stored where ConstantTime.equals(presentedHash, candidate) { matched = true }
        return matched
    }
}
