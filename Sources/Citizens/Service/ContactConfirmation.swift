import Crypto
import Foundation
import Storage

extension CitizenService {
    /// Checks the one-time code of the citizen's unconfirmed contact of that kind. At most `contactCodeMaxAttempts`
    /// wrong codes; then a new code must be requested. A confirmed contact replaces the previous one of its kind.
    public func confirmContact(citizenID: Int64, kind: ContactKind, code: String, source: RequestSource) throws {
        let now = clock.now()
        let typed = code.filter { !$0.isWhitespace && $0 != "-" }
        let maxAttempts = settings.contactCodeMaxAttempts
        enum Outcome: Sendable { case confirmed, wrong, exhausted, expired, none }
        let outcome: Outcome = try write(uniqueClash: CitizensError(.contactInUse)) { db in
            let contacts = try self.store.contacts(citizenID: citizenID, using: db)
            guard let contact = contacts.last(where: { $0.kind == kind && $0.confirmedAt == nil }),
                  let stored = try self.store.code(contactID: contact.id, using: db) else { return .none }
            if stored.attempts >= maxAttempts { return .exhausted }
            if stored.expiresAt <= now { return .expired }
            guard typed.count == 6, ConstantTime.equals(self.contactCodeHash(contactID: contact.id, code: typed), stored.hash) else {
                try self.store.countFailedCode(contactID: contact.id, using: db)
                try self.record("contact.code-failed", actor: Self.subject(citizenID), subject: Self.subject(citizenID), source: source,
                                details: ["kind": kind.rawValue, "attempt": String(stored.attempts + 1)], using: db)
                return stored.attempts + 1 >= maxAttempts ? .exhausted : .wrong
            }
            for old in contacts where old.kind == kind && old.confirmedAt != nil {
                try self.store.deleteContact(id: old.id, using: db)
            }
            try self.store.deleteCode(contactID: contact.id, using: db)
            try self.store.confirmContact(id: contact.id, now: now, using: db)
            try self.record("contact.confirmed", actor: Self.subject(citizenID), subject: Self.subject(citizenID), source: source,
                            details: ["kind": kind.rawValue], using: db)
            try self.refreshLevel(citizenID: citizenID, method: "registration", source: source, using: db)
            return .confirmed
        }
        switch outcome {
        case .confirmed: return
        case .wrong: throw CitizensError(.invalidCode)
        case .exhausted: throw CitizensError(.codeExhausted)
        case .expired: throw CitizensError(.expiredCode)
        case .none: throw CitizensError(.notAllowed)
        }
    }

    /// Sends a fresh code for the unconfirmed contact of that kind; the previous code stops working.
    public func resendCode(citizenID: Int64, kind: ContactKind, source: RequestSource) throws {
        let expiresAt = clock.now().addingTimeInterval(settings.contactCodeLifetime)
        let pending = try database.read { db in
            try self.store.contacts(citizenID: citizenID, using: db).last(where: { $0.kind == kind && $0.confirmedAt == nil })
        }
        guard let pending else { throw CitizensError(.notAllowed) }
        let sendKey = codeSendingKey(kind, pending.value)
        try checkCodeSending([sendKey])
        try write { db in
            guard let contact = try self.store.contacts(citizenID: citizenID, using: db).last(where: { $0.kind == kind && $0.confirmedAt == nil })
            else { throw CitizensError(.notAllowed) }
            try self.sendThrottle.recordFailure(keys: [sendKey], using: db)
            let (code, hash) = self.makeContactCode(contactID: contact.id)
            try self.store.storeCode(contactID: contact.id, hash: hash, expiresAt: expiresAt, using: db)
            try self.outbox.enqueue(self.codeMessage(kind: kind, value: contact.value, code: code), using: db)
            try self.record("contact.code-sent", actor: Self.subject(citizenID), subject: Self.subject(citizenID), source: source,
                            details: ["kind": kind.rawValue], using: db)
        }
        messageQueued()
    }

    /// Starts replacing the citizen's phone or e-mail: the new value must be confirmed with a code before it counts.
    public func changeContact(citizenID: Int64, kind: ContactKind, value: String, source: RequestSource) throws {
        let normalised = try FormValidation.contact(kind, value)
        let expiresAt = clock.now().addingTimeInterval(settings.contactCodeLifetime)
        let sendKey = codeSendingKey(kind, normalised)
        try checkCodeSending([sendKey])
        try write { db in
            guard try self.store.citizen(id: citizenID, using: db) != nil else { throw CitizensError(.notFound) }
            try self.sendThrottle.recordFailure(keys: [sendKey], using: db)
            for pending in try self.store.contacts(citizenID: citizenID, using: db) where pending.kind == kind && pending.confirmedAt == nil {
                try self.store.deleteContact(id: pending.id, using: db)
            }
            let contactID = try self.store.insertContact(citizenID: citizenID, kind: kind, value: normalised, using: db)
            let (code, hash) = self.makeContactCode(contactID: contactID)
            try self.store.storeCode(contactID: contactID, hash: hash, expiresAt: expiresAt, using: db)
            try self.outbox.enqueue(self.codeMessage(kind: kind, value: normalised, code: code), using: db)
            try self.record("contact.change-requested", actor: Self.subject(citizenID), subject: Self.subject(citizenID), source: source,
                            details: ["kind": kind.rawValue], using: db)
        }
        messageQueued()
    }
}
