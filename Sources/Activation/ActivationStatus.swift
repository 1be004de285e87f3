import Citizens
import Foundation

/// What the citizen's account page shows about activation. Never the code itself.
public struct ActivationStatus: Sendable, Equatable {
    /// The account's level now; nil while no contact is confirmed.
    public var level: AccountLevel?
    /// The live code, if any.
    public var code: CodeStatus?
    /// The newest letter order, cancelled ones aside.
    public var letter: LetterStatus?
    /// Why the newest code stopped working when there is no live one: `used`, `expired`, `exhausted`, `replaced`,
    /// `returned`, `cancelled`, `reissued`; nil when there is a live code or none was ever issued.
    public var lastCodeEnded: String?

    /// Whether the citizen may ask for a letter or a centre code: only at the standard level. A new request replaces
    /// the live code and any letter not yet printed.
    public var canRequest: Bool { level == .standard }
}

/// A live code as the citizen may see it.
public struct CodeStatus: Sendable, Equatable {
    public var channel: CodeChannel
    public var issuedAt: Date
    public var expiresAt: Date
    /// Wrong entries left before the code dies.
    public var attemptsLeft: Int
}

/// A letter order as the citizen may see it.
public struct LetterStatus: Sendable, Equatable {
    public var id: Int64
    public var state: LetterState
    public var requestedAt: Date
    public var printedAt: Date?
    public var dispatchedAt: Date?
    public var trackingNumber: String?
    /// When the letter's code expires; nil before export.
    public var codeExpiresAt: Date?
}
