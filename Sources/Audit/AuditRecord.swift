import Foundation

/// One stored entry of the audit log: the event, where it sits in the chain, and its hashes.
public struct AuditRecord: Sendable, Equatable {
    /// Position in the log, 1 for the first record, contiguous.
    public let sequence: Int64
    /// When it was appended, to the millisecond (the stored RFC 3339 text, parsed).
    public let time: Date
    /// What happened.
    public let event: AuditEvent
    /// The previous record's hash; 32 zero bytes for the first record.
    public let previousHash: [UInt8]
    /// HMAC-SHA-256 over `previousHash` and this record's canonical encoding.
    public let hash: [UInt8]

    /// Makes a record; the log builds these, tests may too.
    public init(sequence: Int64, time: Date, event: AuditEvent, previousHash: [UInt8], hash: [UInt8]) {
        self.sequence = sequence
        self.time = time
        self.event = event
        self.previousHash = previousHash
        self.hash = hash
    }
}
