import Storage

/// One letters row and the SQL around it.
struct LetterRow: Sendable {
    var id: Int64
    var citizenID: Int64
    var state: LetterState
    var batchID: String?
    var trackingNumber: String?
    var createdAt: Int64
    var printedAt: Int64?
    var dispatchedAt: Int64?

    private static let columns = "id, citizen_id, state, batch_id, tracking_number, created_at, printed_at, dispatched_at"

    init(_ row: SQLRow) throws {
        id = try row.int64("id")
        citizenID = try row.int64("citizen_id")
        state = LetterState(rawValue: try row.string("state")) ?? .cancelled
        batchID = try row.optionalString("batch_id")
        trackingNumber = try row.optionalString("tracking_number")
        createdAt = try row.int64("created_at")
        printedAt = try row.optionalInt64("printed_at")
        dispatchedAt = try row.optionalInt64("dispatched_at")
    }

    static func find(id: Int64, using db: any SQLExecutor) throws -> LetterRow? {
        try db.queryOne("SELECT \(columns) FROM letters WHERE id = ?", [.integer(id)]).map(LetterRow.init)
    }

    /// The citizen's newest letter that was not cancelled.
    static func newest(citizenID: Int64, using db: any SQLExecutor) throws -> LetterRow? {
        try db.queryOne("SELECT \(columns) FROM letters WHERE citizen_id = ? AND state <> 'cancelled' ORDER BY id DESC LIMIT 1",
                        [.integer(citizenID)]).map(LetterRow.init)
    }

    static func pendingIDs(citizenID: Int64, using db: any SQLExecutor) throws -> [Int64] {
        try db.query("SELECT id FROM letters WHERE citizen_id = ? AND state = 'pending'", [.integer(citizenID)]).map { try $0.int64(0) }
    }

    /// Up to `limit` pending orders with ids in `(after, upTo]`, oldest first: one page of an export.
    static func pendingPage(after: Int64, upTo: Int64, limit: Int, using db: any SQLExecutor) throws -> [(id: Int64, citizenID: Int64)] {
        try db.query("SELECT id, citizen_id FROM letters WHERE state = 'pending' AND id > ? AND id <= ? ORDER BY id LIMIT ?",
                     [.integer(after), .integer(upTo), SQLValue(limit)]).map { (try $0.int64(0), try $0.int64(1)) }
    }

    static func insert(citizenID: Int64, now: Int64, using db: any SQLExecutor) throws -> Int64 {
        try db.queryOne("INSERT INTO letters (citizen_id, state, created_at) VALUES (?, 'pending', ?) RETURNING id",
                        [.integer(citizenID), .integer(now)])!.int64(0)
    }

    static func cancel(id: Int64, now: Int64, using db: any SQLExecutor) throws {
        try db.execute("UPDATE letters SET state = 'cancelled', cancelled_at = ? WHERE id = ? AND state = 'pending'",
                       [.integer(now), .integer(id)])
    }
}
