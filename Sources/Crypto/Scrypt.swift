import COpenSSL
import Foundation
import Synchronization

/// The cost of an scrypt hash; stored with every password hash so the cost can rise later.
public struct ScryptParameters: Sendable, Equatable, Codable, CustomStringConvertible {
    /// log2 of N, the CPU/memory cost.
    public var logN: Int
    /// The block size.
    public var r: Int
    /// The parallelisation factor.
    public var p: Int

    /// Accepted `logN`: below 10 is too cheap to be worth storing, above 22 (4 GiB at r=8) would let a
    /// tampered stored hash or config make the server allocate gigabytes.
    public static let logNBounds = 10...22
    /// Accepted `r`.
    public static let rBounds = 1...32
    /// Accepted `p`.
    public static let pBounds = 1...16

    /// N=32768, r=8, p=1: about 32 MiB and 100 ms per hash on this project's machines.
    public static let standard = ScryptParameters(logN: 15, r: 8, p: 1)

    /// Makes parameters; `check()` tells whether they are within bounds.
    public init(logN: Int, r: Int, p: Int) {
        self.logN = logN
        self.r = r
        self.p = p
    }

    /// Decodes and checks the bounds, so a config file cannot ask for gigabytes either.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(logN: try container.decode(Int.self, forKey: .logN),
                  r: try container.decode(Int.self, forKey: .r),
                  p: try container.decode(Int.self, forKey: .p))
        do {
            try check()
        } catch {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: error.message))
        }
    }

    /// N = 2^logN.
    public var n: Int { 1 << logN }

    /// What scrypt allocates, as OpenSSL counts it (128·r·(N+2) + 128·r·p), plus 1 MiB of margin;
    /// passed as `maxmem`, whose 32 MiB default would refuse the standard parameters.
    public var memoryBytes: Int { 128 * r * (n + 2) + 128 * r * p + (1 << 20) }

    /// Throws `.parametersOutOfBounds` unless logN, r and p are all within their bounds.
    public func check() throws(CryptoError) {
        guard Self.logNBounds.contains(logN), Self.rBounds.contains(r), Self.pBounds.contains(p) else {
            throw CryptoError(code: .parametersOutOfBounds,
                              message: "scrypt parameters \(self) outside ln=\(Self.logNBounds), r=\(Self.rBounds), p=\(Self.pBounds)")
        }
    }

    /// "ln=15,r=8,p=1", as in the stored hash format.
    public var description: String { "ln=\(logN),r=\(r),p=\(p)" }
}

/// scrypt (RFC 7914) through OpenSSL, with a process-wide bound on how many run at once.
public enum Scrypt {
    /// How many derivations may run at the same time: one per processor. scrypt is CPU- and
    /// memory-bound, so more at once cannot finish sooner; each would only hold its 32 MiB longer.
    public static let maximumConcurrent = max(1, ProcessInfo.processInfo.activeProcessorCount)

    /// Derives `length` bytes from `password` and `salt` with checked parameters.
    ///
    /// Blocks the calling thread for the whole computation (about 100 ms at `.standard`), and longer
    /// while `maximumConcurrent` others run: call it from a dedicated thread or worker pool, not from
    /// Swift concurrency's cooperative pool.
    public static func derive(password: [UInt8], salt: [UInt8], parameters: ScryptParameters, length: Int) throws(CryptoError) -> [UInt8] {
        try parameters.check()
        return try derive(password: password, salt: salt, n: UInt64(parameters.n), r: UInt64(parameters.r),
                          p: UInt64(parameters.p), maxmem: UInt64(parameters.memoryBytes), length: length)
    }

    /// The raw KDF with any N (a power of two > 1), for the RFC 7914 test vectors whose N is below
    /// the stored-hash bounds. Goes through the same limiter.
    package static func derive(password: [UInt8], salt: [UInt8], n: UInt64, r: UInt64, p: UInt64,
                               maxmem: UInt64 = 0, length: Int) throws(CryptoError) -> [UInt8] {
        precondition(length > 0)
        // 0 = work it out: OpenSSL's own count (128·r·(N+2) + 128·r·p) plus 1 MiB.
        let maxmem = maxmem > 0 ? maxmem : 128 * r * (n + 2) + 128 * r * p + (1 << 20)
        // Empty arrays may have no base address; a one-byte buffer gives OpenSSL a valid pointer
        // while the length passed stays 0.
        let passwordBuffer = password.isEmpty ? [UInt8(0)] : password
        let saltBuffer = salt.isEmpty ? [UInt8(0)] : salt
        var out = [UInt8](repeating: 0, count: length)
        limiter.wait()
        let ok = passwordBuffer.withUnsafeBufferPointer { pw in
            saltBuffer.withUnsafeBufferPointer { s in
                pw.baseAddress!.withMemoryRebound(to: CChar.self, capacity: pw.count) { pwChars in
                    OpenSSLError.clearQueue()
                    return EVP_PBE_scrypt(pwChars, password.count, s.baseAddress, salt.count, n, r, p, maxmem, &out, length)
                }
            }
        }
        limiter.signal()
        guard ok == 1 else { throw CryptoError.openSSL("EVP_PBE_scrypt") }
        return out
    }

    /// The counting semaphore bounding concurrent derivations (see `maximumConcurrent`).
    private static let limiter = Limiter(maximumConcurrent)

    /// The most derivations that ran at the same time since the process started; for tests of the limiter.
    package static var peakConcurrent: Int { limiter.peak }

    /// A counting semaphore (DispatchSemaphore) that also counts how many hold it, for `peakConcurrent`.
    private final class Limiter: Sendable {
        private let semaphore: DispatchSemaphore
        private let counts = Mutex((running: 0, peak: 0))

        init(_ limit: Int) {
            semaphore = DispatchSemaphore(value: limit)
        }

        var peak: Int { counts.withLock { $0.peak } }

        func wait() {
            semaphore.wait()
            counts.withLock { $0.running += 1; $0.peak = max($0.peak, $0.running) }
        }

        func signal() {
            counts.withLock { $0.running -= 1 }
            semaphore.signal()
        }
    }
}
