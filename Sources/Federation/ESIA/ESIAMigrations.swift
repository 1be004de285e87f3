import Storage

/// The ESIA dialect's tables: versions 470–489 of the federation block. Times are INTEGER milliseconds since 1970 (UTC).
public enum ESIAMigrations {
    /// Every migration of the ESIA dialect, in order.
    public static let all: [Migration] = [
        Migration(version: 470, name: "esia used states", sql: """
            -- Each request kind (authorization, token) may use a state once (ESIAStateLedger).
            CREATE TABLE esia_used_states (
                state TEXT NOT NULL,            -- lower-case UUID
                kind TEXT NOT NULL CHECK (kind IN ('authorization', 'token')),
                client_id TEXT NOT NULL,
                used_at INTEGER NOT NULL,
                expires_at INTEGER NOT NULL,
                PRIMARY KEY (state, kind)
            ) WITHOUT ROWID;
            CREATE INDEX esia_used_states_expiry ON esia_used_states (expires_at);
            """),
        Migration(version: 471, name: "esia signing certificates", sql: """
            -- Self-signed certificates over the token-signing keys' public keys, published for ESIA client libraries.
            CREATE TABLE esia_signing_certificates (
                kid TEXT PRIMARY KEY,
                certificate BLOB NOT NULL,      -- DER
                created_at INTEGER NOT NULL
            );
            """),
        Migration(version: 472, name: "esia grants", sql: """
            -- What an ESIA authorization request adds to its grant (ESIAGrants); deleted with the grant.
            CREATE TABLE esia_grants (
                grant_id TEXT PRIMARY KEY REFERENCES oauth_grants (grant_id) ON DELETE CASCADE,
                flow TEXT NOT NULL CHECK (flow IN ('legacy', 'current')),
                access_type TEXT NOT NULL CHECK (access_type IN ('online', 'offline')),
                authorization_state TEXT NOT NULL
            );
            """),
    ]
}
