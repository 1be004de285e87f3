import Storage

extension ReferenceRegistry {
    /// The reference registry's tables; versions 130–139 belong to the registry.
    ///
    /// No SNILS or passport number is stored in the clear: rows are found through keyed blind indexes
    /// (HMAC-SHA-256 of the normalised value), since the table holds personal data like the state registry it stands for.
    public static let migrations: [Migration] = [
        Migration(version: 130, name: "reference_registry", sql: """
            CREATE TABLE reference_registry (
                snils_index BLOB NOT NULL PRIMARY KEY,
                passport_index BLOB NOT NULL UNIQUE,
                surname TEXT NOT NULL,
                given_name TEXT NOT NULL,
                patronymic TEXT,
                birth_date TEXT NOT NULL,
                passport_issue_date TEXT NOT NULL,
                passport_valid INTEGER NOT NULL CHECK (passport_valid IN (0, 1))
            ) WITHOUT ROWID;
            """),
    ]
}
