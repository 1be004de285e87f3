/// Why a development CA command did nothing (each command changes nothing when it throws).
public struct DevCAError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What kind of failure this is; `openesia` turns it into an exit status.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Value: String { case alreadyExists, notFound, invalidInput, inconsistent, fileSystem, crypto }
        private let value: Value

        /// The output exists already: a CA folder's ca.key, or a certificate's files.
        public static let alreadyExists = Code(value: .alreadyExists)
        /// A CA folder or an input file does not exist.
        public static let notFound = Code(value: .notFound)
        /// A value given is wrong: a bad SNILS or INN checksum, a certificate of another CA, a revoked certificate revoked again.
        public static let invalidInput = Code(value: .invalidInput)
        /// A CA folder's files do not fit together or cannot be read as what they should be.
        public static let inconsistent = Code(value: .inconsistent)
        /// Creating, reading or writing a file failed.
        public static let fileSystem = Code(value: .fileSystem)
        /// OpenSSL failed (key generation, signing), e.g. the GOST engine is not installed.
        public static let crypto = Code(value: .crypto)

        /// The code's name.
        public var description: String { value.rawValue }
    }

    /// The kind of failure.
    public let code: Code
    /// What went wrong, for a person to read.
    public let message: String

    /// Makes an error.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// Equality compares the code only.
    public static func == (a: DevCAError, b: DevCAError) -> Bool { a.code == b.code }

    /// The message.
    public var description: String { message }
}
