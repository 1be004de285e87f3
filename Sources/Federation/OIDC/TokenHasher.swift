import Crypto
import Foundation
import Support

/// Keyed hashes of the secrets the provider hands out (codes, refresh tokens, pending-request ids, browser bindings):
/// HMAC-SHA-256 under the token-hash key of the key directory, with the kind in the input so a value of one kind never
/// matches a stored hash of another. Lookups go through the hash as a primary key.
struct TokenHasher: Sendable {
    let key: [UInt8]

    func hash(_ kind: String, _ value: String) -> [UInt8] {
        HMAC.sha256(key: key, message: "openesia.\(kind).v1\u{0}\(value)")
    }

    /// A fresh secret: base64url of 32 random bytes.
    static func secret() -> String { Base64URL.encode(SecureRandom.bytes(32)) }

    /// A fresh identifier that need not be secret (grant ids, jti): base64url of 16 random bytes.
    static func identifier() -> String { Base64URL.encode(SecureRandom.bytes(16)) }

    /// The OpenID `sid` of a login session: derived from its handle under the key, so a portal holding `sid` cannot use it
    /// on the account page's "end this session" form, which takes the handle.
    func sid(sessionHandle: String) -> String {
        Base64URL.encode(hash("sid", sessionHandle).prefix(16))
    }
}

/// Milliseconds since 1970, as every Federation table stores time.
enum OAuthTime {
    static func millis(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 * 1000).rounded(.down)) }
    static func date(_ millis: Int64) -> Date { Date(timeIntervalSince1970: Double(millis) / 1000) }
    /// Whole seconds since 1970: the NumericDate of JWT claims.
    static func seconds(_ date: Date) -> Int64 { Int64(date.timeIntervalSince1970.rounded(.down)) }
}
