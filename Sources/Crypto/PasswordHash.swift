import Foundation
import Support

/// scrypt password hashes in the self-describing format
/// `$scrypt$ln=15,r=8,p=1$<base64url salt (16 bytes)>$<base64url hash (32 bytes)>`.
///
/// Each call blocks its thread for the whole scrypt computation and is bounded by `Scrypt`'s
/// process-wide limiter: call from a worker thread, not Swift concurrency's cooperative pool.
public enum PasswordHash {
    /// Salt length in bytes.
    public static let saltByteCount = 16
    /// Hash length in bytes.
    public static let hashByteCount = 32

    /// Hashes `password` (NFC-normalised UTF-8) with a fresh random salt; throws for out-of-bounds parameters.
    public static func make(password: String, parameters: ScryptParameters) throws(CryptoError) -> String {
        try parameters.check()
        let salt = randomBytes(saltByteCount)
        let hash = try Scrypt.derive(password: normalized(password), salt: salt, parameters: parameters, length: hashByteCount)
        return "$scrypt$\(parameters)$\(Base64URL.encode(salt))$\(Base64URL.encode(hash))"
    }

    /// Whether `password` matches the stored hash, compared in constant time. A wrong password is
    /// `false`; only a malformed stored string or out-of-bounds parameters throw.
    public static func verify(password: String, encoded: String) throws(CryptoError) -> Bool {
        let stored = try parse(encoded)
        let hash = try Scrypt.derive(password: normalized(password), salt: stored.salt, parameters: stored.parameters, length: hashByteCount)
        return ConstantTime.equals(hash, stored.hash)
    }

    /// The parameters a stored hash was made with, or nil if it is malformed; lets login rehash
    /// when the configured cost has risen.
    public static func parameters(of encoded: String) -> ScryptParameters? {
        try? parse(encoded).parameters
    }

    /// The same password typed as composed or decomposed characters (keyboards and systems differ)
    /// must give the same bytes: NFC, then UTF-8.
    private static func normalized(_ password: String) -> [UInt8] {
        Array(password.precomposedStringWithCanonicalMapping.utf8)
    }

    /// Splits and checks a stored hash strictly: exact prefix, parameter order, decimal numbers,
    /// bounds, base64url without padding, and the exact salt and hash lengths.
    private static func parse(_ encoded: String) throws(CryptoError) -> (parameters: ScryptParameters, salt: [UInt8], hash: [UInt8]) {
        func malformed(_ why: String) -> CryptoError {
            // The stored string is not echoed: it is a secret-derived value.
            CryptoError(code: .malformedInput, message: "malformed scrypt password hash: \(why)")
        }
        let fields = encoded.split(separator: "$", omittingEmptySubsequences: false)
        guard fields.count == 5, fields[0].isEmpty, fields[1] == "scrypt" else {
            throw malformed("expected $scrypt$ln=…,r=…,p=…$salt$hash")
        }
        let settings = fields[2].split(separator: ",", omittingEmptySubsequences: false)
        guard settings.count == 3,
              let logN = number(settings[0], named: "ln"),
              let r = number(settings[1], named: "r"),
              let p = number(settings[2], named: "p") else {
            throw malformed("parameters must be ln=N,r=N,p=N")
        }
        let parameters = ScryptParameters(logN: logN, r: r, p: p)
        try parameters.check()
        guard let salt = Base64URL.decode(String(fields[3])), salt.count == saltByteCount else {
            throw malformed("salt must be \(saltByteCount) bytes of base64url")
        }
        guard let hash = Base64URL.decode(String(fields[4])), hash.count == hashByteCount else {
            throw malformed("hash must be \(hashByteCount) bytes of base64url")
        }
        return (parameters, salt, hash)
    }

    /// `name=digits` → the number; at most 3 digits and no sign, so parsing itself cannot overflow.
    private static func number(_ setting: Substring, named name: String) -> Int? {
        guard setting.hasPrefix(name + "=") else { return nil }
        let digits = setting.dropFirst(name.count + 1)
        guard (1...3).contains(digits.count), digits.allSatisfy({ ("0"..."9").contains($0) }) else { return nil }
        return Int(digits)
    }
}
