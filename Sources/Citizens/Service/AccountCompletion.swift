import Crypto
import Foundation
import Storage

extension CitizenService {
    /// Sets the first password of an account that has none (one registered with a certificate).
    ///
    /// There is no current password to ask for. Instead `session` must be the citizen's own, begun by a signature login
    /// at most `settings.freshSignatureWindow` ago: a session left open on a shared computer must not become a lasting
    /// password. Other sessions stay (they too began with a signature); confirmed contacts get a notice.
    /// - Throws: `.notAllowed` when the account has a password (use `changePassword`); `.reauthenticationRequired`
    ///   when the session is not a fresh signature session of this citizen; `.invalid` with the password's problems.
    public func setPassword(citizenID: Int64, new: String, newRepeat: String?, session: Session, source: RequestSource) throws {
        let loaded = try database.read { db in
            (try self.store.citizen(id: citizenID, using: db), try self.store.documents(citizenID: citizenID, using: db),
             try self.store.contacts(citizenID: citizenID, using: db))
        }
        guard let citizen = loaded.0 else { throw CitizensError(.notFound) }
        guard citizen.passwordHash == nil else { throw CitizensError(.notAllowed) }
        let age = clock.now().timeIntervalSince(session.createdAt)
        guard session.subject == Self.subject(citizenID), session.authenticationMethod == Self.signatureMethod,
              age >= 0, age <= settings.freshSignatureWindow else { throw CitizensError(.reauthenticationRequired) }
        let snils = try loaded.1.map {
            try vault.open(.init(keyID: $0.keyID, bytes: $0.snilsSealed), context: PersonalDataVault.context(citizenID: citizenID, field: "snils"))
        }
        try FormValidation.newPassword(new, repeat: newRepeat, surname: citizen.surname, givenName: citizen.givenName,
                                       patronymic: citizen.patronymic, birthDate: citizen.birthDate, snils: snils)
        let hash = try PasswordHash.make(password: new, parameters: settings.passwordParameters)
        let contacts = loaded.2
        try write { db in
            guard try self.store.setFirstPasswordHash(citizenID: citizenID, hash: hash, using: db) else { throw CitizensError(.notAllowed) }
            try self.notifyPasswordChange(contacts, using: db)
            try self.record("password.set", actor: Self.subject(citizenID), subject: Self.subject(citizenID), source: source,
                            details: ["session": session.handle], using: db)
        }
        messageQueued()
    }

    /// Adds the birth date and gender an account lacks (certificates carry neither), checked as at registration. The
    /// passport can only be submitted once the birth date is known. Values already on file are never changed here.
    /// - Throws: `.notAllowed` when the account has both; `.invalid` with the fields' problems.
    public func addPersonalDetails(citizenID: Int64, birthDate: String, gender: String, source: RequestSource) throws {
        let citizen = try database.read { db in try self.store.citizen(id: citizenID, using: db) }
        guard let citizen else { throw CitizensError(.notFound) }
        guard citizen.birthDate == nil || citizen.gender == nil else { throw CitizensError(.notAllowed) }
        let valid = try FormValidation.personalDetails(birthDate: birthDate, gender: gender, today: FormValidation.today(clock))
        let added = [citizen.birthDate == nil ? "birthDate" : nil, citizen.gender == nil ? "gender" : nil].compactMap { $0 }
        try write { db in
            try self.store.fillPersonalDetails(citizenID: citizenID, birthDate: valid.birthDate, gender: valid.gender, using: db)
            try self.record("profile.completed", actor: Self.subject(citizenID), subject: Self.subject(citizenID), source: source,
                            details: ["added": added.joined(separator: ",")], using: db)
        }
    }
}
