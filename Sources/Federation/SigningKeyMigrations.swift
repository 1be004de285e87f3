import Storage

/// The token-signing key table; versions 420–429 of the federation block. Plain SQL a PostgreSQL backend can follow
/// (BLOB → bytea). Times are INTEGER milliseconds since 1970 (UTC), as in the other modules' tables.
public enum SigningKeyMigrations {
    /// Every migration of the signing keys, in order.
    public static let all: [Migration] = [
        Migration(version: 420, name: "token signing keys", sql: """
            CREATE TABLE signing_keys (
                kid TEXT PRIMARY KEY,
                algorithm TEXT NOT NULL,
                -- PKCS#8 PEM sealed with AES-256-GCM under the data key named beside it; the associated data is
                -- "signing-key:<kid>:<algorithm>", so a sealed key cannot be moved to another row.
                private_key_sealed BLOB NOT NULL,
                data_key_id TEXT NOT NULL,
                public_key BLOB NOT NULL,       -- DER SubjectPublicKeyInfo
                public_jwk TEXT,                -- the JWKS entry; NULL for GOST keys, which are not published as JWKs
                created_at INTEGER NOT NULL,
                publish_from INTEGER NOT NULL,
                sign_from INTEGER NOT NULL,
                retire_after INTEGER            -- NULL until a successor is made; then out of the JWKS from this time
            );
            -- At most one key per algorithm is not yet scheduled to retire: the newest, signing or about to.
            CREATE UNIQUE INDEX signing_keys_one_open ON signing_keys(algorithm) WHERE retire_after IS NULL;
            CREATE INDEX signing_keys_by_algorithm ON signing_keys(algorithm, sign_from);
            """),
    ]
}
