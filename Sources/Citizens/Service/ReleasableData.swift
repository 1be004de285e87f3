import Foundation
import Storage

/// What a portal may be given about a citizen, decrypted: the source of ID-token claims and of the ESIA dialect's
/// person resources. Which parts a portal actually receives is the federation's decision (consented scopes).
///
/// Documents appear only once the state registries verified them: a SNILS or passport still being checked, or
/// refused, is absent, as data the account does not hold is. The INN (not checked against a registry) and the postal
/// address appear as on file.
public struct ReleasableData: Sendable, Equatable {
    /// The citizen's internal id.
    public var citizenID: Int64
    /// The stable public identifier: ten digits, the ESIA dialect's oid and OpenID Connect's `sub`.
    public var publicID: String
    public var surname: String
    public var givenName: String
    public var patronymic: String?
    /// `YYYY-MM-DD`.
    public var birthDate: String?
    /// `male` or `female`.
    public var gender: String?
    /// nil while no contact is confirmed.
    public var level: AccountLevel?
    /// 11 digits, when verified.
    public var snils: String?
    /// 12 digits, when on file.
    public var inn: String?
    /// When verified.
    public var passport: ReleasablePassport?
    /// Every contact, confirmed or not (`confirmedAt` tells).
    public var contacts: [Contact]
    /// The postal address, when on file.
    public var address: AddressData?

    /// Makes a value (tests build these directly).
    public init(citizenID: Int64, publicID: String, surname: String, givenName: String, patronymic: String?, birthDate: String?,
                gender: String?, level: AccountLevel?, snils: String?, inn: String?, passport: ReleasablePassport?, contacts: [Contact],
                address: AddressData?) {
        self.citizenID = citizenID
        self.publicID = publicID
        self.surname = surname
        self.givenName = givenName
        self.patronymic = patronymic
        self.birthDate = birthDate
        self.gender = gender
        self.level = level
        self.snils = snils
        self.inn = inn
        self.passport = passport
        self.contacts = contacts
        self.address = address
    }
}

/// A verified Russian internal passport.
public struct ReleasablePassport: Sendable, Equatable {
    /// Four digits.
    public var series: String
    /// Six digits.
    public var number: String
    /// `YYYY-MM-DD`.
    public var issueDate: String
    /// The issuing office's name.
    public var issuer: String
    /// The division code, `NNN-NNN`.
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

extension CitizenService {
    /// The citizen's internal id for a public id; nil when no account has it.
    public func citizenID(publicID: String) throws -> Int64? {
        try database.read { db in try self.store.citizen(publicID: publicID, using: db)?.id }
    }

    /// Everything a portal may be given about the citizen, decrypted (`ReleasableData`); `.notFound` for no such account.
    public func releasableData(citizenID: Int64) throws -> ReleasableData {
        let (citizen, contacts, docs) = try database.read { db in
            (try self.store.citizen(id: citizenID, using: db), try self.store.contacts(citizenID: citizenID, using: db),
             try self.store.documents(citizenID: citizenID, using: db))
        }
        guard let citizen else { throw CitizensError(.notFound) }
        var data = ReleasableData(citizenID: citizen.id, publicID: citizen.publicID, surname: citizen.surname, givenName: citizen.givenName,
                                  patronymic: citizen.patronymic, birthDate: citizen.birthDate, gender: citizen.gender, level: citizen.level,
                                  snils: nil, inn: nil, passport: nil, contacts: contacts, address: nil)
        guard let docs else { return data }
        func open(_ bytes: [UInt8], _ field: String) throws -> String {
            try vault.open(.init(keyID: docs.keyID, bytes: bytes), context: PersonalDataVault.context(citizenID: citizenID, field: field))
        }
        if docs.snilsStatus == .verified { data.snils = try open(docs.snilsSealed, "snils") }
        data.inn = try docs.innSealed.map { try open($0, "inn") }
        if docs.passportStatus == .verified, let sealed = docs.passportSealed {
            let passport = try PassportData.decode(try open(sealed, "passport"))
            data.passport = ReleasablePassport(series: passport.series, number: passport.number, issueDate: passport.issueDate,
                                               issuer: passport.issuer, issuerCode: passport.issuerCode)
        }
        data.address = try docs.addressSealed.map { try JSONDecoder().decode(AddressData.self, from: Data(try open($0, "address").utf8)) }
        return data
    }
}
