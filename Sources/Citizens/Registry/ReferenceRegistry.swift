import Crypto
import Storage

/// The embedded registry adapter: checks documents against a reference registry imported from CSV
/// into the service's own database.
///
/// A SNILS is verified when it exists with the same name and birth date; a passport when it exists,
/// was issued to a person of the same name and birth date on the same day, and is valid.
/// Names are compared after trimming, case folding and treating ё as е.
public final class ReferenceRegistry: RegistryAdapter {
    private let database: Database
    private let indexKey: [UInt8]

    /// Uses `database` (migrated with `ReferenceRegistry.migrations`); `indexKey` is the 32-byte HMAC key of the blind indexes.
    public init(database: Database, indexKey: [UInt8]) {
        // A wrong key length is a wiring mistake, not a runtime condition.
        precondition(indexKey.count == 32, "the registry index key must be 32 bytes")
        self.database = database
        self.indexKey = indexKey
    }

    /// Replaces the registry's contents with the CSV's rows in one transaction and returns how many were imported.
    ///
    /// Every row is checked first; any problem throws `RegistryImportError` naming line and column, and nothing changes.
    @discardableResult
    public func importCSV(_ text: String) throws -> Int {
        let rows = try ReferenceRegistryCSV.rows(text)
        let bindings: [[SQLValue]] = rows.map { row in
            [.blob(snilsIndex(row.snils)), .blob(passportIndex(series: row.passportSeries, number: row.passportNumber)),
             .text(row.surname), .text(row.givenName), SQLValue(row.patronymic), .text(row.birthDate),
             .text(row.passportIssueDate), SQLValue(row.passportValid)]
        }
        // One write closure is one savepoint: the delete and every insert commit together or not at all.
        try database.write { db in
            try db.execute("DELETE FROM reference_registry")
            for values in bindings {
                try db.execute("""
                    INSERT INTO reference_registry (snils_index, passport_index, surname, given_name, patronymic,
                        birth_date, passport_issue_date, passport_valid) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """, values)
            }
        }
        return rows.count
    }

    /// How many people the registry holds.
    public func count() throws -> Int {
        try database.read { try $0.queryOne("SELECT COUNT(*) FROM reference_registry")?.int(0) ?? 0 }
    }

    /// Checks both documents; a database failure throws `RegistryUnavailable` so the check is retried.
    public func check(_ query: RegistryQuery) throws -> RegistryAnswer {
        let snilsKey = snilsIndex(Self.digits(query.snils))
        let passportKey = passportIndex(series: Self.digits(query.passportSeries), number: Self.digits(query.passportNumber))
        let (bySNILS, byPassport): (Person?, Person?)
        do {
            (bySNILS, byPassport) = try database.read { db in
                let columns = "surname, given_name, patronymic, birth_date, passport_issue_date, passport_valid"
                return (try db.queryOne("SELECT \(columns) FROM reference_registry WHERE snils_index = ?",
                                        [.blob(snilsKey)]).map(Person.init),
                        try db.queryOne("SELECT \(columns) FROM reference_registry WHERE passport_index = ?",
                                        [.blob(passportKey)]).map(Person.init))
            }
        } catch let error as StorageError {
            throw RegistryUnavailable(reason: "reference registry: \(error)")
        }

        let snils: DocumentCheck
        if let person = bySNILS {
            if !person.hasName(of: query) {
                snils = .rejected(reason: RegistryRejection.nameMismatch)
            } else if person.birthDate != query.birthDate {
                snils = .rejected(reason: RegistryRejection.birthDateMismatch)
            } else {
                snils = .verified
            }
        } else {
            snils = .rejected(reason: RegistryRejection.notFound)
        }

        // The passport is judged on its own, as the passport registry would: against name and birth date, not the SNILS.
        let passport: DocumentCheck
        if let person = byPassport {
            if !person.hasName(of: query) || person.birthDate != query.birthDate {
                passport = .rejected(reason: RegistryRejection.passportNotOfPerson)
            } else if person.passportIssueDate != query.passportIssueDate {
                passport = .rejected(reason: RegistryRejection.issueDateMismatch)
            } else if !person.passportValid {
                passport = .rejected(reason: RegistryRejection.passportInvalid)
            } else {
                passport = .verified
            }
        } else {
            passport = .rejected(reason: RegistryRejection.notFound)
        }
        return RegistryAnswer(snils: snils, passport: passport)
    }

    // MARK: - Blind indexes

    private func snilsIndex(_ digits: String) -> [UInt8] {
        HMAC.sha256(key: indexKey, message: "snils:" + digits)
    }

    private func passportIndex(series: String, number: String) -> [UInt8] {
        HMAC.sha256(key: indexKey, message: "passport:" + series + number)
    }

    /// Only the digits, so "112-233-445 95" and "11223344595" index alike.
    private static func digits(_ text: String) -> String {
        String(text.unicodeScalars.filter { ("0"..."9").contains($0) }.map(Character.init))
    }

    /// A name as compared: trimmed, inner spaces collapsed, lower case, ё as е.
    static func folded(_ name: String?) -> String {
        let words = (name ?? "").lowercased().split(whereSeparator: { $0.isWhitespace })
        return String(words.joined(separator: " ").map { $0 == "ё" ? "е" : $0 })
    }
}

/// One registry row as read back for a check.
private struct Person {
    var surname: String
    var givenName: String
    var patronymic: String?
    var birthDate: String
    var passportIssueDate: String
    var passportValid: Bool

    init(_ row: SQLRow) throws {
        surname = try row.string("surname")
        givenName = try row.string("given_name")
        patronymic = try row.optionalString("patronymic")
        birthDate = try row.string("birth_date")
        passportIssueDate = try row.string("passport_issue_date")
        passportValid = try row.bool("passport_valid")
    }

    /// Whether surname, given name and patronymic all match the query's (a missing patronymic matches only a missing one).
    func hasName(of query: RegistryQuery) -> Bool {
        typealias R = ReferenceRegistry
        return R.folded(surname) == R.folded(query.surname) && R.folded(givenName) == R.folded(query.givenName)
            && R.folded(patronymic) == R.folded(query.patronymic)
    }
}
