import COpenSSL

/// An OpenSSL failure: the operation that failed and the reasons OpenSSL queued for it.
public struct OpenSSLError: Error, Sendable, CustomStringConvertible {
    /// What was being done, e.g. "EVP_PKEY_generate".
    public let operation: String
    /// OpenSSL's error strings, oldest first; may be empty when OpenSSL queued nothing.
    public let reasons: [String]

    /// An error with explicit reasons (used when the failure was found by this code, not OpenSSL).
    public init(operation: String, reasons: [String]) {
        self.operation = operation
        self.reasons = reasons
    }

    /// Drains this thread's OpenSSL error queue into an error for `operation`.
    public static func drain(_ operation: String) -> OpenSSLError {
        OpenSSLError(operation: operation, reasons: drainQueue())
    }

    /// Forgets stale errors, so a failure reports only what the next call queued.
    public static func clearQueue() {
        ERR_clear_error()
    }

    /// The whole error queue of this thread as strings, leaving it empty.
    public static func drainQueue() -> [String] {
        var reasons: [String] = []
        while true {
            let code = ERR_get_error()
            if code == 0 { break }
            var buffer = [CChar](repeating: 0, count: 256)
            ERR_error_string_n(code, &buffer, buffer.count)
            reasons.append(String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
        }
        return reasons
    }

    /// "operation: reason; reason".
    public var description: String {
        reasons.isEmpty ? "\(operation) failed" : "\(operation): \(reasons.joined(separator: "; "))"
    }
}
