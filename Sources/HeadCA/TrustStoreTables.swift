import Foundation
import PKI
import Storage

/// The SQL of the trust store, run on the caller's executor so a change and its audit record commit together.
enum TrustStoreTables {
    /// A CRL row as stored.
    struct StoredCRL: Sendable {
        var issuerThumbprint: String
        var issuerSubject: String
        var der: [UInt8]
        var thisUpdate: Date
        var nextUpdate: Date?
        var number: String?
        var source: String
        var importedAt: Date
    }

    /// Extra facts a trusted list gives about a CA.
    struct Listing: Sendable {
        var name: String?
        var registryNumber: String?
        var ogrn: String?
        var inn: String?
    }

    static func millis(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 * 1000).rounded(.down)) }
    static func date(_ millis: Int64) -> Date { Date(timeIntervalSince1970: Double(millis) / 1000) }

    // MARK: Change counter and trusted-list version

    static func generation(_ db: any SQLExecutor) throws -> Int64 {
        try db.queryOne("SELECT generation FROM headca_state WHERE id = 1")?.int64(0) ?? 0
    }

    /// Marks the store changed; every write that changes what verification sees calls it.
    static func bumpGeneration(_ db: any SQLExecutor) throws {
        try db.execute("UPDATE headca_state SET generation = generation + 1 WHERE id = 1")
    }

    static func trustedListVersion(_ db: any SQLExecutor) throws -> Int? {
        try db.queryOne("SELECT tsl_version FROM headca_state WHERE id = 1")?.optionalInt(0)
    }

    static func setTrustedList(version: Int, date: Date?, importedAt: Date, _ db: any SQLExecutor) throws {
        try db.execute("UPDATE headca_state SET tsl_version = ?, tsl_date = ?, tsl_imported_at = ? WHERE id = 1",
                       [SQLValue(version), SQLValue(date.map(millis)), .integer(millis(importedAt))])
    }

    // MARK: CAs

    /// Every CA (or only the one with id `only`) with its periods and trusted-list CRL addresses, by id.
    static func allCAs(_ db: any SQLExecutor, only: Int64? = nil) throws -> [AccreditedCA] {
        let filter = only == nil ? "" : " WHERE ca_id = ?"
        let bindings: [SQLValue] = only.map { [.integer($0)] } ?? []
        var periods: [Int64: [AccreditationPeriod]] = [:]
        for row in try db.query("SELECT ca_id, valid_from, valid_until FROM headca_periods\(filter) ORDER BY ca_id, valid_from", bindings) {
            periods[try row.int64(0), default: []].append(
                AccreditationPeriod(from: date(try row.int64(1)), until: try row.optionalInt64(2).map(date)))
        }
        var urls: [Int64: [String]] = [:]
        for row in try db.query("SELECT ca_id, url FROM headca_crl_urls\(filter) ORDER BY ca_id, url", bindings) {
            urls[try row.int64(0), default: []].append(try row.string(1))
        }
        let caFilter = only == nil ? "" : " WHERE id = ?"
        return try db.query("SELECT id, certificate, terminated_at, name, registry_number FROM headca_cas\(caFilter) ORDER BY id",
                            bindings).map { row in
            let id = try row.int64(0)
            let certificate: Certificate
            do {
                certificate = try Certificate(der: try row.blob(1))
            } catch {
                throw StorageError(.typeMismatch, "headca_cas row \(id) holds no certificate")
            }
            return AccreditedCA(id: id, certificate: certificate, periods: periods[id] ?? [],
                                terminatedAt: try row.optionalInt64(2).map(date), name: try row.optionalString(3),
                                registryNumber: try row.optionalString(4), crlURLs: urls[id] ?? [])
        }
    }

    /// The id of the CA a reference names, or nil.
    static func caID(_ reference: CAReference, _ db: any SQLExecutor) throws -> Int64? {
        switch reference {
        case .id(let id): try db.queryOne("SELECT id FROM headca_cas WHERE id = ?", [.integer(id)])?.int64(0)
        case .thumbprint(let hex): try db.queryOne("SELECT id FROM headca_cas WHERE thumbprint = ?", [.text(hex.uppercased())])?.int64(0)
        }
    }

    static func ca(id: Int64, _ db: any SQLExecutor) throws -> AccreditedCA? {
        try allCAs(db, only: id).first
    }

    static func isTerminated(id: Int64, _ db: any SQLExecutor) throws -> Bool {
        try db.queryOne("SELECT terminated_at IS NOT NULL FROM headca_cas WHERE id = ?", [.integer(id)])?.bool(0) ?? false
    }

    static func insertCA(_ certificate: Certificate, source: String, listing: Listing?, now: Date, _ db: any SQLExecutor) throws -> Int64 {
        let row = try db.queryOne("""
            INSERT INTO headca_cas (thumbprint, subject, certificate, source, name, registry_number, ogrn, inn, added_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id
            """, [.text(certificate.sha1ThumbprintHex), .text(certificate.subjectDescription), .blob(certificate.derBytes),
                  .text(source), SQLValue(listing?.name), SQLValue(listing?.registryNumber), SQLValue(listing?.ogrn),
                  SQLValue(listing?.inn), .integer(millis(now))])
        return try row!.int64(0)
    }

    static func updateListing(caID: Int64, _ listing: Listing, _ db: any SQLExecutor) throws {
        try db.execute("UPDATE headca_cas SET source = 'tsl', name = ?, registry_number = ?, ogrn = ?, inn = ? WHERE id = ?",
                       [SQLValue(listing.name), SQLValue(listing.registryNumber), SQLValue(listing.ogrn), SQLValue(listing.inn),
                        .integer(caID)])
    }

    static func periods(caID: Int64, _ db: any SQLExecutor) throws -> [AccreditationPeriod] {
        try db.query("SELECT valid_from, valid_until FROM headca_periods WHERE ca_id = ? ORDER BY valid_from", [.integer(caID)]).map {
            AccreditationPeriod(from: date(try $0.int64(0)), until: try $0.optionalInt64(1).map(date))
        }
    }

    static func insertPeriod(caID: Int64, _ period: AccreditationPeriod, _ db: any SQLExecutor) throws {
        try db.execute("INSERT INTO headca_periods (ca_id, valid_from, valid_until) VALUES (?, ?, ?)",
                       [.integer(caID), .integer(millis(period.from)), SQLValue(period.until.map(millis))])
    }

    static func replacePeriods(caID: Int64, _ periods: [AccreditationPeriod], _ db: any SQLExecutor) throws {
        try db.execute("DELETE FROM headca_periods WHERE ca_id = ?", [.integer(caID)])
        for period in periods { try insertPeriod(caID: caID, period, db) }
    }

    /// Ends the accreditation at `now`: the period containing it is closed there and periods starting later are
    /// removed. Returns how many periods changed (0: there was nothing to end).
    static func endPeriods(caID: Int64, at now: Date, _ db: any SQLExecutor) throws -> Int {
        let at = millis(now)
        let closed = try db.execute("""
            UPDATE headca_periods SET valid_until = ?
            WHERE ca_id = ? AND valid_from < ? AND (valid_until IS NULL OR valid_until > ?)
            """, [.integer(at), .integer(caID), .integer(at), .integer(at)])
        let removed = try db.execute("DELETE FROM headca_periods WHERE ca_id = ? AND valid_from >= ?", [.integer(caID), .integer(at)])
        return closed + removed
    }

    static func setTerminated(caID: Int64, at: Date, _ db: any SQLExecutor) throws {
        try db.execute("UPDATE headca_cas SET terminated_at = ? WHERE id = ?", [.integer(millis(at)), .integer(caID)])
    }

    static func replaceCRLURLs(caID: Int64, _ urls: [String], _ db: any SQLExecutor) throws {
        try db.execute("DELETE FROM headca_crl_urls WHERE ca_id = ?", [.integer(caID)])
        for url in Set(urls).sorted() {
            try db.execute("INSERT INTO headca_crl_urls (ca_id, url) VALUES (?, ?)", [.integer(caID), .text(url)])
        }
    }

    // MARK: CRLs

    static func allCRLs(_ db: any SQLExecutor) throws -> [StoredCRL] {
        try db.query("""
            SELECT issuer_thumbprint, issuer_subject, crl, this_update, next_update, crl_number, source, imported_at
            FROM headca_crls ORDER BY issuer_thumbprint
            """).map(storedCRL)
    }

    static func crl(issuerThumbprint: String, _ db: any SQLExecutor) throws -> StoredCRL? {
        try db.queryOne("""
            SELECT issuer_thumbprint, issuer_subject, crl, this_update, next_update, crl_number, source, imported_at
            FROM headca_crls WHERE issuer_thumbprint = ?
            """, [.text(issuerThumbprint)]).map(storedCRL)
    }

    static func saveCRL(_ crl: StoredCRL, _ db: any SQLExecutor) throws {
        try db.execute("""
            INSERT INTO headca_crls (issuer_thumbprint, issuer_subject, crl, this_update, next_update, crl_number, source, imported_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (issuer_thumbprint) DO UPDATE SET issuer_subject = excluded.issuer_subject, crl = excluded.crl,
                this_update = excluded.this_update, next_update = excluded.next_update, crl_number = excluded.crl_number,
                source = excluded.source, imported_at = excluded.imported_at
            """, [.text(crl.issuerThumbprint), .text(crl.issuerSubject), .blob(crl.der), .integer(millis(crl.thisUpdate)),
                  SQLValue(crl.nextUpdate.map(millis)), SQLValue(crl.number), .text(crl.source), .integer(millis(crl.importedAt))])
    }

    private static func storedCRL(_ row: SQLRow) throws -> StoredCRL {
        StoredCRL(issuerThumbprint: try row.string(0), issuerSubject: try row.string(1), der: try row.blob(2),
                  thisUpdate: date(try row.int64(3)), nextUpdate: try row.optionalInt64(4).map(date),
                  number: try row.optionalString(5), source: try row.string(6), importedAt: date(try row.int64(7)))
    }
}
