import Storage

/// The schema of staff accounts: versions 220–229 belong to this part.
///
/// `centre_id` references `service_centres`, created by migration 230. SQLite accepts a reference to a table
/// that does not exist yet and checks it only when rows change, by which time 230 has run; a PostgreSQL port
/// must create the centres first.
enum StaffMigrations {
    static let all: [Migration] = [
        Migration(version: 220, name: "staff", sql: """
            CREATE TABLE staff (
                id INTEGER PRIMARY KEY,
                login TEXT NOT NULL UNIQUE,
                display_name TEXT NOT NULL,
                role TEXT NOT NULL CHECK (role IN ('operator', 'centre-admin', 'service-admin')),
                centre_id TEXT REFERENCES service_centres (id),
                password_hash TEXT NOT NULL,
                totp_secret_sealed BLOB NOT NULL,
                totp_key_id TEXT NOT NULL,
                totp_last_step INTEGER,
                snils_index BLOB UNIQUE,
                snils_sealed BLOB,
                snils_key_id TEXT,
                created_at INTEGER NOT NULL,
                created_by TEXT NOT NULL,
                disabled_at INTEGER,
                CHECK ((role = 'service-admin') = (centre_id IS NULL)),
                CHECK ((snils_index IS NULL) = (snils_sealed IS NULL))
            );
            CREATE INDEX staff_centre ON staff (centre_id);
            """),
    ]
}
