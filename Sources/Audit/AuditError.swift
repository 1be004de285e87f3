/// Why the audit log refused an event, a key or a query, or could not read a stored record.
///
/// Invalid events are programmer errors; they are thrown, not trapped, so one bad call cannot
/// take the server down. Cases carry only names and numbers, never the values of an event.
public enum AuditError: Error, Sendable, Equatable {
    /// The chain key is not 32 bytes.
    case invalidKey
    /// `kind` is not 1–64 characters of `[a-z0-9._-]`.
    case invalidKind
    /// `actor` is empty or longer than 128 characters.
    case invalidActor
    /// `subject` is empty or longer than 128 characters.
    case invalidSubject
    /// `sourceAddress` is empty or longer than 64 characters.
    case invalidSourceAddress
    /// `details` has more than 16 entries.
    case tooManyDetails(count: Int)
    /// A details key is not 1–64 characters of `[A-Za-z0-9._-]`.
    case invalidDetailKey
    /// The value under this details key is longer than 256 characters.
    case detailValueTooLong(key: String)
    /// A stored record could not be read back (wrong column type, bad time or details); see `verify`.
    case unreadableRecord(sequence: Int64, reason: String)
}
