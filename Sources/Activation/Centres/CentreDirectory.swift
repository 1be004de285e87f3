import Audit
import Citizens
import Foundation
import Storage
import Support

/// The directory of service centres: replaced as a whole from a CSV file, searched by region and city.
///
/// Methods block on the database; call them from worker threads. Storage failures throw `StorageError`.
public final class CentreDirectory: Sendable {
    /// The centres' table (version 230). Apply after `StaffDirectory.migrations`: an import checks staff bindings.
    public static let migrations: [Migration] = CentreMigrations.all

    /// The most centres one search returns.
    public static let maxSearchResults = 500

    private let database: Database
    private let audit: AuditLog

    /// A directory over `database`; imports are recorded in `audit`.
    public init(database: Database, audit: AuditLog) {
        self.database = database
        self.audit = audit
    }

    /// Replaces the directory with the file's centres in one transaction and returns how many it holds now.
    ///
    /// Centres are keyed by their code: a code present before keeps its id (and its staff), a new code is
    /// added, a code no longer in the file is removed. Any invalid row, or a removed centre that still has
    /// staff bound to it, throws `CentreImportError` naming line and column, and nothing changes.
    @discardableResult
    public func importCSV(_ text: String, actor: String = "operator", source: RequestSource? = nil) throws -> Int {
        let rows = try CentreCSV.rows(text)
        let centres = rows.map(\.centre)
        let audit = self.audit
        try database.write { db in
            let existing = Set(try db.query("SELECT id FROM service_centres").map { try $0.string("id") })
            let incoming = Set(centres.map(\.id))
            let removed = existing.subtracting(incoming)
            if !removed.isEmpty {
                // Every bound centre is named at once, so one edit of the file fixes them all.
                let bound = try db.query("SELECT DISTINCT centre_id FROM staff WHERE centre_id IS NOT NULL ORDER BY centre_id")
                    .map { try $0.string("centre_id") }.filter(removed.contains)
                if !bound.isEmpty {
                    throw CentreImportError(problems: bound.prefix(CentreCSV.maxProblems).map {
                        .init(line: nil, column: "code", kind: .centreHasStaff, code: $0)
                    }, truncated: bound.count > CentreCSV.maxProblems)
                }
                for id in removed.sorted() { try db.execute("DELETE FROM service_centres WHERE id = ?", [.text(id)]) }
            }
            for centre in centres {
                // Portable upsert: an existing code keeps its row, and the staff rows that reference it.
                try db.execute("""
                    INSERT INTO service_centres (id, name, region, city, address, opening_hours, latitude, longitude, region_key, city_key)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT (id) DO UPDATE SET name = excluded.name, region = excluded.region, city = excluded.city,
                        address = excluded.address, opening_hours = excluded.opening_hours, latitude = excluded.latitude,
                        longitude = excluded.longitude, region_key = excluded.region_key, city_key = excluded.city_key
                    """, [.text(centre.id), .text(centre.name), .text(centre.region), .text(centre.city), .text(centre.address),
                          .text(centre.openingHours), SQLValue(centre.latitude), SQLValue(centre.longitude),
                          .text(Self.searchKey(centre.region)), .text(Self.searchKey(centre.city))])
            }
            let added = incoming.subtracting(existing).count
            try audit.append(AuditEvent(kind: "centres.imported", actor: actor, sourceAddress: source?.address, details: [
                "centres": String(centres.count), "added": String(added), "removed": String(removed.count),
                "kept": String(centres.count - added),
            ]), using: db)
        }
        return centres.count
    }

    /// Centres in a region (exact, as listed by `regions()`) and/or whose city starts with `city`; both compared
    /// case-insensitively with ё read as е and hyphens as spaces. Nil or blank criteria match everything.
    /// Sorted by region, city and name; at most `limit` (1…500).
    public func search(region: String? = nil, city: String? = nil, limit: Int = 100) throws -> [ServiceCentre] {
        var conditions = [String]()
        var bindings = [SQLValue]()
        if let region, case let key = Self.searchKey(region), !key.isEmpty {
            conditions.append("region_key = ?")
            bindings.append(.text(key))
        }
        if let city, case let key = Self.searchKey(city), !key.isEmpty {
            conditions.append("city_key LIKE ? ESCAPE '\\'")
            bindings.append(.text(Self.likeEscaped(key) + "%"))
        }
        bindings.append(SQLValue(min(max(limit, 1), Self.maxSearchResults)))
        let filter = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        return try database.read { db in
            try db.query("SELECT \(Self.columns) FROM service_centres \(filter) ORDER BY region_key, city_key, name, id LIMIT ?",
                         bindings).map(Self.centre)
        }
    }

    /// Every region with at least one centre, as written in the file, in alphabetical order.
    public func regions() throws -> [String] {
        try database.read { db in
            // MIN picks one spelling when rows of a region differ only in case or ё.
            try db.query("SELECT MIN(region) AS region FROM service_centres GROUP BY region_key ORDER BY region_key")
                .map { try $0.string("region") }
        }
    }

    /// The centre with this id (code, any case), or nil.
    public func centre(id: String) throws -> ServiceCentre? {
        try database.read { db in
            try db.queryOne("SELECT \(Self.columns) FROM service_centres WHERE id = ?", [.text(id.uppercased())]).map(Self.centre)
        }
    }

    /// How many centres the directory holds.
    public func count() throws -> Int {
        try database.read { try $0.queryOne("SELECT COUNT(*) FROM service_centres")?.int(0) ?? 0 }
    }

    // MARK: Internals

    private static let columns = "id, name, region, city, address, opening_hours, latitude, longitude"

    private static func centre(_ row: SQLRow) throws -> ServiceCentre {
        ServiceCentre(id: try row.string("id"), name: try row.string("name"), region: try row.string("region"),
                      city: try row.string("city"), address: try row.string("address"),
                      openingHours: try row.string("opening_hours"), latitude: try row.optionalDouble("latitude"),
                      longitude: try row.optionalDouble("longitude"))
    }

    /// The folded form places are stored and searched in: lower case, ё as е, hyphens and runs of spaces as one space.
    static func searchKey(_ text: String) -> String {
        let mapped = text.lowercased().map { character -> Character in
            switch character {
            case "ё": "е"
            case "-", "\u{2010}", "\u{2011}", "\u{2013}", "\u{2014}": " "
            default: character
            }
        }
        return String(mapped).split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    /// `text` with LIKE's wildcards and the escape character escaped, so a typed '%' matches only '%'.
    private static func likeEscaped(_ text: String) -> String {
        var out = ""
        for character in text {
            if character == "%" || character == "_" || character == "\\" { out.append("\\") }
            out.append(character)
        }
        return out
    }
}
