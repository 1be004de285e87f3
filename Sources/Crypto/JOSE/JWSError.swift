/// Why a JWS or JWK was refused, or could not be made.
public struct JWSError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What kind of failure this is.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Value: String {
            case malformed, tooLarge, unsecured, unsupportedAlgorithm, criticalHeader, invalidHeader
            case keyMismatch, invalidSignature, invalidKey, openSSL
        }
        private let value: Value

        /// Not compact serialization: wrong number of parts, bad base64url, a header that is not a JSON object,
        /// a missing or non-string `alg`, a signature of the wrong length.
        public static let malformed = Code(value: .malformed)
        /// Larger than `JWS.maxCompactLength`.
        public static let tooLarge = Code(value: .tooLarge)
        /// `alg: none` (RFC 7518 §3.6): an unsecured JWS is never accepted.
        public static let unsecured = Code(value: .unsecured)
        /// An algorithm outside `JWSAlgorithm`, such as HS256.
        public static let unsupportedAlgorithm = Code(value: .unsupportedAlgorithm)
        /// A `crit` header parameter (RFC 7515 §4.1.11): no extension is understood here, so it is refused.
        public static let criticalHeader = Code(value: .criticalHeader)
        /// A header parameter that is not allowed or has the wrong type (for signing: `alg`, `kid` or `crit` in the extras).
        public static let invalidHeader = Code(value: .invalidHeader)
        /// The key does not fit the algorithm (family, curve or size), or the token's `alg` is not the one expected.
        public static let keyMismatch = Code(value: .keyMismatch)
        /// The signature does not verify.
        public static let invalidSignature = Code(value: .invalidSignature)
        /// A JWK that is malformed, holds private members, or is not a usable public key.
        public static let invalidKey = Code(value: .invalidKey)
        /// An OpenSSL call failed for a reason other than the above.
        public static let openSSL = Code(value: .openSSL)

        /// The code's name.
        public var description: String { value.rawValue }
    }

    /// The kind of failure.
    public let code: Code
    /// What went wrong, for logs; never contains key material or token contents.
    public let message: String

    /// Makes an error.
    public init(code: Code, message: String) {
        self.code = code
        self.message = message
    }

    /// Equality compares the code only.
    public static func == (a: JWSError, b: JWSError) -> Bool { a.code == b.code }

    /// The code and message.
    public var description: String { "\(code): \(message)" }

    static func malformed(_ message: String) -> JWSError { JWSError(code: .malformed, message: message) }

    static func openSSL(_ operation: String) -> JWSError {
        JWSError(code: .openSSL, message: OpenSSLError.drain(operation).description)
    }
}
