/// Why a citizen operation was refused. Facts about the domain only; the server maps them to pages and statuses.
public struct CitizensError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Code: Sendable, Equatable {
        /// Field problems, each with the field and a machine code.
        case invalid([FieldError])
        /// SNILS or passport already belongs to an account; deliberately does not say which or whose.
        case duplicateAccount
        /// A phone or e-mail already confirmed on another account.
        case contactInUse
        /// Wrong login or password, or no such account: one answer for both.
        case wrongCredentials
        /// Too many failures; try again after this many seconds.
        case throttled(retryAfterSeconds: Int)
        case invalidCode
        case expiredCode
        /// Five wrong codes: a new one must be requested.
        case codeExhausted
        case notFound
        /// The operation needs a confirmed contact first.
        case contactNotConfirmed
        /// The account has no documents yet, or the action does not fit the account's state.
        case notAllowed
        /// No account holds the SNILS of this (verified) certificate: the citizen may register with it.
        case noAccountForCertificate
        /// An account holds the certificate's SNILS, but the registry has not verified it there, so the signature cannot
        /// log in to it (it may be someone else's claim). Only the certificate's holder, who proved the SNILS, learns this.
        case snilsNotVerified
        /// The action needs a session that began with a signature login a short while ago: sign in again.
        case reauthenticationRequired
    }

    public let code: Code

    public init(_ code: Code) { self.code = code }

    public static func invalid(_ errors: [FieldError]) -> CitizensError { CitizensError(.invalid(errors)) }
    public static func invalid(_ field: String, _ code: FieldErrorCode) -> CitizensError { .invalid([FieldError(field: field, code: code)]) }

    public var description: String { "CitizensError(\(code))" }
}
