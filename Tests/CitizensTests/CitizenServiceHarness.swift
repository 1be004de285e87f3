import Audit
@testable import Citizens
import Crypto
import Foundation
import Storage
import Support
import Testing

/// A `CitizenService` on a fresh temporary database, with a fixed clock and cheap scrypt, for the service tests.
final class ServiceHarness: @unchecked Sendable {
    static let cheapScrypt = ScryptParameters(logN: 10, r: 8, p: 1)
    static let source = RequestSource(address: "192.0.2.10", userAgent: "tests")

    let directory: URL
    let database: Database
    let clock: FixedClock
    let audit: AuditLog
    let indexKey: SymmetricKey
    let tokenKey: SymmetricKey
    private(set) var service: CitizenService

    var databasePath: String { directory.appendingPathComponent("test.sqlite").path }

    init(dataKeys: DataKeyRing? = nil, settings: CitizenSettings? = nil) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("citizen-service-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        database = try Database(path: directory.appendingPathComponent("test.sqlite").path)
        try database.migrate(AuditLog.migrations + CitizenService.migrations)
        clock = FixedClock()
        indexKey = .random()
        tokenKey = .random()
        audit = try AuditLog(key: SymmetricKey.random().bytes, clock: clock)
        service = try Self.makeService(database: database, clock: clock, audit: audit, indexKey: indexKey, tokenKey: tokenKey,
                                       dataKeys: dataKeys ?? DataKeyRing(currentID: "test-a", keys: ["test-a": .random()]),
                                       settings: settings)
    }

    /// A second service over the same database, keys for indexes and tokens, and clock (after key rotation, a cost change).
    func reopen(dataKeys: DataKeyRing? = nil, settings: CitizenSettings? = nil) throws {
        service = try Self.makeService(database: database, clock: clock, audit: audit, indexKey: indexKey, tokenKey: tokenKey,
                                       dataKeys: dataKeys ?? service.vault.keys, settings: settings)
    }

    private static func makeService(database: Database, clock: FixedClock, audit: AuditLog, indexKey: SymmetricKey, tokenKey: SymmetricKey,
                                    dataKeys: DataKeyRing, settings: CitizenSettings?) throws -> CitizenService {
        var cheap = CitizenSettings()
        cheap.passwordParameters = cheapScrypt
        return CitizenService(
            database: database, vault: PersonalDataVault(keys: dataKeys, indexKey: indexKey), audit: audit, outbox: Outbox(clock: clock),
            sessions: SessionStore(database: database, hashKey: tokenKey.bytes, clock: clock),
            throttle: LoginThrottle(database: database, clock: clock), codeKey: tokenKey, settings: settings ?? cheap, clock: clock,
            logger: Logger(minimumLevel: .error, sink: MemorySink()))
    }

    func close() {
        database.close()
        try? FileManager.default.removeItem(at: directory)
    }

    // MARK: Reading the database

    func count(_ table: String) throws -> Int {
        try database.read { try $0.queryOne("SELECT COUNT(*) FROM \(table)")!.int(0) }
    }

    /// The newest outbox message to `recipient`.
    func lastMessage(to recipient: String) throws -> String? {
        try database.read {
            try $0.queryOne("SELECT body FROM outbox WHERE recipient = ? ORDER BY id DESC LIMIT 1", [.text(recipient)])?.string(0)
        }
    }

    /// The six-digit code in the newest message to `recipient`.
    func lastCode(to recipient: String) throws -> String {
        let body = try #require(try lastMessage(to: recipient))
        return try #require(Self.code(in: body))
    }

    static func code(in text: String) -> String? {
        guard let range = text.range(of: #"\b[0-9]{6}\b"#, options: .regularExpression) else { return nil }
        return String(text[range])
    }

    func auditKinds(subject: String? = nil) throws -> [String] {
        try database.read { try self.audit.records(subject: subject, limit: 1000, using: $0) }.map(\.event.kind).reversed()
    }

    // MARK: Building accounts

    /// Registers and confirms the phone; returns the citizen id.
    @discardableResult
    func confirmedCitizen(_ form: RegistrationForm = ServiceHarness.anna()) throws -> Int64 {
        let registration = try service.register(form, source: Self.source)
        try service.confirmContact(citizenID: registration.citizenID, kind: form.phone.isEmpty ? .email : .phone,
                                   code: try lastCode(to: registration.contactsToConfirm[0].value), source: Self.source)
        return registration.citizenID
    }

    /// Anna Petrova as in docs/examples/reference-registry.csv.
    static func anna(phone: String = "+79161234567", email: String = "") -> RegistrationForm {
        var form = RegistrationForm()
        form.surname = "Петрова"
        form.givenName = "Анна"
        form.patronymic = "Сергеевна"
        form.birthDate = "1990-05-17"
        form.gender = "female"
        form.phone = phone
        form.email = email
        form.password = password
        form.consent = true
        return form
    }

    static func ivan(phone: String = "+79035550101") -> RegistrationForm {
        var form = anna(phone: phone)
        form.surname = "Иванов"
        form.givenName = "Иван"
        form.patronymic = "Иванович"
        form.birthDate = "1985-03-14"
        form.gender = "male"
        return form
    }

    static let password = "Krasnaya-Ploshchad-42"

    /// Anna's documents as in the reference registry.
    static func annaDocuments(snils: String = "112-233-445 95", series: String = "4508", number: String = "123456",
                              inn: String = "") -> DocumentsForm {
        var form = DocumentsForm()
        form.snils = snils
        form.passportSeries = series
        form.passportNumber = number
        form.passportIssueDate = "2010-06-01"
        form.passportIssuer = "ОВД района Хамовники города Москвы"
        form.passportIssuerCode = "772-001"
        form.inn = inn
        form.postalCode = "119021"
        form.region = "Москва"
        form.city = "Москва"
        form.street = "улица Льва Толстого"
        form.house = "16"
        return form
    }

    static func ivanDocuments() -> DocumentsForm {
        var form = annaDocuments(snils: "123-456-789 64", series: "4505", number: "135790")
        form.passportIssueDate = "2005-04-02"
        return form
    }
}

/// Runs `body` with a fresh harness and removes it afterwards.
func withCitizenService(dataKeys: DataKeyRing? = nil, settings: CitizenSettings? = nil, _ body: (ServiceHarness) throws -> Void) throws {
    let harness = try ServiceHarness(dataKeys: dataKeys, settings: settings)
    defer { harness.close() }
    try body(harness)
}

/// The code of the `CitizensError` that `body` throws, or nil when it throws nothing or something else.
func citizensError(_ body: () throws -> Void) -> CitizensError.Code? {
    do {
        try body()
        return nil
    } catch let error as CitizensError {
        return error.code
    } catch {
        return nil
    }
}

/// The repository's development key directory.
let exampleKeysDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("keys-example").path

/// The repository's example reference registry.
let exampleRegistryFile = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("docs/examples/reference-registry.csv").path
