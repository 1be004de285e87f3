import Storage

extension Outbox {
    /// The outbox's schema; versions 120–129 belong to it.
    public static let migrations: [Migration] = [
        Migration(version: 120, name: "outbox", sql: """
            CREATE TABLE outbox (
                id INTEGER PRIMARY KEY,
                channel TEXT NOT NULL CHECK (channel IN ('sms', 'email')),
                recipient TEXT NOT NULL,
                subject TEXT NOT NULL,
                body TEXT NOT NULL,
                created_at TEXT NOT NULL,
                attempts INTEGER NOT NULL DEFAULT 0,
                next_attempt_at TEXT NOT NULL,
                delivered_at TEXT NULL,
                failed_at TEXT NULL,
                last_error TEXT NULL
            );
            CREATE INDEX outbox_due ON outbox (delivered_at, failed_at, next_attempt_at);
            """),
    ]
}
