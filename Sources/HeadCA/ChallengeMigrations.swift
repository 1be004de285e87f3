import Storage

/// The schema of e-signature login challenges: versions 340–349 belong to this part.
enum ChallengeMigrations {
    static let all: [Migration] = [
        Migration(version: 340, name: "signature_challenges", sql: """
            CREATE TABLE signature_challenges (
                id TEXT PRIMARY KEY,
                purpose TEXT NOT NULL CHECK (purpose IN ('citizen-login', 'staff-login')),
                -- The exact bytes the signer signs; not secret, and the detached signature is checked against them.
                text BLOB NOT NULL,
                -- HMAC-SHA-256 of the binding (a browser session's token or an API client's secret), never the binding.
                binding_hmac BLOB NOT NULL,
                issued_at INTEGER NOT NULL,
                expires_at INTEGER NOT NULL,
                used_at INTEGER,
                wrong_bindings INTEGER NOT NULL DEFAULT 0
            );
            CREATE INDEX signature_challenges_expiry ON signature_challenges (expires_at);
            """),
        // A verified certificate with no account, kept a few minutes for the browser that proved it, so that the
        // "register with this certificate" button carries no data the server would have to trust.
        Migration(version: 341, name: "signature_registration_offers", sql: """
            CREATE TABLE signature_registration_offers (
                id TEXT PRIMARY KEY,
                certificate BLOB NOT NULL,
                binding_hmac BLOB NOT NULL,
                expires_at INTEGER NOT NULL
            );
            CREATE INDEX signature_registration_offers_expiry ON signature_registration_offers (expires_at);
            """),
    ]
}
