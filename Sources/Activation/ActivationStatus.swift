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
    /// Letter or service centre.
    public var channel: CodeChannel
    /// When the code was made (for a letter: its export).
    public var issuedAt: Date
    /// When the code stops working.
    public var expiresAt: Date
    /// Wrong entries left before the code dies.
    public var attemptsLeft: Int
}

/// A letter order as the citizen may see it.
public struct LetterStatus: Sendable, Equatable {
    /// The order's id, printed on the letter.
    public var id: Int64
    /// Where the letter stands.
    public var state: LetterState
    /// When the citizen ordered it.
    public var requestedAt: Date
    /// When it was exported for printing.
    public var printedAt: Date?
    /// When the post office took it.
    public var dispatchedAt: Date?
    /// The Russian Post tracking number, once dispatched.
    public var trackingNumber: String?
    /// When the letter's code expires; nil before export.
    public var codeExpiresAt: Date?
}
