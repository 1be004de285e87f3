/// Why a symmetric-crypto, password-hash or key-file operation failed.
public struct CryptoError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What kind of failure this is.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Value: String {
            case invalidKey, authenticationFailed, malformedInput, parametersOutOfBounds
            case keyFile, alreadyExists, fileSystem, openSSL
        }
        private let value: Value

        /// A key of the wrong length or encoding.
        public static let invalidKey = Code(value: .invalidKey)
        /// Sealed data failed authentication: wrong key, wrong associated data, or altered bytes.
        public static let authenticationFailed = Code(value: .authenticationFailed)
        /// Input that is not in the expected format (too short sealed data, a malformed stored hash).
        public static let malformedInput = Code(value: .malformedInput)
        /// scrypt parameters outside the accepted bounds.
        public static let parametersOutOfBounds = Code(value: .parametersOutOfBounds)
        /// A key file (or the data key directory) is missing or malformed.
        public static let keyFile = Code(value: .keyFile)
        /// A key file that would be created already exists; nothing is overwritten.
        public static let alreadyExists = Code(value: .alreadyExists)
        /// Creating, writing or renaming a file or folder failed.
        public static let fileSystem = Code(value: .fileSystem)
        /// An OpenSSL call failed for a reason other than the above.
        public static let openSSL = Code(value: .openSSL)

        /// The code's name.
        public var description: String { value.rawValue }
    }

    /// The kind of failure.
    public let code: Code
    /// What went wrong, for a person to read; never contains key bytes.
    public let message: String

    /// Makes an error.
    public init(code: Code, message: String) {
        self.code = code
        self.message = message
    }

    /// An `.openSSL` error carrying this thread's OpenSSL error queue.
    static func openSSL(_ operation: String) -> CryptoError {
        CryptoError(code: .openSSL, message: OpenSSLError.drain(operation).description)
    }

    /// Equality compares the code only.
    public static func == (a: CryptoError, b: CryptoError) -> Bool { a.code == b.code }

    /// The code and message.
    public var description: String { "\(code): \(message)" }
}
