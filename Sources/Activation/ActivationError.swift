/// Why an activation operation was refused. Facts about the domain only; the server maps them to pages and statuses.
public struct ActivationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What went wrong.
    public enum Code: Sendable, Equatable {
        /// The citizen, letter or code does not exist.
        case notFound
        /// Only citizens at the standard level may ask for a code: not yet standard, or already confirmed.
        case levelNotStandard
        /// The typed text is not a code: wrong length or a character outside the alphabet. Counts as no attempt.
        case malformedCode
        /// The code is wrong; this many entries are left before it dies.
        case wrongCode(attemptsLeft: Int)
        /// The code has expired; a new one must be requested.
        case expiredCode
        /// Five wrong entries: the code is dead and a new one must be requested.
        case codeExhausted
        /// There is no live code to enter (none issued, used, returned letter, replaced or cancelled).
        case noActiveCode
        /// Too many failures from this account or address; try again after this many seconds.
        case throttled(retryAfterSeconds: Int)
        /// `LetterLimit.letters` letters were printed for this citizen within `LetterLimit.days` days (each costs a
        /// registered letter); another may be ordered after this many seconds, or the identity confirmed at a centre.
        case letterLimit(retryAfterSeconds: Int)
        /// A letter can only move forward: pending → printed → dispatched → delivered | returned.
        case invalidTransition(from: LetterState, to: LetterState)
        /// A dispatched letter needs a Russian Post tracking number: 14 digits, or S10 `RA123456785RU`.
        case invalidTrackingNumber
        /// Another export is running (its batch committed a page less than two minutes ago).
        case exportInProgress
        /// An export file could not be written; nothing of the page in progress was marked printed.
        case exportFailed(String)
    }

    /// The reason.
    public let code: Code

    /// An error with this reason.
    public init(_ code: Code) { self.code = code }

    /// `ActivationError(<code>)`; never holds a code or personal data.
    public var description: String { "ActivationError(\(code))" }
}
