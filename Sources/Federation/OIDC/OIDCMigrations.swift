import Storage

/// The OpenID provider's tables: versions 430–469 belong to it (portals have 400–419, signing keys 420–429).
/// Times are INTEGER milliseconds since 1970 (UTC). Codes, refresh tokens and pending-request ids are stored only as
/// HMAC-SHA-256 under the token-hash key, so a copy of the database redeems nothing.
public enum OIDCMigrations {
    /// Every migration of the provider, in order.
    public static let all: [Migration] = [
        Migration(version: 430, name: "oauth", sql: """
            -- Authorization requests waiting for the citizen to log in or consent; bound to the browser that made them.
            CREATE TABLE oauth_pending (
                id_hash BLOB PRIMARY KEY,
                browser_hash BLOB NOT NULL,
                client_id TEXT NOT NULL,
                request TEXT NOT NULL,
                created_at INTEGER NOT NULL,
                expires_at INTEGER NOT NULL
            );
            CREATE INDEX oauth_pending_expiry ON oauth_pending (expires_at);
            -- What a citizen allowed a portal to read: one row per citizen and portal, scopes space-separated.
            CREATE TABLE oauth_consents (
                citizen_id INTEGER NOT NULL,
                client_id TEXT NOT NULL,
                scopes TEXT NOT NULL,
                granted_at INTEGER NOT NULL,
                updated_at INTEGER NOT NULL,
                PRIMARY KEY (citizen_id, client_id)
            );
            -- One authorization: made with its code, shared by every token issued from it (the refresh family).
            -- Revoking it ends the refresh tokens here and the access tokens through oauth_revocations.
            CREATE TABLE oauth_grants (
                grant_id TEXT PRIMARY KEY,
                citizen_id INTEGER NOT NULL,
                public_id TEXT NOT NULL,
                client_id TEXT NOT NULL,
                scopes TEXT NOT NULL,
                session_handle TEXT NOT NULL,
                sid TEXT NOT NULL,
                auth_time INTEGER NOT NULL,
                acr TEXT NOT NULL,
                amr TEXT NOT NULL,
                created_at INTEGER NOT NULL,
                revoked_at INTEGER
            );
            CREATE INDEX oauth_grants_session ON oauth_grants (session_handle);
            CREATE INDEX oauth_grants_citizen ON oauth_grants (citizen_id, client_id);
            CREATE TABLE oauth_codes (
                code_hash BLOB PRIMARY KEY,
                grant_id TEXT NOT NULL REFERENCES oauth_grants (grant_id) ON DELETE CASCADE,
                redirect_uri TEXT NOT NULL,
                code_challenge TEXT,
                nonce TEXT,
                expires_at INTEGER NOT NULL,
                used_at INTEGER
            );
            CREATE INDEX oauth_codes_expiry ON oauth_codes (expires_at);
            CREATE TABLE oauth_refresh_tokens (
                token_hash BLOB PRIMARY KEY,
                grant_id TEXT NOT NULL REFERENCES oauth_grants (grant_id) ON DELETE CASCADE,
                client_id TEXT NOT NULL,
                scopes TEXT NOT NULL,
                created_at INTEGER NOT NULL,
                expires_at INTEGER NOT NULL,
                used_at INTEGER,
                revoked_at INTEGER
            );
            CREATE INDEX oauth_refresh_grant ON oauth_refresh_tokens (grant_id);
            CREATE INDEX oauth_refresh_expiry ON oauth_refresh_tokens (expires_at);
            -- Revoked grants ('grant:<id>') and access tokens ('jti:<jti>'), kept until every token they cover has
            -- expired. Each node keeps the list in memory and reads only rows past the last seq it saw.
            CREATE TABLE oauth_revocations (
                seq INTEGER PRIMARY KEY AUTOINCREMENT,
                revoked TEXT NOT NULL UNIQUE,
                expires_at INTEGER NOT NULL
            );
            CREATE INDEX oauth_revocations_expiry ON oauth_revocations (expires_at);
            """),
    ]
}
