import COpenSSL

/// Comparisons whose time does not depend on where secret bytes differ.
public enum ConstantTime {
    /// True when `a` and `b` are equal; false on a length mismatch (the length itself is not secret).
    public static func equals(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        if a.isEmpty { return true }
        return a.withUnsafeBytes { x in
            b.withUnsafeBytes { y in CRYPTO_memcmp(x.baseAddress, y.baseAddress, x.count) == 0 }
        }
    }
}
