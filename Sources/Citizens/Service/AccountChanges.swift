import Crypto
import Foundation
import Storage

extension CitizenService {
    /// The public id and account level of an account, nil when it is gone: what a request that acts on a live session
    /// needs (an OAuth authorization), without the decryption the full profile costs.
    public func standing(citizenID: Int64) throws -> (publicID: String, level: AccountLevel?)? {
        guard let citizen = try database.read({ db in try store.citizen(id: citizenID, using: db) }) else { return nil }
        return (citizen.publicID, citizen.level)
    }

    /// The citizen's own view of the account: profile, level and its evidence, contacts, masked documents.
    public func profile(citizenID: Int64) throws -> CitizenProfile {
        let (citizen, contacts, docs) = try database.read { db in
            (try self.store.citizen(id: citizenID, using: db), try self.store.contacts(citizenID: citizenID, using: db),
             try self.store.documents(citizenID: citizenID, using: db))
        }
        guard let citizen else { throw CitizensError(.notFound) }
        var summary: DocumentsSummary?
        if let docs {
            let snils = try vault.open(.init(keyID: docs.keyID, bytes: docs.snilsSealed),
                                       context: PersonalDataVault.context(citizenID: citizenID, field: "snils"))
            let passport = try docs.passportSealed.map {
                try PassportData.decode(try vault.open(.init(keyID: docs.keyID, bytes: $0),
                                                       context: PersonalDataVault.context(citizenID: citizenID, field: "passport")))
            }
            summary = DocumentsSummary(snilsMasked: Masking.snils(snils), passportMasked: passport.map { Masking.passport($0.number) },
                                       snilsStatus: docs.snilsStatus, passportStatus: docs.passportStatus,
                                       snilsReason: docs.snilsReason, passportReason: docs.passportReason,
                                       submittedAt: docs.submittedAt, hasINN: docs.innSealed != nil,
                                       signatureCheckedAt: docs.signatureCheckedAt)
        }
        var missing: [MissingData] = []
        if !contacts.contains(where: { $0.confirmedAt != nil }) { missing.append(.contact) }
        if citizen.passwordHash == nil { missing.append(.password) }
        if docs?.passportSealed == nil { missing.append(.passport) }
        if citizen.birthDate == nil { missing.append(.birthDate) }
        if citizen.gender == nil { missing.append(.gender) }
        return CitizenProfile(id: citizen.id, publicID: citizen.publicID, surname: citizen.surname, givenName: citizen.givenName,
                              patronymic: citizen.patronymic, birthDate: citizen.birthDate, gender: citizen.gender, level: citizen.level,
                              evidence: citizen.evidence, identityConfirmed: citizen.identityConfirmed, contacts: contacts,
                              documents: summary, createdAt: citizen.createdAt, hasPassword: citizen.passwordHash != nil,
                              missingData: missing)
    }

    /// Changes the password after checking the current one; ends every other session and sends a notice.
    public func changePassword(citizenID: Int64, current: String, new: String, newRepeat: String?, keepSession handle: String?,
                               source: RequestSource) throws {
        let citizen = try database.read { db in try self.store.citizen(id: citizenID, using: db) }
        guard let citizen else { throw CitizensError(.notFound) }
        // An account without a password sets its first one with `setPassword`, which asks for a fresh signature instead.
        guard let currentHash = citizen.passwordHash else { throw CitizensError(.notAllowed) }
        let keys = ["account:\(citizenID)", "address:\(source.address)"]
        switch try throttle.check(keys: keys) {
        case .allowed: break
        case .delayed(let until), .lockedOut(let until): throw CitizensError(.throttled(retryAfterSeconds: retryAfter(until)))
        }
        guard try PasswordHash.verify(password: current, encoded: currentHash) else {
            try write { db in
                try self.throttle.recordFailure(keys: keys, using: db)
                try self.record("password.change-failed", actor: Self.subject(citizenID), subject: Self.subject(citizenID), source: source, using: db)
            }
            throw CitizensError.invalid("currentPassword", .mismatch)
        }
        // The SNILS on file, if any, so the policy refuses a password made of it.
        let docs = try database.read { db in try self.store.documents(citizenID: citizenID, using: db) }
        let snils = try docs.map {
            try vault.open(.init(keyID: $0.keyID, bytes: $0.snilsSealed), context: PersonalDataVault.context(citizenID: citizenID, field: "snils"))
        }
        try FormValidation.newPassword(new, repeat: newRepeat, surname: citizen.surname, givenName: citizen.givenName,
                                       patronymic: citizen.patronymic, birthDate: citizen.birthDate, snils: snils)
        let hash = try PasswordHash.make(password: new, parameters: settings.passwordParameters)
        let contacts = try database.read { db in try self.store.contacts(citizenID: citizenID, using: db) }
        try write { db in
            try self.store.updatePasswordHash(citizenID: citizenID, hash: hash, using: db)
            try self.sessions.endAll(subject: Self.subject(citizenID), except: handle, using: db)
            try self.notifyPasswordChange(contacts, using: db)
            try self.record("password.changed", actor: Self.subject(citizenID), subject: Self.subject(citizenID), source: source, using: db)
        }
        messageQueued()
    }

    /// Tells every confirmed contact that the password changed, so a change the citizen did not make is noticed.
    func notifyPasswordChange(_ contacts: [Contact], using db: any SQLExecutor) throws {
        for contact in contacts where contact.confirmedAt != nil {
            try outbox.enqueue(OutboxMessage(channel: contact.kind == .phone ? .sms : .email, recipient: contact.value,
                                             subject: "Пароль изменён / Password changed",
                                             body: "Пароль OpenESIA изменён. Если это были не вы, обратитесь в центр обслуживания. / Your OpenESIA password was changed. If this was not you, contact a service centre."),
                               using: db)
        }
    }
}

/// Masks identifiers for display: enough for the owner to recognise them, too little to be useful to anyone else.
public enum Masking {
    /// `***-***-445 95`
    public static func snils(_ digits: String) -> String {
        let d = Array(digits)
        guard d.count == 11 else { return "***" }
        return "***-***-\(String(d[6...8])) \(String(d[9...10]))"
    }

    /// `** ** ****56`
    public static func passport(_ number: String) -> String {
        "** ** ****" + String(number.suffix(2))
    }
}
