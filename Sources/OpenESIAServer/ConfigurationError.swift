/// One thing wrong with the configuration, named by where it is.
public struct ConfigurationProblem: Sendable, Equatable, CustomStringConvertible {
    /// A dotted key ("http.port"), an environment variable ("OPENESIA_HTTP_PORT") or a file path.
    public let key: String
    /// What is wrong, for a person to read.
    public let message: String

    /// Makes a problem.
    public init(key: String, message: String) {
        self.key = key
        self.message = message
    }

    /// "key: message".
    public var description: String { "\(key): \(message)" }
}

/// The configuration cannot be used; lists every problem found, not only the first.
public struct ConfigurationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What kind of failure this is.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Value: String { case fileNotFound, unreadableFile, syntax, invalid }
        private let value: Value

        /// The config file does not exist.
        public static let fileNotFound = Code(value: .fileNotFound)
        /// The config file exists but could not be read.
        public static let unreadableFile = Code(value: .unreadableFile)
        /// The config file is not valid JSON.
        public static let syntax = Code(value: .syntax)
        /// Keys or values are wrong; see `problems`.
        public static let invalid = Code(value: .invalid)

        /// The code's name.
        public var description: String { value.rawValue }
    }

    /// The kind of failure.
    public let code: Code
    /// Every problem, each naming its key, variable or file.
    public let problems: [ConfigurationProblem]

    /// Makes an error.
    public init(code: Code, problems: [ConfigurationProblem]) {
        self.code = code
        self.problems = problems
    }

    /// Equality compares the code only, as for every error type in the project.
    public static func == (a: ConfigurationError, b: ConfigurationError) -> Bool { a.code == b.code }

    /// One line per problem.
    public var description: String { problems.map(\.description).joined(separator: "\n") }
}
