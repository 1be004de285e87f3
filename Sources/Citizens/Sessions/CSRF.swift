import Crypto
import Support

/// Cross-site request forgery tokens for HTML forms, as pure functions.
///
/// Logged-in forms carry a token derived from the session token, so it is bound to that session and
/// needs no storage. Forms shown before login (the login form itself) use double-submit: a random value
/// in a cookie and the same value in a hidden field. Set that cookie with the `__Host-` prefix, so a
/// sibling subdomain cannot plant its own value.
public enum CSRF {
    /// The token for a session's forms: base64url(HMAC-SHA-256(hashKey, "csrf:" + sessionToken)).
    /// Session tokens are base64url, which has no ':', so this never equals a session's token hash.
    public static func token(hashKey: [UInt8], sessionToken: String) -> String {
        Base64URL.encode(HMAC.sha256(key: hashKey, message: "csrf:" + sessionToken))
    }

    /// Whether `submitted` is the token of `sessionToken`, compared in constant time.
    public static func verify(_ submitted: String, hashKey: [UInt8], sessionToken: String) -> Bool {
        guard SessionToken.isWellFormed(sessionToken) else { return false }
        return ConstantTime.equals(Array(submitted.utf8), Array(token(hashKey: hashKey, sessionToken: sessionToken).utf8))
    }

    /// A fresh random value for the anonymous double-submit cookie and its hidden field (base64url, 32 bytes).
    public static func newAnonymousToken() -> String {
        Base64URL.encode(SecureRandom.bytes(32))
    }

    /// Whether the form's value equals the cookie's, in constant time; both must be well-formed,
    /// so two missing (empty) values never match.
    public static func verifyAnonymous(cookie: String?, submitted: String?) -> Bool {
        guard let cookie, let submitted, SessionToken.isWellFormed(cookie) else { return false }
        return ConstantTime.equals(Array(submitted.utf8), Array(cookie.utf8))
    }
}

/// The shape of the random tokens this part hands out: base64url of 32 bytes, 43 characters.
enum SessionToken {
    static let length = 43

    static func generate() -> String { Base64URL.encode(SecureRandom.bytes(32)) }

    /// Checked before any hashing or database access, so junk costs nothing.
    static func isWellFormed(_ token: String) -> Bool {
        let bytes = token.utf8
        guard bytes.count == length else { return false }
        return bytes.allSatisfy { c in
            (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39) || c == 0x2d || c == 0x5f
        }
    }
}
