import Crypto
import Storage

/// One activation_codes row and the SQL around it.
struct CodeRow: Sendable {
    var id: Int64
    var citizenID: Int64
    var channel: CodeChannel
    var codeHash: [UInt8]
    var createdAt: Int64
    var expiresAt: Int64
    var attempts: Int
    var usedAt: Int64?
    var invalidatedAt: Int64?
    var invalidatedReason: String?
    var letterID: Int64?

    /// Neither used nor invalidated (it may still have expired).
    var isLive: Bool { usedAt == nil && invalidatedAt == nil }

    private static let columns = """
        id, citizen_id, channel, code_hash, created_at, expires_at, attempts, used_at, invalidated_at, invalidated_reason, letter_id
        """

    private init(_ row: SQLRow) throws {
        id = try row.int64("id")
        citizenID = try row.int64("citizen_id")
        channel = CodeChannel(rawValue: try row.string("channel")) ?? .letter
        codeHash = try row.blob("code_hash")
        createdAt = try row.int64("created_at")
        expiresAt = try row.int64("expires_at")
        attempts = try row.int("attempts")
        usedAt = try row.optionalInt64("used_at")
        invalidatedAt = try row.optionalInt64("invalidated_at")
        invalidatedReason = try row.optionalString("invalidated_reason")
        letterID = try row.optionalInt64("letter_id")
    }

    /// The citizen's live code, if any (the partial unique index allows at most one).
    static func live(citizenID: Int64, using db: any SQLExecutor) throws -> CodeRow? {
        try db.queryOne("SELECT \(columns) FROM activation_codes WHERE citizen_id = ? AND used_at IS NULL AND invalidated_at IS NULL",
                        [.integer(citizenID)]).map(CodeRow.init)
    }

    /// The citizen's newest code, live or not.
    static func newest(citizenID: Int64, using db: any SQLExecutor) throws -> CodeRow? {
        try db.queryOne("SELECT \(columns) FROM activation_codes WHERE citizen_id = ? ORDER BY id DESC LIMIT 1",
                        [.integer(citizenID)]).map(CodeRow.init)
    }

    /// The newest code printed in a letter.
    static func forLetter(_ letterID: Int64, using db: any SQLExecutor) throws -> CodeRow? {
        try db.queryOne("SELECT \(columns) FROM activation_codes WHERE letter_id = ? ORDER BY id DESC LIMIT 1",
                        [.integer(letterID)]).map(CodeRow.init)
    }

    /// Inserts a code for `plaintext` (normalised) and returns its id. The hash binds the row id, so the row is
    /// inserted first with a placeholder and the hash set in the same write.
    static func insert(citizenID: Int64, channel: CodeChannel, normalised: String, key: SymmetricKey, now: Int64, expiresAt: Int64,
                       letterID: Int64?, using db: any SQLExecutor) throws -> Int64 {
        let id = try db.queryOne("""
            INSERT INTO activation_codes (citizen_id, channel, code_hash, created_at, expires_at, letter_id)
            VALUES (?, ?, ?, ?, ?, ?) RETURNING id
            """, [.integer(citizenID), .text(channel.rawValue), .blob([]), .integer(now), .integer(expiresAt), SQLValue(letterID)])!.int64(0)
        try db.execute("UPDATE activation_codes SET code_hash = ? WHERE id = ?",
                       [.blob(ActivationCode.hash(codeID: id, normalised: normalised, key: key)), .integer(id)])
        return id
    }

    static func invalidate(id: Int64, reason: String, now: Int64, using db: any SQLExecutor) throws {
        try db.execute("UPDATE activation_codes SET invalidated_at = ?, invalidated_reason = ? WHERE id = ? AND invalidated_at IS NULL",
                       [.integer(now), .text(reason), .integer(id)])
    }

    static func recordWrongEntry(id: Int64, using db: any SQLExecutor) throws {
        try db.execute("UPDATE activation_codes SET attempts = attempts + 1 WHERE id = ?", [.integer(id)])
    }

    static func markUsed(id: Int64, now: Int64, using db: any SQLExecutor) throws {
        try db.execute("UPDATE activation_codes SET used_at = ? WHERE id = ?", [.integer(now), .integer(id)])
    }
}
