import Storage

/// The portal registry's tables: versions 400–419 belong to it (Federation has 400–499).
/// Times are INTEGER milliseconds since 1970 (UTC), as in the other modules' tables.
public enum PortalMigrations {
    /// Every migration of the portal registry, in order.
    public static let all: [Migration] = [
        Migration(version: 400, name: "portals", sql: """
            CREATE TABLE portals (
                client_id TEXT PRIMARY KEY,
                name TEXT NOT NULL,
                dialect TEXT NOT NULL CHECK (dialect IN ('oidc', 'esia')),
                signing_algorithm TEXT NOT NULL,
                minimum_level TEXT NOT NULL CHECK (minimum_level IN ('simplified', 'standard', 'confirmed')),
                -- Lists are space-separated: URIs hold no spaces (validated), scope and method names none either.
                redirect_uris TEXT NOT NULL,
                post_logout_redirect_uris TEXT NOT NULL,
                backchannel_logout_uri TEXT,
                scopes TEXT NOT NULL,
                auth_methods TEXT NOT NULL,
                jwks_uri TEXT,
                jwks TEXT,
                certificate BLOB,
                certificate_pinned INTEGER NOT NULL DEFAULT 0,
                enabled INTEGER NOT NULL DEFAULT 1,
                -- HMAC-SHA-256 of the client secret (ClientSecret.hash); the secret itself is never stored.
                secret_hash BLOB,
                secret_rotated_at INTEGER,
                -- The hash before the last rotation, valid until previous_secret_expires_at (a grace period).
                previous_secret_hash BLOB,
                previous_secret_expires_at INTEGER,
                created_at INTEGER NOT NULL,
                created_by TEXT NOT NULL,
                updated_at INTEGER NOT NULL,
                CHECK ((secret_hash IS NULL) = (secret_rotated_at IS NULL)),
                CHECK ((previous_secret_hash IS NULL) = (previous_secret_expires_at IS NULL))
            );
            -- Client ids are compared exactly, but two that differ only in case would confuse people: refused.
            CREATE UNIQUE INDEX portals_client_id_folded ON portals (lower(client_id));
            -- Bumped by every change, so each process's cache of the registry sees other processes' changes.
            CREATE TABLE portal_generation (
                id INTEGER PRIMARY KEY CHECK (id = 1),
                value INTEGER NOT NULL
            );
            INSERT INTO portal_generation (id, value) VALUES (1, 0);
            """),
    ]
}
