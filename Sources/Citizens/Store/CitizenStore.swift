import Foundation
import Storage

/// The SQL of the citizens' core tables. Every function takes the executor of the caller's read or write, so a
/// change, its audit record and its outbox message commit together.
struct CitizenStore: Sendable {
    struct CitizenRow: Sendable {
        var id: Int64
        var publicID: String
        var surname: String
        var givenName: String
        var patronymic: String?
        /// nil for an account registered with a certificate until the citizen adds it.
        var birthDate: String?
        var gender: String?
        /// nil until a certificate-registered citizen sets a password; such an account cannot log in with one.
        var passwordHash: String?
        var level: AccountLevel?
        var evidence: LevelEvidence
        var identityConfirmed: Bool
        var createdAt: Date
    }

    struct DocumentsRow: Sendable {
        var keyID: String
        var snilsIndex: [UInt8]
        var snilsSealed: [UInt8]
        /// nil, with the sealed passport and address, while only a certificate's SNILS (and INN) is on file.
        var passportIndex: [UInt8]?
        var passportSealed: [UInt8]?
        var innIndex: [UInt8]?
        var innSealed: [UInt8]?
        var addressSealed: [UInt8]?
        var snilsStatus: VerificationStatus
        var snilsReason: String?
        var passportStatus: VerificationStatus
        var passportReason: String?
        var submittedAt: Date
        var checkAttempts: Int
        /// When a qualified signature vouched for this SNILS; nil when none did.
        var signatureCheckedAt: Date? = nil
    }

    static func millis(_ date: Date) -> SQLValue { .integer(Int64((date.timeIntervalSince1970 * 1000).rounded())) }
    static func date(_ millis: Int64) -> Date { Date(timeIntervalSince1970: Double(millis) / 1000) }

    // MARK: Citizens

    func insertCitizen(publicID: String, surname: String, givenName: String, patronymic: String?, birthDate: String?, gender: String?,
                       passwordHash: String?, now: Date, using db: any SQLExecutor) throws -> Int64 {
        let row = try db.queryOne("""
            INSERT INTO citizens (public_id, surname, given_name, patronymic, birth_date, gender, password_hash, level,
                                  level_method, level_reached_at, identity_confirmed, created_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, NULL, 'registration', ?, 0, ?) RETURNING id
            """, [.text(publicID), .text(surname), .text(givenName), SQLValue(patronymic), SQLValue(birthDate), SQLValue(gender),
                  SQLValue(passwordHash), Self.millis(now), Self.millis(now)])
        return try row!.int64(0)
    }

    func citizen(id: Int64, using db: any SQLExecutor) throws -> CitizenRow? {
        try db.queryOne("SELECT * FROM citizens WHERE id = ?", [.integer(id)]).map(Self.citizenRow)
    }

    func citizen(publicID: String, using db: any SQLExecutor) throws -> CitizenRow? {
        try db.queryOne("SELECT * FROM citizens WHERE public_id = ?", [.text(publicID)]).map(Self.citizenRow)
    }

    private static func citizenRow(_ row: SQLRow) throws -> CitizenRow {
        CitizenRow(id: try row.int64("id"), publicID: try row.string("public_id"), surname: try row.string("surname"),
                   givenName: try row.string("given_name"), patronymic: try row.optionalString("patronymic"),
                   birthDate: try row.optionalString("birth_date"), gender: try row.optionalString("gender"),
                   passwordHash: try row.optionalString("password_hash"),
                   level: try row.optionalString("level").flatMap(AccountLevel.init(rawValue:)),
                   evidence: LevelEvidence(method: try row.string("level_method"), reachedAt: date(try row.int64("level_reached_at"))),
                   identityConfirmed: try row.int64("identity_confirmed") != 0, createdAt: date(try row.int64("created_at")))
    }

    func updatePasswordHash(citizenID: Int64, hash: String, using db: any SQLExecutor) throws {
        try db.execute("UPDATE citizens SET password_hash = ? WHERE id = ?", [.text(hash), .integer(citizenID)])
    }

    /// Sets the first password of an account that has none; false when it has one (set by a racing request).
    func setFirstPasswordHash(citizenID: Int64, hash: String, using db: any SQLExecutor) throws -> Bool {
        try db.execute("UPDATE citizens SET password_hash = ? WHERE id = ? AND password_hash IS NULL", [.text(hash), .integer(citizenID)]) == 1
    }

    /// Fills in a birth date and gender the account does not have yet; values already on file are kept.
    func fillPersonalDetails(citizenID: Int64, birthDate: String, gender: String, using db: any SQLExecutor) throws {
        try db.execute("UPDATE citizens SET birth_date = COALESCE(birth_date, ?), gender = COALESCE(gender, ?) WHERE id = ?",
                       [.text(birthDate), .text(gender), .integer(citizenID)])
    }

    func updateLevel(citizenID: Int64, level: AccountLevel?, evidence: LevelEvidence, identityConfirmed: Bool, using db: any SQLExecutor) throws {
        try db.execute("UPDATE citizens SET level = ?, level_method = ?, level_reached_at = ?, identity_confirmed = ? WHERE id = ?",
                       [SQLValue(level?.rawValue), .text(evidence.method), Self.millis(evidence.reachedAt),
                        .integer(identityConfirmed ? 1 : 0), .integer(citizenID)])
    }

    // MARK: Contacts

    func insertContact(citizenID: Int64, kind: ContactKind, value: String, using db: any SQLExecutor) throws -> Int64 {
        try db.queryOne("INSERT INTO citizen_contacts (citizen_id, kind, value) VALUES (?, ?, ?) RETURNING id",
                        [.integer(citizenID), .text(kind.rawValue), .text(value)])!.int64(0)
    }

    func contacts(citizenID: Int64, using db: any SQLExecutor) throws -> [Contact] {
        try db.query("SELECT id, kind, value, confirmed_at FROM citizen_contacts WHERE citizen_id = ? ORDER BY id", [.integer(citizenID)])
            .map { row in
                Contact(id: try row.int64("id"), kind: ContactKind(rawValue: try row.string("kind")) ?? .email, value: try row.string("value"),
                        confirmedAt: try row.optionalInt64("confirmed_at").map(Self.date))
            }
    }

    /// The citizen whose confirmed contact this is.
    func citizenID(confirmedContact kind: ContactKind, value: String, using db: any SQLExecutor) throws -> Int64? {
        try db.queryOne("SELECT citizen_id FROM citizen_contacts WHERE kind = ? AND value = ? AND confirmed_at IS NOT NULL",
                        [.text(kind.rawValue), .text(value)])?.int64(0)
    }

    func confirmContact(id: Int64, now: Date, using db: any SQLExecutor) throws {
        try db.execute("UPDATE citizen_contacts SET confirmed_at = ? WHERE id = ?", [Self.millis(now), .integer(id)])
    }

    func deleteContact(id: Int64, using db: any SQLExecutor) throws {
        try db.execute("DELETE FROM contact_codes WHERE contact_id = ?", [.integer(id)])
        try db.execute("DELETE FROM citizen_contacts WHERE id = ?", [.integer(id)])
    }

    // MARK: Contact codes

    func storeCode(contactID: Int64, hash: [UInt8], expiresAt: Date, using db: any SQLExecutor) throws {
        try db.execute("DELETE FROM contact_codes WHERE contact_id = ?", [.integer(contactID)])
        try db.execute("INSERT INTO contact_codes (contact_id, code_hash, expires_at, attempts) VALUES (?, ?, ?, 0)",
                       [.integer(contactID), .blob(hash), Self.millis(expiresAt)])
    }

    func code(contactID: Int64, using db: any SQLExecutor) throws -> (hash: [UInt8], expiresAt: Date, attempts: Int)? {
        try db.queryOne("SELECT code_hash, expires_at, attempts FROM contact_codes WHERE contact_id = ?", [.integer(contactID)]).map {
            (try $0.blob("code_hash"), Self.date(try $0.int64("expires_at")), try $0.int("attempts"))
        }
    }

    func countFailedCode(contactID: Int64, using db: any SQLExecutor) throws {
        try db.execute("UPDATE contact_codes SET attempts = attempts + 1 WHERE contact_id = ?", [.integer(contactID)])
    }

    func deleteCode(contactID: Int64, using db: any SQLExecutor) throws {
        try db.execute("DELETE FROM contact_codes WHERE contact_id = ?", [.integer(contactID)])
    }

    // MARK: Documents

    func documents(citizenID: Int64, using db: any SQLExecutor) throws -> DocumentsRow? {
        try db.queryOne("SELECT * FROM citizen_documents WHERE citizen_id = ?", [.integer(citizenID)]).map(Self.documentsRow)
    }

    private static func documentsRow(_ row: SQLRow) throws -> DocumentsRow {
        DocumentsRow(keyID: try row.string("key_id"), snilsIndex: try row.blob("snils_index"), snilsSealed: try row.blob("snils_sealed"),
                     passportIndex: try row.optionalBlob("passport_index"), passportSealed: try row.optionalBlob("passport_sealed"),
                     innIndex: try row.optionalBlob("inn_index"), innSealed: try row.optionalBlob("inn_sealed"),
                     addressSealed: try row.optionalBlob("address_sealed"),
                     snilsStatus: VerificationStatus(rawValue: try row.string("snils_status")) ?? .pending,
                     snilsReason: try row.optionalString("snils_reason"),
                     passportStatus: VerificationStatus(rawValue: try row.string("passport_status")) ?? .pending,
                     passportReason: try row.optionalString("passport_reason"),
                     submittedAt: date(try row.int64("submitted_at")), checkAttempts: try row.int("check_attempts"),
                     signatureCheckedAt: try row.optionalInt64("signature_checked_at").map(date))
    }

    /// Inserts or replaces the documents row; the unique blind indexes refuse a SNILS or passport held by another account.
    func saveDocuments(citizenID: Int64, _ docs: DocumentsRow, nextCheckAt: Date?, using db: any SQLExecutor) throws {
        try db.execute("""
            INSERT INTO citizen_documents (citizen_id, key_id, snils_index, snils_sealed, passport_index, passport_sealed, inn_index,
                inn_sealed, address_sealed, snils_status, snils_reason, passport_status, passport_reason, submitted_at, next_check_at,
                check_attempts, signature_checked_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (citizen_id) DO UPDATE SET key_id = excluded.key_id, snils_index = excluded.snils_index,
                snils_sealed = excluded.snils_sealed, passport_index = excluded.passport_index, passport_sealed = excluded.passport_sealed,
                inn_index = excluded.inn_index, inn_sealed = excluded.inn_sealed, address_sealed = excluded.address_sealed,
                snils_status = excluded.snils_status, snils_reason = excluded.snils_reason, passport_status = excluded.passport_status,
                passport_reason = excluded.passport_reason, submitted_at = excluded.submitted_at, next_check_at = excluded.next_check_at,
                check_attempts = excluded.check_attempts, signature_checked_at = excluded.signature_checked_at
            """, [.integer(citizenID), .text(docs.keyID), .blob(docs.snilsIndex), .blob(docs.snilsSealed),
                  docs.passportIndex.map(SQLValue.blob) ?? .null, docs.passportSealed.map(SQLValue.blob) ?? .null,
                  docs.innIndex.map(SQLValue.blob) ?? .null, docs.innSealed.map(SQLValue.blob) ?? .null,
                  docs.addressSealed.map(SQLValue.blob) ?? .null, .text(docs.snilsStatus.rawValue), SQLValue(docs.snilsReason),
                  .text(docs.passportStatus.rawValue), SQLValue(docs.passportReason), Self.millis(docs.submittedAt),
                  nextCheckAt.map(Self.millis) ?? .null, .integer(Int64(docs.checkAttempts)),
                  docs.signatureCheckedAt.map(Self.millis) ?? .null])
    }

    func citizenID(snilsIndex: [UInt8], using db: any SQLExecutor) throws -> Int64? {
        try db.queryOne("SELECT citizen_id FROM citizen_documents WHERE snils_index = ?", [.blob(snilsIndex)])?.int64(0)
    }

    func innTaken(innIndex: [UInt8], using db: any SQLExecutor) throws -> Bool {
        try db.queryOne("SELECT 1 FROM citizen_documents WHERE inn_index = ?", [.blob(innIndex)]) != nil
    }

    /// Records that a qualified signature vouched for the citizen's SNILS on file.
    func markSignatureChecked(citizenID: Int64, at now: Date, using db: any SQLExecutor) throws {
        try db.execute("UPDATE citizen_documents SET signature_checked_at = ? WHERE citizen_id = ?", [Self.millis(now), .integer(citizenID)])
    }

    /// Citizens whose documents wait for a registry check that is due.
    func documentsDue(now: Date, limit: Int, using db: any SQLExecutor) throws -> [Int64] {
        try db.query("SELECT citizen_id FROM citizen_documents WHERE next_check_at IS NOT NULL AND next_check_at <= ? ORDER BY next_check_at LIMIT ?",
                     [Self.millis(now), .integer(Int64(limit))]).map { try $0.int64(0) }
    }

    func recordCheck(citizenID: Int64, snils: (VerificationStatus, String?), passport: (VerificationStatus, String?), using db: any SQLExecutor) throws {
        try db.execute("""
            UPDATE citizen_documents SET snils_status = ?, snils_reason = ?, passport_status = ?, passport_reason = ?,
                next_check_at = NULL, check_attempts = 0 WHERE citizen_id = ?
            """, [.text(snils.0.rawValue), SQLValue(snils.1), .text(passport.0.rawValue), SQLValue(passport.1), .integer(citizenID)])
    }

    func postponeCheck(citizenID: Int64, until: Date, using db: any SQLExecutor) throws {
        try db.execute("UPDATE citizen_documents SET next_check_at = ?, check_attempts = check_attempts + 1 WHERE citizen_id = ?",
                       [Self.millis(until), .integer(citizenID)])
    }
}
