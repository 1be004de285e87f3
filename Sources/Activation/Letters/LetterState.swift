/// Where a letter order stands. States only move forward:
///
/// ```
/// pending ──▶ printed ──▶ dispatched ──▶ delivered
///    │                          └──────▶ returned
///    └──▶ cancelled   (replaced by a new request or a centre code before it was printed)
/// ```
///
/// The one step back is the export's crash recovery: letters of a batch whose files were never completed go back
/// to pending, their codes invalidated, and are printed again in the next batch (docs/activation.md).
public enum LetterState: String, Sendable, CaseIterable {
    /// Ordered; no code exists yet.
    case pending
    /// In an exported batch; its code exists and counts down from the export.
    case printed
    /// Handed to the post office with a tracking number.
    case dispatched
    /// The post office reports it delivered.
    case delivered
    /// The post office returned it; its code is invalidated and the citizen may choose again.
    case returned
    /// Replaced before it was printed.
    case cancelled

    /// Whether `markLetter` may move a letter from this state to `next`.
    public func canMove(to next: LetterState) -> Bool {
        switch (self, next) {
        case (.printed, .dispatched), (.dispatched, .delivered), (.dispatched, .returned): true
        default: false
        }
    }
}

/// How a code reaches the citizen.
public enum CodeChannel: String, Sendable, CaseIterable {
    /// By registered letter to the postal address on file.
    case letter
    /// On a slip handed over by service-centre staff.
    case centre

    /// The evidence method recorded when a code of this channel confirms an account.
    public var evidenceMethod: String {
        switch self {
        case .letter: "letter-code"
        case .centre: "centre-code"
        }
    }
}
