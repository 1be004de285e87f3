/// Why a challenge was refused. Facts only; the server maps them to pages and statuses.
public enum ChallengeError: Error, Sendable, Equatable {
    /// No such challenge: never issued, malformed, or purged after it expired.
    case unknown
    /// Presented by someone other than the browser session or API client it was issued to. Does not use the
    /// challenge up, but is counted: after `ChallengeSettings.maxWrongBindings` the challenge is `exhausted`.
    case wrongBinding
    /// Issued for the other purpose (a staff challenge at the citizens' login, or the reverse); not used up.
    case wrongPurpose
    /// Too many presentations with a wrong binding: the challenge no longer works, even with the right one.
    case exhausted
    /// Its lifetime is over.
    case expired
    /// It was consumed before: every challenge serves one submission, whatever that submission's outcome.
    case alreadyUsed
    /// The binding given to `issue` was empty, so the challenge would be bound to nothing.
    case emptyBinding
}
