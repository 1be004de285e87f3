import Crypto
import Foundation
import Storage
import Support

extension CitizenService {
    /// Registers a simplified account: validates everything at once, hashes the password, then creates the citizen,
    /// its contacts, their one-time codes (queued in the outbox), a session and the audit record in one write.
    /// - Throws: `CitizensError.invalid` with every field problem; nothing is stored then.
    public func register(_ form: RegistrationForm, source: RequestSource) throws -> Registration {
        let valid = try FormValidation.registration(form, today: FormValidation.today(clock))
        let sendKeys = valid.contacts.map { codeSendingKey($0.0, $0.1) }
        try checkCodeSending(sendKeys)
        let passwordHash = try PasswordHash.make(password: form.password, parameters: settings.passwordParameters)
        let now = clock.now()
        let lifetime = settings.contactCodeLifetime
        for attempt in 0..<3 {
            let publicID = Self.newPublicID()
            do {
                let result: Registration = try database.write { db in
                    let id = try self.store.insertCitizen(publicID: publicID, surname: valid.surname, givenName: valid.givenName,
                                                          patronymic: valid.patronymic, birthDate: valid.birthDate, gender: valid.gender,
                                                          passwordHash: passwordHash, now: now, using: db)
                    try self.sendThrottle.recordFailure(keys: sendKeys, using: db)
                    var contacts: [Contact] = []
                    for (kind, value) in valid.contacts {
                        let contactID = try self.store.insertContact(citizenID: id, kind: kind, value: value, using: db)
                        let (code, hash) = self.makeContactCode(contactID: contactID)
                        try self.store.storeCode(contactID: contactID, hash: hash, expiresAt: now.addingTimeInterval(lifetime), using: db)
                        try self.outbox.enqueue(self.codeMessage(kind: kind, value: value, code: code), using: db)
                        contacts.append(Contact(id: contactID, kind: kind, value: value, confirmedAt: nil))
                    }
                    let (token, session) = try self.sessions.create(subject: Self.subject(id), method: "registration",
                                                                    userAgent: source.userAgent, sourceAddress: source.address, using: db)
                    try self.record("citizen.registered", actor: Self.subject(id), subject: Self.subject(id), source: source,
                                    details: ["contacts": contacts.map(\.kind.rawValue).joined(separator: ",")], using: db)
                    return Registration(citizenID: id, publicID: publicID, sessionToken: token, session: session, contactsToConfirm: contacts)
                }
                messageQueued()
                return result
            } catch let error as StorageError where error.code == .uniqueViolation && attempt < 2 {
                continue  // a public id collision among 9·10⁹ values: draw another
            }
        }
        throw CitizensError(.notAllowed)
    }

    /// A random ten-digit public identifier that never starts with zero.
    static func newPublicID() -> String {
        let high = 1 + Int(SecureRandom.uniform(9))
        let low = Int(SecureRandom.uniform(1_000_000_000))
        let tail = String(low)
        return String(high) + String(repeating: "0", count: 9 - tail.count) + tail
    }
}
