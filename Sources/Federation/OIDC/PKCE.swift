import Crypto
import Support

/// Proof Key for Code Exchange (RFC 7636) with the S256 method only.
public enum PKCE {
    /// Whether `challenge` can be a S256 challenge: base64url without padding of 32 bytes, i.e. 43 characters.
    public static func isWellFormedChallenge(_ challenge: String) -> Bool {
        challenge.utf8.count == 43 && Base64URL.decode(challenge)?.count == 32
    }

    /// Whether `verifier` is 43–128 characters of `A-Z a-z 0-9 - . _ ~` (RFC 7636 §4.1).
    public static func isWellFormedVerifier(_ verifier: String) -> Bool {
        (43...128).contains(verifier.utf8.count) && verifier.utf8.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"): true
            default: false
            }
        }
    }

    /// The S256 challenge of a verifier: base64url(SHA-256(ASCII(verifier))) (RFC 7636 §4.2).
    public static func challenge(for verifier: String) -> String {
        Base64URL.encode(Digest.sha256(verifier))
    }

    /// Whether `verifier` is well formed and its S256 challenge equals `challenge`, compared in constant time (§4.6).
    public static func verify(_ verifier: String, challenge: String) -> Bool {
        guard isWellFormedVerifier(verifier) else { return false }
        return ConstantTime.equals(Array(Self.challenge(for: verifier).utf8), Array(challenge.utf8))
    }
}
