import Storage

/// How many letters a citizen may have printed in a window. A new order replaces one not printed yet, so only printed
/// letters count: those are the ones that cost a registered letter.
enum LetterLimit {
    static let letters = 3
    static let days = 30

    /// Seconds until another letter may be ordered, or nil when one may be now.
    static func retryAfter(citizenID: Int64, now: Int64, using db: any SQLExecutor) throws -> Int? {
        let window = Int64(days) * 86_400_000
        let printed = try db.query("""
            SELECT printed_at FROM letters WHERE citizen_id = ? AND printed_at IS NOT NULL AND printed_at > ?
            ORDER BY printed_at
            """, [.integer(citizenID), .integer(now - window)]).map { try $0.int64(0) }
        guard printed.count >= letters, let oldest = printed.first else { return nil }
        return Int(max(1, (oldest + window - now + 999) / 1000))
    }
}
