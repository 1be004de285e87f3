import CLinuxSys
import Glibc

/// Bytes from the kernel's CSPRNG (getrandom), which blocks only before the pool is first seeded.
public enum SecureRandom {
    /// Returns `count` random bytes.
    public static func bytes(_ count: Int) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: count)
        out.withUnsafeMutableBytes { fill($0) }
        return out
    }

    /// Fills a buffer with random bytes.
    public static func fill(_ buffer: UnsafeMutableRawBufferPointer) {
        var filled = 0
        while filled < buffer.count {
            let n = getrandom(buffer.baseAddress! + filled, buffer.count - filled, 0)
            if n < 0 {
                if errno == EINTR { continue }
                // Without randomness nothing secure can be done; stopping is the only safe answer.
                fatalError("getrandom failed: errno \(errno)")
            }
            filled += n
        }
    }

    /// A uniformly random integer in `0..<upperBound`, without modulo bias.
    public static func uniform(_ upperBound: UInt32) -> UInt32 {
        precondition(upperBound > 0)
        let limit = UInt32.max - UInt32.max % upperBound
        while true {
            var value: UInt32 = 0
            withUnsafeMutableBytes(of: &value) { fill($0) }
            if value < limit { return value % upperBound }
        }
    }
}
