import Storage

/// The schema of the service-centre directory: versions 230–239 belong to this part.
enum CentreMigrations {
    static let all: [Migration] = [
        // `id` is the operator's code from the CSV (MSK-001): it stays the same across re-imports, so staff keep
        // their binding. The *_key columns hold the folded forms searched on (lower case, ё as е).
        Migration(version: 230, name: "service_centres", sql: """
            CREATE TABLE service_centres (
                id TEXT PRIMARY KEY,
                name TEXT NOT NULL,
                region TEXT NOT NULL,
                city TEXT NOT NULL,
                address TEXT NOT NULL,
                opening_hours TEXT NOT NULL,
                latitude REAL,
                longitude REAL,
                region_key TEXT NOT NULL,
                city_key TEXT NOT NULL,
                CHECK ((latitude IS NULL) = (longitude IS NULL))
            );
            CREATE INDEX service_centres_place ON service_centres (region_key, city_key);
            CREATE INDEX service_centres_city ON service_centres (city_key);
            """),
    ]
}
