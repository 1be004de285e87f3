import Support

/// Makes request ids: a random per-loop prefix and a counter, unique across loops and restarts without a syscall per request.
/// Eight hex digits of prefix keep ids within Swift's 15-byte inline strings for the first 16 million requests of a loop,
/// so making one allocates nothing.
struct RequestIDGenerator {
    private let prefix: String
    private var counter: UInt64 = 0

    init() {
        prefix = Hex.encode(SecureRandom.bytes(4))
    }

    mutating func next() -> String {
        counter &+= 1
        return prefix + "-" + String(counter, radix: 16)
    }

    /// Accepts a caller's id (from a proxy) only when it is short and plain, so it cannot forge log lines.
    static func isAcceptable(_ id: String) -> Bool {
        let bytes = id.utf8
        guard (1...64).contains(bytes.count) else { return false }
        return bytes.allSatisfy { b in
            (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == 0x2D || b == 0x2E || b == 0x5F
        }
    }
}
