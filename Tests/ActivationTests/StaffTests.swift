@testable import Activation
import Audit
import Citizens
import Crypto
import Foundation
import Storage
import Support
import Testing

/// A migrated temporary database with a staff directory, a centre directory holding three centres, and a fixed clock.
struct StaffFixture {
    let database: Database
    let clock: FixedClock
    let staff: StaffDirectory
    let centres: CentreDirectory
    let audit: AuditLog
    let vault: PersonalDataVault
    let sessions: SessionStore

    static let centresCSV = """
        code,name,region,city,address,opening_hours,latitude,longitude
        MSK-001,МФЦ Тверской,Москва,Москва,"ул. Тверская, д. 1",пн–вс 8–20,55.76,37.60
        MSK-002,МФЦ Бутово,Москва,Москва,"ул. Южная, д. 2",пн–вс 8–20,,
        SPB-001,МФЦ Центральный,Санкт-Петербург,Санкт-Петербург,"Невский пр-т, д. 3",ежедневно 9–21,59.93,30.36
        """

    /// A password that meets the staff policy.
    static let password = "correct horse battery"
    /// The address logins come from.
    static let source = RequestSource(address: "192.0.2.10", userAgent: "Firefox")
}

/// Runs `body` with a fresh fixture in a temporary folder, removed afterwards.
func withStaffFixture(_ body: (StaffFixture) throws -> Void) throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("activation-staff-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let clock = FixedClock()
    let database = try Database(path: folder.appendingPathComponent("test.sqlite").path, clock: clock)
    defer { database.close() }
    try database.migrate(AuditLog.migrations + SessionStore.migrations + StaffDirectory.migrations + CentreDirectory.migrations)
    let audit = try AuditLog(key: [UInt8](repeating: 3, count: 32), clock: clock)
    let vault = PersonalDataVault(keys: try DataKeyRing(currentID: "k1", keys: ["k1": .random()]), indexKey: .random())
    let sessions = SessionStore(database: database, hashKey: [UInt8](repeating: 7, count: 32), policy: .staff, clock: clock)
    var settings = StaffSettings()
    settings.passwordParameters = ScryptParameters(logN: 10, r: 8, p: 1)
    let staff = StaffDirectory(database: database, vault: vault, audit: audit, sessions: sessions,
                               throttle: LoginThrottle(database: database, clock: clock), hashKey: .random(),
                               settings: settings, clock: clock)
    let centres = CentreDirectory(database: database, audit: audit)
    try centres.importCSV(StaffFixture.centresCSV)
    try body(StaffFixture(database: database, clock: clock, staff: staff, centres: centres, audit: audit, vault: vault, sessions: sessions))
}

extension StaffFixture {
    /// Adds an account from the command line and returns it with its TOTP secret.
    @discardableResult
    func add(_ login: String, _ role: StaffRole, centre: String? = nil, snils: String? = nil) throws -> (member: StaffMember, secret: [UInt8]) {
        let enrolment = try staff.add(login: login, displayName: "Test \(login)", role: role, centreID: centre, snils: snils,
                                      password: Self.password)
        return (try staff.member(id: enrolment.staffID)!, secret(of: enrolment.totpURI))
    }

    /// The secret in an otpauth URI.
    func secret(of uri: String) -> [UInt8] {
        let query = uri.split(separator: "?", maxSplits: 1)[1]
        let secret = query.split(separator: "&").first { $0.hasPrefix("secret=") }!.dropFirst("secret=".count)
        return Base32.decode(String(secret))!
    }

    /// The code an authenticator shows now.
    func code(_ secret: [UInt8]) -> String { TOTP.code(secret: secret, time: clock.now()) }

    /// The audit records of one kind, oldest first.
    func records(_ kind: String) throws -> [AuditRecord] {
        try database.read { try audit.records(subject: nil, limit: 1000, using: $0) }.filter { $0.event.kind == kind }.reversed()
    }

    /// The error `body` throws, or nil.
    func staffError(_ body: () throws -> Void) -> StaffError? {
        do {
            try body()
            return nil
        } catch let error as StaffError {
            return error
        } catch {
            Issue.record("unexpected error \(error)")
            return nil
        }
    }
}

@Suite struct StaffAddTests {
    @Test func addCreatesTheAccountAndReturnsTheEnrolmentURIOnce() throws {
        try withStaffFixture { f in
            let enrolment = try f.staff.add(login: "  Ivan.Petrov ", displayName: "Иван  Петров", role: .operator, centreID: "msk-001",
                                            snils: nil, password: StaffFixture.password, source: RequestSource(address: "203.0.113.5"))
            #expect(enrolment.totpURI.hasPrefix("otpauth://totp/OpenESIA:ivan.petrov?secret="))
            #expect(enrolment.totpURI.hasSuffix("&issuer=OpenESIA&algorithm=SHA1&digits=6&period=30"))
            #expect(f.secret(of: enrolment.totpURI).count == 20)
            let member = try #require(try f.staff.member(id: enrolment.staffID))
            #expect(member.login == "ivan.petrov")
            #expect(member.displayName == "Иван Петров")
            #expect(member.role == .operator && member.centreID == "MSK-001" && member.isActive && !member.hasSNILS)
            #expect(try f.staff.member(login: "IVAN.PETROV") == member)

            let added = try f.records("staff.added")
            #expect(added.count == 1)
            #expect(added[0].event.actor == "operator")
            #expect(added[0].event.subject == "staff:\(enrolment.staffID)")
            #expect(added[0].event.sourceAddress == "203.0.113.5")
            #expect(added[0].event.details == ["role": "operator", "centre": "MSK-001", "snils": "no"])

            // The secret is stored sealed, not as the bytes or their base32.
            let row = try f.database.read { try $0.queryOne("SELECT totp_secret_sealed, totp_key_id FROM staff")! }
            let sealed = try row.blob(0)
            #expect(sealed.count == 20 + 28)
            #expect(try row.string(1) == "k1")
            #expect(!String(decoding: sealed, as: UTF8.self).contains(Base32.encode(f.secret(of: enrolment.totpURI))))
        }
    }

    @Test func everyFieldProblemIsReportedAtOnce() throws {
        try withStaffFixture { f in
            let error = f.staffError {
                _ = try f.staff.add(login: "a!", displayName: "  ", role: .operator, centreID: nil, snils: "112-233-445 96",
                                    password: "short")
            }
            guard case .invalid(let problems) = error else { Issue.record("expected .invalid, got \(String(describing: error))"); return }
            #expect(problems.map(\.description) == [
                "login: tooShort", "displayName: required", "centre: required", "snils: badChecksum", "password: tooShort",
            ])
        }
    }

    @Test func fieldRules() throws {
        try withStaffFixture { f in
            func problems(login: String = "valid.login", name: String = "Name", role: StaffRole = .operator, centre: String? = "MSK-001",
                          snils: String? = nil, password: String = StaffFixture.password) -> [String] {
                guard case .invalid(let list) = f.staffError({
                    _ = try f.staff.add(login: login, displayName: name, role: role, centreID: centre, snils: snils, password: password)
                }) else { return [] }
                return list.map(\.description)
            }
            #expect(problems(login: "ab") == ["login: tooShort"])
            #expect(problems(login: String(repeating: "a", count: 65)) == ["login: tooLong"])
            #expect(problems(login: "ivan petrov") == ["login: invalidCharacters"])
            #expect(problems(login: "иван") == ["login: invalidCharacters"])
            #expect(problems(login: ".ivan") == ["login: invalidCharacters"])
            #expect(problems(login: "a_b-c.9") == [])
            #expect(problems(name: String(repeating: "я", count: 101)) == ["displayName: tooLong"])
            #expect(problems(name: "Tab\u{7}Bell") == ["displayName: invalidCharacters"])
            #expect(problems(role: .serviceAdmin, centre: "MSK-001") == ["centre: notAllowed"])
            #expect(problems(role: .centreAdmin, centre: " ") == ["centre: required"])
            #expect(problems(snils: "12345") == ["snils: invalidFormat"])
            #expect(problems(password: "") == ["password: required"])
            #expect(problems(password: "elevenchars") == ["password: tooShort"])
            #expect(problems(password: "123qweasdzxc") == ["password: commonPassword"])
            #expect(problems(password: String(repeating: "x", count: 129)) == ["password: tooLong"])
        }
    }

    @Test func loginSNILSAndCentreMustBeFreeAndReal() throws {
        try withStaffFixture { f in
            try f.add("ivan", .operator, centre: "MSK-001", snils: "112-233-445 95")
            #expect(f.staffError { _ = try f.add("IVAN", .operator, centre: "MSK-002") } == .loginTaken)
            #expect(f.staffError { _ = try f.add("other", .operator, centre: "MSK-002", snils: "11223344595") } == .snilsTaken)
            #expect(f.staffError { _ = try f.add("third", .operator, centre: "NOPE-1") } == .unknownCentre)
            #expect(try f.staff.add(login: "admin", displayName: "Admin", role: .serviceAdmin, centreID: nil, snils: nil,
                                    password: StaffFixture.password).staffID > 0)
            #expect(try f.database.read { try $0.queryOne("SELECT COUNT(*) FROM staff")!.int(0) } == 2)
            #expect(try f.records("staff.added").count == 2)
        }
    }

    @Test func snilsIsStoredAsBlindIndexAndSealedOnly() throws {
        try withStaffFixture { f in
            let (member, _) = try f.add("ivan", .centreAdmin, centre: "MSK-001", snils: "112-233-445 95")
            #expect(member.hasSNILS)
            let row = try f.database.read { try $0.queryOne("SELECT * FROM staff")! }
            // No column, as text or bytes, holds the digits in any usual spelling.
            for value in row.values {
                let text: String = switch value {
                case .text(let t): t
                case .blob(let b): String(decoding: b, as: UTF8.self) + Hex.encode(b)
                default: ""
                }
                for spelling in ["11223344595", "112-233-445 95", "112233445"] { #expect(!text.contains(spelling)) }
            }
            #expect(try row.blob("snils_index") == f.vault.blindIndex("snils", "11223344595"))
            #expect(try f.staff.member(snils: "112 233 445 95") == member)
            #expect(try f.staff.member(snils: "98765432183") == nil)
            #expect(try f.staff.snils(staffID: member.id) == "11223344595")
            // The sealed copy is bound to its row: moved to another row it does not open.
            let other = try f.add("petr", .operator, centre: "MSK-001", snils: "123-456-789 64").member
            try f.database.write { db in
                try db.execute("UPDATE staff SET snils_sealed = (SELECT snils_sealed FROM staff WHERE id = ?) WHERE id = ?",
                               [.integer(member.id), .integer(other.id)])
            }
            #expect(throws: CryptoError.self) { try f.staff.snils(staffID: other.id) }
        }
    }

    @Test func staffActorsCreateOnlyWhatTheirRoleAllows() throws {
        try withStaffFixture { f in
            let admin = try f.add("admin", .serviceAdmin).member
            let mskAdmin = try f.add("msk.admin", .centreAdmin, centre: "MSK-001").member
            let op = try f.add("msk.op", .operator, centre: "MSK-001").member
            func add(_ login: String, _ role: StaffRole, _ centre: String?, by actor: StaffMember) throws {
                _ = try f.staff.add(login: login, displayName: login, role: role, centreID: centre, snils: nil,
                                    password: StaffFixture.password, by: .staff(actor), source: StaffFixture.source)
            }
            try add("new.op", .operator, "MSK-001", by: mskAdmin)
            #expect(f.staffError { try add("xx1", .operator, "MSK-002", by: mskAdmin) } == .forbidden)
            #expect(f.staffError { try add("xx2", .centreAdmin, "MSK-001", by: mskAdmin) } == .forbidden)
            #expect(f.staffError { try add("xx3", .serviceAdmin, nil, by: mskAdmin) } == .forbidden)
            #expect(f.staffError { try add("xx4", .operator, "MSK-001", by: op) } == .forbidden)
            try add("spb.admin", .centreAdmin, "SPB-001", by: admin)
            #expect(try f.staff.member(login: "xx1") == nil)
            let added = try f.records("staff.added").last!
            #expect(added.event.actor == admin.subject && added.event.sourceAddress == "192.0.2.10")
            let denied = try f.records("staff.denied")
            #expect(denied.count == 4)
            #expect(denied[0].event.actor == mskAdmin.subject)
            #expect(denied[0].event.details == ["action": "add", "role": "operator", "centre": "MSK-002", "snils": "no", "actorCentre": "MSK-001"])
            // An actor disabled after their session was checked is refused on the stored state.
            try f.staff.disable(staffID: mskAdmin.id, by: .staff(admin))
            #expect(f.staffError { try add("late", .operator, "MSK-001", by: mskAdmin) } == .forbidden)
        }
    }
}
