import Storage

/// The activation codes and letters tables; versions 200–219. Plain SQL a PostgreSQL backend can follow (BLOB → bytea).
/// Times are INTEGER milliseconds since 1970 (UTC), as in the citizens tables.
public enum ActivationMigrations {
    /// Every migration of codes and letters, in order.
    public static let all: [Migration] = [
        Migration(version: 200, name: "activation codes and letters", sql: """
            CREATE TABLE letter_batches (
                id TEXT PRIMARY KEY,
                started_at INTEGER NOT NULL,
                -- Bumped by every committed page; a batch not completed and quiet for two minutes is a crashed export.
                updated_at INTEGER NOT NULL,
                completed_at INTEGER,
                abandoned_at INTEGER,
                letters INTEGER NOT NULL DEFAULT 0
            );
            CREATE TABLE letters (
                id INTEGER PRIMARY KEY,
                citizen_id INTEGER NOT NULL REFERENCES citizens(id) ON DELETE CASCADE,
                state TEXT NOT NULL,
                batch_id TEXT REFERENCES letter_batches(id),
                tracking_number TEXT,
                created_at INTEGER NOT NULL,
                printed_at INTEGER,
                dispatched_at INTEGER,
                delivered_at INTEGER,
                returned_at INTEGER,
                cancelled_at INTEGER
            );
            CREATE INDEX letters_by_state ON letters(state, id);
            CREATE INDEX letters_by_citizen ON letters(citizen_id, id);
            CREATE INDEX letters_by_batch ON letters(batch_id) WHERE batch_id IS NOT NULL;
            CREATE TABLE activation_codes (
                id INTEGER PRIMARY KEY,
                citizen_id INTEGER NOT NULL REFERENCES citizens(id) ON DELETE CASCADE,
                channel TEXT NOT NULL,
                code_hash BLOB NOT NULL,
                created_at INTEGER NOT NULL,
                expires_at INTEGER NOT NULL,
                attempts INTEGER NOT NULL DEFAULT 0,
                used_at INTEGER,
                invalidated_at INTEGER,
                invalidated_reason TEXT,
                letter_id INTEGER REFERENCES letters(id)
            );
            CREATE INDEX activation_codes_by_citizen ON activation_codes(citizen_id, id);
            CREATE INDEX activation_codes_by_letter ON activation_codes(letter_id) WHERE letter_id IS NOT NULL;
            -- Issue 4: a new request invalidates the previous code, so at most one code per citizen is live.
            CREATE UNIQUE INDEX activation_codes_one_live ON activation_codes(citizen_id)
                WHERE used_at IS NULL AND invalidated_at IS NULL;
            """),
    ]
}
