import Foundation

/// Where a letter with an activation code stands, as the citizen sees it.
public enum ActivationLetterState: String, Sendable, CaseIterable {
    case pending, printed, dispatched, delivered, returned
}

/// The citizen's newest letter order.
public struct ActivationLetter: Sendable {
    /// Where the letter stands.
    public var state: ActivationLetterState
    /// When the citizen ordered it.
    public var requestedAt: Date
    /// The Russian Post tracking number, once dispatched.
    public var trackingNumber: String?
    /// When the letter's code stops working; nil before printing.
    public var codeExpiresAt: Date?

    /// A letter as the page shows it.
    public init(state: ActivationLetterState, requestedAt: Date, trackingNumber: String? = nil, codeExpiresAt: Date? = nil) {
        self.state = state
        self.requestedAt = requestedAt
        self.trackingNumber = trackingNumber
        self.codeExpiresAt = codeExpiresAt
    }
}

/// A live activation code: never the code itself, only what the citizen may know about it.
public struct ActivationLiveCode: Sendable {
    /// True for a code from a letter, false for one handed over at a service centre.
    public var byLetter: Bool
    /// When the code stops working.
    public var expiresAt: Date
    /// Wrong entries left before the code dies.
    public var attemptsLeft: Int

    /// A live code's facts.
    public init(byLetter: Bool, expiresAt: Date, attemptsLeft: Int) {
        self.byLetter = byLetter
        self.expiresAt = expiresAt
        self.attemptsLeft = attemptsLeft
    }
}

/// Why the last post on the activation page was refused.
public enum ActivationProblem: Sendable, Equatable {
    case malformedCode
    case wrongCode(attemptsLeft: Int)
    case expiredCode
    case codeExhausted
    case noActiveCode
    case throttled(retryAfterSeconds: Int)
    case notStandard
    case letterLimit(retryAfterSeconds: Int)
}

/// What the activation page shows.
public struct ActivationModel: FormModel {
    public var language: Language
    public var csrfToken: String
    public var currentPath: String
    /// Always empty: a typed code never travels back in a page.
    public var values: [String: String] { [:] }
    /// The code field's error, from `problem`.
    public var errors: [String: String] { problem.flatMap(Self.fieldCode).map { [Field.code.rawValue: $0] } ?? [:] }
    /// Unused: `problem` carries the page's message.
    public var pageErrors: [String] { [] }
    /// The account's level now.
    public var level: AccountLevel
    /// How a confirmed level was reached (`letter-code`, `centre-code`, ...), and when.
    public var levelMethod: String?
    public var levelReachedAt: Date?
    /// The live code, if any.
    public var liveCode: ActivationLiveCode?
    /// The newest letter order, if any.
    public var letter: ActivationLetter?
    /// Why the newest code stopped working when there is no live one (`expired`, `exhausted`, `returned`, ...).
    public var lastCodeEnded: String?
    /// What went wrong with the last post, if anything.
    public var problem: ActivationProblem?

    /// The page for a citizen at `level`.
    public init(language: Language = .ru, csrfToken: String, currentPath: String = PagePath.activation, level: AccountLevel,
                levelMethod: String? = nil, levelReachedAt: Date? = nil, liveCode: ActivationLiveCode? = nil,
                letter: ActivationLetter? = nil, lastCodeEnded: String? = nil, problem: ActivationProblem? = nil) {
        self.language = language
        self.csrfToken = csrfToken
        self.currentPath = currentPath
        self.level = level
        self.levelMethod = levelMethod
        self.levelReachedAt = levelReachedAt
        self.liveCode = liveCode
        self.letter = letter
        self.lastCodeEnded = lastCodeEnded
        self.problem = problem
    }

    /// The field error code that marks the code input for `problem`; nil for problems that are not about what was typed.
    static func fieldCode(_ problem: ActivationProblem) -> String? {
        switch problem {
        case .malformedCode: FieldErrorCode.invalidFormat.rawValue
        case .wrongCode: FieldErrorCode.mismatch.rawValue
        case .expiredCode: FieldErrorCode.notAllowed.rawValue
        case .codeExhausted, .noActiveCode, .throttled, .notStandard, .letterLimit: nil
        }
    }

    /// Whether the citizen may order a letter now: at the standard level with no order waiting to be printed (ordering
    /// again would only replace it). With a live code it stays possible, for a letter lost in the post.
    var canOrderLetter: Bool {
        level == .standard && letter?.state != .pending
    }
}
