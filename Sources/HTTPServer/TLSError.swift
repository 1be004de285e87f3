import COpenSSL

/// Why a TLS context could not be built or a TLS connection failed. Never carries key material.
public enum TLSError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A certificate, key or CA file could not be loaded, or the context or session could not be set up.
    case configuration(String)
    /// The peer's certificate failed verification (chain, validity or hostname); OpenSSL's verify result text.
    case verification(String)
    /// The TLS protocol failed (unsupported version, bad record, alert from the peer...); OpenSSL's reasons.
    case protocolFailure(String)
    /// The socket failed under TLS; the errno value.
    case system(Int32)
    /// The peer closed the connection while there was still something to write.
    case closed

    /// A readable one-line explanation.
    public var description: String {
        switch self {
        case .configuration(let text): "TLS configuration: \(text)"
        case .verification(let text): "TLS peer verification failed: \(text)"
        case .protocolFailure(let text): "TLS protocol failure: \(text)"
        case .system(let code): "TLS socket error: errno \(code)"
        case .closed: "TLS connection closed by the peer"
        }
    }

    /// Drains this thread's OpenSSL error queue into one string of reasons ("unsupported protocol; ...").
    /// HTTPServer does not depend on Crypto, so it keeps this small copy of OpenSSLError's queue reading.
    static func drainReasons() -> String {
        var reasons: [String] = []
        while true {
            let code = ERR_get_error()
            if code == 0 { break }
            if let reason = ERR_reason_error_string(code) {
                reasons.append(String(cString: reason))
            } else {
                var buffer = [CChar](repeating: 0, count: 256)
                ERR_error_string_n(code, &buffer, buffer.count)
                reasons.append(String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
            }
        }
        return reasons.isEmpty ? "unknown error" : reasons.joined(separator: "; ")
    }
}
