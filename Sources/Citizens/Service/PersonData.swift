import Foundation
import Storage

/// A passport as a portal may receive it (the `id_doc` scope); the full numbers, unlike the account page's summary.
public struct PassportDetails: Sendable, Equatable {
    /// Four digits.
    public var series: String
    /// Six digits.
    public var number: String
    /// `YYYY-MM-DD`.
    public var issueDate: String
    /// The issuing office.
    public var issuer: String
    /// `NNN-NNN`.
    public var issuerCode: String

    /// Makes a value.
    public init(series: String, number: String, issueDate: String, issuer: String, issuerCode: String) {
        self.series = series
        self.number = number
        self.issueDate = issueDate
        self.issuer = issuer
        self.issuerCode = issuerCode
    }
}

/// Everything about a citizen that portals may be given, decrypted: the source the federation's claims are built from,
/// for OpenID Connect and the ESIA dialect alike. Only what the consented scopes name leaves the service.
public struct CitizenPersonData: Sendable, Equatable {
    public var citizenID: Int64
    /// The stable public identifier (`sub`, the ESIA oid).
    public var publicID: String
    public var surname: String
    public var givenName: String
    public var patronymic: String?
    /// `YYYY-MM-DD`; nil when the account does not hold it.
    public var birthDate: String?
    /// `male` or `female`; nil when the account does not hold it.
    public var gender: String?
    /// nil while no contact is confirmed.
    public var level: AccountLevel?
    public var identityConfirmed: Bool
    /// Every contact, confirmed or not.
    public var contacts: [Contact]
    /// 11 digits; nil when none is on file.
    public var snils: String?
    /// Whether the SNILS was verified against the registry.
    public var snilsVerified: Bool
    /// 12 digits; nil when none is on file.
    public var inn: String?
    /// nil when none is on file.
    public var passport: PassportDetails?
    /// Whether the passport was verified against the registry.
    public var passportVerified: Bool
    /// The postal address given with the documents.
    public var address: AddressData?

    /// Makes a value; `CitizenService.personData` builds them from the database, tests may build them by hand.
    public init(citizenID: Int64, publicID: String, surname: String, givenName: String, patronymic: String?, birthDate: String?,
                gender: String?, level: AccountLevel?, identityConfirmed: Bool = false, contacts: [Contact] = [], snils: String? = nil,
                snilsVerified: Bool = false, inn: String? = nil, passport: PassportDetails? = nil, passportVerified: Bool = false,
                address: AddressData? = nil) {
        self.citizenID = citizenID
        self.publicID = publicID
        self.surname = surname
        self.givenName = givenName
        self.patronymic = patronymic
        self.birthDate = birthDate
        self.gender = gender
        self.level = level
        self.identityConfirmed = identityConfirmed
        self.contacts = contacts
        self.snils = snils
        self.snilsVerified = snilsVerified
        self.inn = inn
        self.passport = passport
        self.passportVerified = passportVerified
        self.address = address
    }
}

extension CitizenService {
    /// The citizen's data for portals, documents decrypted; throws `.notFound` for an unknown id.
    public func personData(citizenID: Int64) throws -> CitizenPersonData {
        guard let data = try loadPersonData({ db in try self.store.citizen(id: citizenID, using: db) }) else { throw CitizensError(.notFound) }
        return data
    }

    /// The citizen with this public identifier, for a token's `sub`; nil when there is none.
    public func personData(publicID: String) throws -> CitizenPersonData? {
        try loadPersonData { db in try self.store.citizen(publicID: publicID, using: db) }
    }

    private func loadPersonData(_ find: (any SQLExecutor) throws -> CitizenStore.CitizenRow?) throws -> CitizenPersonData? {
        let loaded = try database.read { db -> (CitizenStore.CitizenRow, [Contact], CitizenStore.DocumentsRow?)? in
            guard let citizen = try find(db) else { return nil }
            return (citizen, try self.store.contacts(citizenID: citizen.id, using: db), try self.store.documents(citizenID: citizen.id, using: db))
        }
        guard let (citizen, contacts, docs) = loaded else { return nil }
        // Typed as optionals, so this reads accounts that lack them (certificate registrations) the same way.
        let birthDate: String? = citizen.birthDate, gender: String? = citizen.gender
        var data = CitizenPersonData(citizenID: citizen.id, publicID: citizen.publicID, surname: citizen.surname, givenName: citizen.givenName,
                                     patronymic: citizen.patronymic, birthDate: birthDate, gender: gender, level: citizen.level,
                                     identityConfirmed: citizen.identityConfirmed, contacts: contacts)
        if let docs {
            func open(_ bytes: [UInt8], _ field: String) throws -> String {
                try vault.open(.init(keyID: docs.keyID, bytes: bytes), context: PersonalDataVault.context(citizenID: citizen.id, field: field))
            }
            data.snils = try open(docs.snilsSealed, "snils")
            data.snilsVerified = docs.snilsStatus == .verified
            data.inn = try docs.innSealed.map { try open($0, "inn") }
            // Optionals as well: a SNILS may be on file without passport and address.
            let passportSealed: [UInt8]? = docs.passportSealed, addressSealed: [UInt8]? = docs.addressSealed
            if let passportSealed {
                let passport = try PassportData.decode(try open(passportSealed, "passport"))
                data.passport = PassportDetails(series: passport.series, number: passport.number, issueDate: passport.issueDate,
                                                issuer: passport.issuer, issuerCode: passport.issuerCode)
                data.passportVerified = docs.passportStatus == .verified
            }
            if let addressSealed {
                data.address = try JSONDecoder().decode(AddressData.self, from: Data(try open(addressSealed, "address").utf8))
            }
        }
        return data
    }
}
