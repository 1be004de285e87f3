import Storage

/// The trust store's tables; versions 300–339 belong to this part of the head CA module.
/// Times are INTEGER milliseconds since 1970 (UTC), as in the other modules' tables.
public enum HeadCAMigrations {
    /// Every migration of the trust store, in order.
    public static let all: [Migration] = [
        // One row per CA certificate. `source` is `operator` (openesia ca accredit) or `tsl` (a trusted list);
        // name, registry number, OGRN and INN come from the trusted list.
        Migration(version: 300, name: "head CA trust store", sql: """
            CREATE TABLE headca_cas (
                id INTEGER PRIMARY KEY,
                thumbprint TEXT NOT NULL UNIQUE,
                subject TEXT NOT NULL,
                certificate BLOB NOT NULL,
                source TEXT NOT NULL,
                name TEXT,
                registry_number TEXT,
                ogrn TEXT,
                inn TEXT,
                added_at INTEGER NOT NULL,
                terminated_at INTEGER
            );
            CREATE TABLE headca_periods (
                id INTEGER PRIMARY KEY,
                ca_id INTEGER NOT NULL REFERENCES headca_cas(id) ON DELETE CASCADE,
                valid_from INTEGER NOT NULL,
                valid_until INTEGER,
                CHECK (valid_until IS NULL OR valid_until > valid_from)
            );
            CREATE INDEX headca_periods_by_ca ON headca_periods(ca_id, valid_from);
            CREATE TABLE headca_crl_urls (
                ca_id INTEGER NOT NULL REFERENCES headca_cas(id) ON DELETE CASCADE,
                url TEXT NOT NULL,
                PRIMARY KEY (ca_id, url)
            );
            -- The newest accepted CRL of each issuing certificate (a head CA root or an accredited CA).
            CREATE TABLE headca_crls (
                issuer_thumbprint TEXT PRIMARY KEY,
                issuer_subject TEXT NOT NULL,
                crl BLOB NOT NULL,
                this_update INTEGER NOT NULL,
                next_update INTEGER,
                crl_number TEXT,
                source TEXT NOT NULL,
                imported_at INTEGER NOT NULL
            );
            -- `generation` grows with every change, so a server notices changes made by `openesia ca` commands.
            CREATE TABLE headca_state (
                id INTEGER PRIMARY KEY CHECK (id = 1),
                generation INTEGER NOT NULL,
                tsl_version INTEGER,
                tsl_date INTEGER,
                tsl_imported_at INTEGER
            );
            INSERT INTO headca_state (id, generation) VALUES (1, 0);
            """),
    ]
}
