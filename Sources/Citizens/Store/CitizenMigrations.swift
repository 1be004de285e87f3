import Storage

/// The citizens' core tables; versions 100–119. Plain SQL a PostgreSQL backend can follow (BLOB → bytea).
/// Times are INTEGER milliseconds since 1970 (UTC), which compare and index simply on both databases.
///
/// 101 lets an account registered with a qualified certificate exist: such an account has no birth date, gender or
/// password (certificates carry none), and documents with a SNILS but no passport or address. SQLite cannot drop a
/// NOT NULL constraint, so both tables are rebuilt and renamed, with foreign keys off (`rebuildsTables`) so that
/// dropping the old `citizens` deletes none of the rows that reference it; PostgreSQL would `ALTER COLUMN … DROP NOT NULL`.
public enum CitizenMigrations {
    public static let all: [Migration] = [
        Migration(version: 100, name: "citizens", sql: """
            CREATE TABLE citizens (
                id INTEGER PRIMARY KEY,
                public_id TEXT NOT NULL UNIQUE,
                surname TEXT NOT NULL,
                given_name TEXT NOT NULL,
                patronymic TEXT,
                birth_date TEXT NOT NULL,
                gender TEXT NOT NULL,
                password_hash TEXT NOT NULL,
                level TEXT,
                level_method TEXT NOT NULL,
                level_reached_at INTEGER NOT NULL,
                identity_confirmed INTEGER NOT NULL DEFAULT 0,
                created_at INTEGER NOT NULL
            );
            CREATE TABLE citizen_contacts (
                id INTEGER PRIMARY KEY,
                citizen_id INTEGER NOT NULL REFERENCES citizens(id) ON DELETE CASCADE,
                kind TEXT NOT NULL,
                value TEXT NOT NULL,
                confirmed_at INTEGER
            );
            CREATE INDEX citizen_contacts_by_citizen ON citizen_contacts(citizen_id);
            CREATE UNIQUE INDEX citizen_contacts_confirmed ON citizen_contacts(kind, value) WHERE confirmed_at IS NOT NULL;
            CREATE TABLE contact_codes (
                contact_id INTEGER PRIMARY KEY REFERENCES citizen_contacts(id) ON DELETE CASCADE,
                code_hash BLOB NOT NULL,
                expires_at INTEGER NOT NULL,
                attempts INTEGER NOT NULL DEFAULT 0
            );
            CREATE TABLE citizen_documents (
                citizen_id INTEGER PRIMARY KEY REFERENCES citizens(id) ON DELETE CASCADE,
                key_id TEXT NOT NULL,
                snils_index BLOB NOT NULL UNIQUE,
                snils_sealed BLOB NOT NULL,
                passport_index BLOB NOT NULL UNIQUE,
                passport_sealed BLOB NOT NULL,
                inn_index BLOB UNIQUE,
                inn_sealed BLOB,
                address_sealed BLOB NOT NULL,
                snils_status TEXT NOT NULL,
                snils_reason TEXT,
                passport_status TEXT NOT NULL,
                passport_reason TEXT,
                submitted_at INTEGER NOT NULL,
                next_check_at INTEGER,
                check_attempts INTEGER NOT NULL DEFAULT 0
            );
            CREATE INDEX citizen_documents_due ON citizen_documents(next_check_at);
            """),
        Migration(version: 101, name: "certificate accounts", sql: """
            CREATE TABLE citizens_new (
                id INTEGER PRIMARY KEY,
                public_id TEXT NOT NULL UNIQUE,
                surname TEXT NOT NULL,
                given_name TEXT NOT NULL,
                patronymic TEXT,
                birth_date TEXT,
                gender TEXT,
                -- NULL for an account registered with a certificate until the citizen sets a password.
                password_hash TEXT,
                level TEXT,
                level_method TEXT NOT NULL,
                level_reached_at INTEGER NOT NULL,
                identity_confirmed INTEGER NOT NULL DEFAULT 0,
                created_at INTEGER NOT NULL
            );
            INSERT INTO citizens_new (id, public_id, surname, given_name, patronymic, birth_date, gender, password_hash, level,
                                      level_method, level_reached_at, identity_confirmed, created_at)
                SELECT id, public_id, surname, given_name, patronymic, birth_date, gender, password_hash, level,
                       level_method, level_reached_at, identity_confirmed, created_at FROM citizens;
            DROP TABLE citizens;
            ALTER TABLE citizens_new RENAME TO citizens;

            CREATE TABLE citizen_documents_new (
                citizen_id INTEGER PRIMARY KEY REFERENCES citizens(id) ON DELETE CASCADE,
                key_id TEXT NOT NULL,
                snils_index BLOB NOT NULL UNIQUE,
                snils_sealed BLOB NOT NULL,
                passport_index BLOB UNIQUE,
                passport_sealed BLOB,
                inn_index BLOB UNIQUE,
                inn_sealed BLOB,
                address_sealed BLOB,
                snils_status TEXT NOT NULL,
                snils_reason TEXT,
                passport_status TEXT NOT NULL,
                passport_reason TEXT,
                submitted_at INTEGER NOT NULL,
                next_check_at INTEGER,
                check_attempts INTEGER NOT NULL DEFAULT 0,
                -- When a qualified signature vouched for this SNILS (and the INN beside it); cleared with a new SNILS.
                signature_checked_at INTEGER,
                CHECK ((passport_index IS NULL) = (passport_sealed IS NULL)),
                CHECK ((passport_index IS NULL) = (address_sealed IS NULL))
            );
            INSERT INTO citizen_documents_new (citizen_id, key_id, snils_index, snils_sealed, passport_index, passport_sealed, inn_index,
                                               inn_sealed, address_sealed, snils_status, snils_reason, passport_status, passport_reason,
                                               submitted_at, next_check_at, check_attempts)
                SELECT citizen_id, key_id, snils_index, snils_sealed, passport_index, passport_sealed, inn_index,
                       inn_sealed, address_sealed, snils_status, snils_reason, passport_status, passport_reason,
                       submitted_at, next_check_at, check_attempts FROM citizen_documents;
            DROP TABLE citizen_documents;
            ALTER TABLE citizen_documents_new RENAME TO citizen_documents;
            CREATE INDEX citizen_documents_due ON citizen_documents(next_check_at);
            """, rebuildsTables: true),
    ]
}
