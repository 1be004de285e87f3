import Storage

/// The audit module's schema; versions 10–19 are its block.
enum AuditMigrations {
    /// The log table, its subject index, and the triggers that keep it append-only.
    ///
    /// The triggers guard against the application itself (a stray UPDATE, DELETE or INSERT OR REPLACE),
    /// not against someone with the file, who can drop them; the keyed hash chain covers that case.
    /// The insert trigger also makes sequences contiguous: only last + 1 may be inserted, which also stops
    /// INSERT OR REPLACE from overwriting a record (SQLite's REPLACE deletes without firing delete triggers).
    /// A PostgreSQL backend would use BIGINT and BYTEA columns and a BEFORE UPDATE OR DELETE trigger
    /// function that raises an exception (or REVOKE UPDATE, DELETE from the application role).
    static let all: [Migration] = [
        Migration(version: 10, name: "audit_log", sql: """
            CREATE TABLE audit_log (
                sequence INTEGER PRIMARY KEY,
                time TEXT NOT NULL,
                kind TEXT NOT NULL,
                actor TEXT NOT NULL,
                subject TEXT,
                source_address TEXT,
                details TEXT NOT NULL,
                previous_hash BLOB NOT NULL,
                hash BLOB NOT NULL
            );
            CREATE INDEX audit_log_subject ON audit_log (subject, sequence);
            CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
            BEGIN
                SELECT RAISE(ABORT, 'audit log is append-only');
            END;
            CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
            BEGIN
                SELECT RAISE(ABORT, 'audit log is append-only');
            END;
            CREATE TRIGGER audit_log_append_at_end BEFORE INSERT ON audit_log
            WHEN NEW.sequence IS NOT (SELECT COALESCE(MAX(sequence), 0) + 1 FROM audit_log)
            BEGIN
                SELECT RAISE(ABORT, 'audit log is append-only');
            END;
            """),
    ]
}
