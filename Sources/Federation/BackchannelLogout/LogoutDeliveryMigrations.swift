import Storage

/// The back-channel logout queue: version 490 (Federation's block 490–499). Times are INTEGER milliseconds since 1970.
enum LogoutDeliveryMigrations {
    static let all: [Migration] = [
        Migration(version: 490, name: "logout_deliveries", sql: """
            -- One logout token to send to one portal after a login session ended. The token is signed at each attempt
            -- (it lives two minutes); jti stays the same across attempts so a portal can tell a repeat.
            CREATE TABLE logout_deliveries (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                client_id TEXT NOT NULL,
                uri TEXT NOT NULL,
                sid TEXT NOT NULL,
                subject TEXT,
                jti TEXT NOT NULL,
                created_at INTEGER NOT NULL,
                attempts INTEGER NOT NULL DEFAULT 0,
                next_attempt_at INTEGER NOT NULL,
                last_error TEXT,
                delivered_at INTEGER,
                dropped_at INTEGER,
                finished_at INTEGER
            );
            CREATE INDEX logout_deliveries_due ON logout_deliveries (next_attempt_at) WHERE finished_at IS NULL;
            CREATE INDEX logout_deliveries_finished ON logout_deliveries (finished_at) WHERE finished_at IS NOT NULL;
            """),
    ]
}
