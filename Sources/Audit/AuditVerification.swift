/// The outcome of walking the audit chain.
public enum AuditVerification: Sendable, Equatable {
    /// Every record from 1 to `records` is present and its hashes check out.
    case intact(records: Int64)
    /// The first record that does not check out (or the first missing sequence), and why; the reason names no field values.
    case broken(sequence: Int64, reason: String)
}
