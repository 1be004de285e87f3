import Storage

/// The schema of login sessions and login throttling: versions 140–149 belong to this part.
enum SessionMigrations {
    static let all: [Migration] = [
        Migration(version: 140, name: "sessions", sql: """
            CREATE TABLE sessions (
                token_hash BLOB PRIMARY KEY,
                handle TEXT NOT NULL UNIQUE,
                subject TEXT NOT NULL,
                method TEXT NOT NULL,
                created_at INTEGER NOT NULL,
                last_seen_at INTEGER NOT NULL,
                expires_at INTEGER NOT NULL,
                user_agent TEXT NOT NULL,
                source_address TEXT NOT NULL
            );
            CREATE INDEX sessions_subject ON sessions (subject);
            """),
        Migration(version: 141, name: "login_throttle", sql: """
            CREATE TABLE login_throttle (
                key TEXT PRIMARY KEY,
                failures INTEGER NOT NULL,
                first_failure_at INTEGER NOT NULL,
                last_failure_at INTEGER NOT NULL,
                locked_until INTEGER
            );
            """),
        // A subject's dead sessions are deleted at each of its logins: with one index per condition that is a range
        // delete, not a walk over every session the subject holds.
        Migration(version: 142, name: "sessions_subject_times", sql: """
            CREATE INDEX sessions_subject_expiry ON sessions (subject, expires_at);
            CREATE INDEX sessions_subject_seen ON sessions (subject, last_seen_at);
            DROP INDEX sessions_subject;
            """),
    ]
}
