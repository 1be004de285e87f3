import Crypto
import Foundation
import Storage
import Support

extension CitizenService {
    /// Creates `count` synthetic standard-level citizens for development and benchmarks: confirmed phone, encrypted
    /// and indexed SNILS and passport marked verified. All share one password hash, so seeding is not bound by scrypt.
    /// SNILS numbers run from 002-000-000 upward with correct check digits, so seeds never collide with each other.
    /// - Returns: how many were created.
    @discardableResult
    public func seedSynthetic(count: Int, startingAt first: Int = 0, password: String, batchSize: Int = 10_000,
                              progress: (Int) -> Void = { _ in }) throws -> Int {
        let hash = try PasswordHash.make(password: password, parameters: settings.passwordParameters)
        let surnames = ["Иванов", "Смирнов", "Кузнецов", "Попов", "Васильев", "Петров", "Соколов", "Михайлов"]
        let givenNames = ["Иван", "Пётр", "Алексей", "Сергей", "Андрей", "Дмитрий", "Николай", "Михаил"]
        let now = clock.now()
        // Random blind-index keys touch index pages all over the file: with SQLite's default 2 MB page cache nearly every
        // insert reads and rewrites pages through the kernel. A large cache on the writer connection for the seed only.
        let cacheSize = try database.write { db in try db.queryOne("PRAGMA cache_size", [])?.int(0) ?? -2000 }
        try database.write { db in _ = try db.execute("PRAGMA cache_size = -\(Self.seedCacheKiB)", []) }
        defer { _ = try? database.write { db in try db.execute("PRAGMA cache_size = \(cacheSize)", []) } }
        var created = 0
        var start = first
        while created < count {
            let size = min(batchSize, count - created)
            let batch = start..<(start + size)
            // Everything expensive but scrypt (AES-GCM, HMAC) happens before the write, keeping the writer's batch short.
            var rows: [(Int, String, CitizenStore.DocumentsRow)] = []
            rows.reserveCapacity(size)
            for n in batch {
                let snils = Self.syntheticSNILS(n)
                let series = String(4500 + n / 1_000_000).leftPadded(to: 4)
                let number = String(n % 1_000_000).leftPadded(to: 6)
                rows.append((n, snils, CitizenStore.DocumentsRow(
                    keyID: vault.keys.currentID, snilsIndex: vault.blindIndex("snils", snils), snilsSealed: [],
                    passportIndex: vault.blindIndex("passport", series + number), passportSealed: [], innIndex: nil, innSealed: nil,
                    addressSealed: [], snilsStatus: .verified, snilsReason: nil, passportStatus: .verified, passportReason: nil,
                    submittedAt: now, checkAttempts: 0)))
            }
            let vault = self.vault
            let prepared = rows
            try database.write { db in
                for (n, snils, template) in prepared {
                    let id = try self.store.insertCitizen(
                        publicID: String(5_000_000_000 + n), surname: surnames[n % surnames.count], givenName: givenNames[n / 8 % givenNames.count],
                        patronymic: nil, birthDate: "1980-01-01", gender: "male", passwordHash: hash, now: now, using: db)
                    let phone = Self.syntheticPhone(n)
                    let contactID = try self.store.insertContact(citizenID: id, kind: .phone, value: phone, using: db)
                    try self.store.confirmContact(id: contactID, now: now, using: db)
                    var row = template
                    func seal(_ text: String, _ field: String) throws -> [UInt8] {
                        try vault.seal(text, context: PersonalDataVault.context(citizenID: id, field: field)).bytes
                    }
                    let passport = PassportData(series: String(4500 + n / 1_000_000).leftPadded(to: 4),
                                                number: String(n % 1_000_000).leftPadded(to: 6), issueDate: "2000-01-01",
                                                issuer: "ОВД города Примерного", issuerCode: "770-001")
                    row.snilsSealed = try seal(snils, "snils")
                    row.passportSealed = try seal(passport.encoded(), "passport")
                    row.addressSealed = try seal(AddressData(postalCode: "101000", region: "Москва", city: "Москва", street: "Тверская",
                                                             house: String(n % 200 + 1), building: nil, flat: nil).encoded(), "address")
                    try self.store.saveDocuments(citizenID: id, row, nextCheckAt: nil, using: db)
                    try self.store.updateLevel(citizenID: id, level: .standard, evidence: LevelEvidence(method: "seed", reachedAt: now),
                                               identityConfirmed: false, using: db)
                }
            }
            created += size
            start += size
            progress(created)
        }
        try database.write { db in
            try self.record("dev.seeded", actor: "system", source: nil, details: ["citizens": String(count)], using: db)
        }
        return created
    }

    /// The writer's page cache while seeding, in KiB: room for the indexes of a few million citizens.
    static let seedCacheKiB = 256 * 1024

    /// The SNILS digits of seeded citizen number `n` (from 0): 002-000-000 + n with its check digits.
    public static func syntheticSNILS(_ n: Int) -> String {
        let firstNine = String(2_000_000 + n).leftPadded(to: 9)
        return firstNine + SNILS.checkDigits(forFirstNine: firstNine)
    }

    /// The confirmed phone of seeded citizen number `n` (from 0): +79 and n padded to 9 digits.
    public static func syntheticPhone(_ n: Int) -> String {
        "+79" + String(n).leftPadded(to: 9)
    }

    /// Finds a citizen by SNILS through the blind index; for staff lookups and benchmarks.
    public func citizenID(snils text: String) throws -> Int64? {
        let snils = try FormValidation.snilsDigits(text)
        let index = vault.blindIndex("snils", snils)
        return try database.read { db in try self.store.citizenID(snilsIndex: index, using: db) }
    }
}
