import Crypto
import Foundation
import Storage

/// What service-centre staff may see of a citizen found by exact SNILS: enough to recognise the person, no more.
public struct StaffCitizenView: Sendable, Equatable {
    public var citizenID: Int64
    public var surname: String
    public var givenName: String
    public var patronymic: String?
    /// `YYYY-MM-DD`; nil for an account registered with a certificate that has not added it.
    public var birthDate: String?
    public var level: AccountLevel?
    public var identityConfirmed: Bool
}

extension CitizenService {
    /// Records that the citizen's identity was proven (activation code, staff check, qualified signature), inside the
    /// caller's write so it commits with the code's consumption or the staff action. The level becomes confirmed when
    /// SNILS and passport are verified; the evidence names the method.
    public func confirmIdentity(citizenID: Int64, method: String, actor: String, source: RequestSource?,
                                details: [String: String] = [:], using db: any SQLExecutor) throws {
        guard let citizen = try store.citizen(id: citizenID, using: db) else { throw CitizensError(.notFound) }
        guard citizen.level != nil else { throw CitizensError(.contactNotConfirmed) }
        try record("identity.confirmed", actor: actor, subject: Self.subject(citizenID), source: source,
                   details: details.merging(["method": method]) { a, _ in a }, using: db)
        try refreshLevel(citizenID: citizenID, method: method, source: source, identityConfirmed: true, using: db)
    }

    /// Confirms the identity of a citizen whose passport a staff member has just checked in person, in its own write;
    /// method `staff-check`, audited with the staff id, centre and source address. The caller must have matched the
    /// passport (`passportMatches`) in the same request.
    public func confirmIdentityByStaff(citizenID: Int64, staffID: Int64, centreID: String?, source: RequestSource?) throws {
        try database.write { db in
            try self.confirmIdentity(citizenID: citizenID, method: "staff-check", actor: "staff:\(staffID)", source: source,
                                     details: ["staff": "staff:\(staffID)", "centre": centreID ?? "-"], using: db)
        }
    }

    /// The citizen with exactly this SNILS, as staff may see them; nil when there is none.
    public func staffView(snils text: String) throws -> StaffCitizenView? {
        guard let id = try citizenID(snils: text) else { return nil }
        return try database.read { db in
            try self.store.citizen(id: id, using: db).map {
                StaffCitizenView(citizenID: $0.id, surname: $0.surname, givenName: $0.givenName, patronymic: $0.patronymic,
                                 birthDate: $0.birthDate, level: $0.level, identityConfirmed: $0.identityConfirmed)
            }
        }
    }

    /// Whether passport data typed by staff who saw the document equals what is stored. Compares keyed hashes of the
    /// normalised values in constant time; the stored data is never shown.
    public func passportMatches(citizenID: Int64, series: String, number: String, issueDate: String) throws -> Bool {
        let docs = try database.read { db in try self.store.documents(citizenID: citizenID, using: db) }
        guard let docs, let passportSealed = docs.passportSealed else { return false }
        let stored = try PassportData.decode(try vault.open(.init(keyID: docs.keyID, bytes: passportSealed),
                                                            context: PersonalDataVault.context(citizenID: citizenID, field: "passport")))
        let typedSeries = (try? PassportSeries(parsing: series).digits) ?? ""
        let typedNumber = (try? PassportNumber(parsing: number).digits) ?? ""
        let typedDate = (try? CalendarDate(parsing: issueDate, field: FieldName.passportIssueDate).iso8601) ?? ""
        func digest(_ s: String, _ n: String, _ d: String) -> [UInt8] { vault.blindIndex("passport-check", "\(s)|\(n)|\(d)") }
        return ConstantTime.equals(digest(typedSeries, typedNumber, typedDate), digest(stored.series, stored.number, stored.issueDate))
    }

    /// The name and postal address for a registered letter; nil when no documents are on file.
    public func postalRecipient(citizenID: Int64) throws -> (fullName: String, address: AddressData)? {
        let loaded = try database.read { db in (try self.store.citizen(id: citizenID, using: db), try self.store.documents(citizenID: citizenID, using: db)) }
        guard let citizen = loaded.0, let addressSealed = loaded.1?.addressSealed, let docs = loaded.1 else { return nil }
        let json = try vault.open(.init(keyID: docs.keyID, bytes: addressSealed), context: PersonalDataVault.context(citizenID: citizenID, field: "address"))
        let address = try JSONDecoder().decode(AddressData.self, from: Data(json.utf8))
        let name = [citizen.surname, citizen.givenName, citizen.patronymic].compactMap { $0 }.joined(separator: " ")
        return (name, address)
    }
}
