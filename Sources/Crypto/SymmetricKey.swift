import COpenSSL

/// A 256-bit secret key (AES-256-GCM data keys, HMAC keys); its description never shows the bytes.
public struct SymmetricKey: Sendable, Equatable, CustomStringConvertible, CustomReflectable {
    /// The key length in bytes.
    public static let byteCount = 32

    /// The raw key, exactly 32 bytes; handle as a secret.
    public let bytes: [UInt8]

    /// Wraps existing key bytes; throws `.invalidKey` unless there are exactly 32.
    public init(bytes: [UInt8]) throws(CryptoError) {
        guard bytes.count == Self.byteCount else {
            throw CryptoError(code: .invalidKey, message: "a key must be \(Self.byteCount) bytes, not \(bytes.count)")
        }
        self.bytes = bytes
    }

    /// A fresh key from OpenSSL's CSPRNG (RAND_bytes).
    public static func random() -> SymmetricKey {
        SymmetricKey(unchecked: randomBytes(byteCount))
    }

    private init(unchecked bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// Constant-time comparison, so comparing keys leaks nothing about where they differ.
    public static func == (a: SymmetricKey, b: SymmetricKey) -> Bool {
        ConstantTime.equals(a.bytes, b.bytes)
    }

    /// "SymmetricKey(32 bytes)": safe to log.
    public var description: String { "SymmetricKey(\(bytes.count) bytes)" }

    /// An empty mirror, so `dump` and test failure messages cannot print the bytes either.
    public var customMirror: Mirror { Mirror(self, children: [:]) }
}

/// `count` bytes from OpenSSL's CSPRNG (RAND_bytes), for keys, nonces and salts.
func randomBytes(_ count: Int) -> [UInt8] {
    var bytes = [UInt8](repeating: 0, count: count)
    // Without randomness no key, nonce or salt can be made safely; stopping is the only safe answer.
    guard RAND_bytes(&bytes, Int32(count)) == 1 else {
        fatalError("RAND_bytes failed: \(OpenSSLError.drainQueue())")
    }
    return bytes
}
