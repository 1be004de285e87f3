import Foundation
import Storage

extension CitizenService {
    /// Stores SNILS, passport, optional INN and the postal address, encrypted, and queues the registry check.
    ///
    /// Level rules on a change: a new passport sends a standard account back to simplified until it is verified,
    /// while a confirmed account stays confirmed but shows as standard until then; a new SNILS clears the identity
    /// confirmation, which must be done again. Resubmitting the same documents changes nothing but the address and
    /// the passport details, except that a rejected document is checked again. A SNILS a qualified signature vouched
    /// for cannot be replaced by typing another (`snils: notAllowed`); the INN is whatever the form says, as always.
    /// - Throws: `.invalid` with every field problem (`birthDate: required` for an account that has none yet: the
    ///   passport rules and the registry need it); `.duplicateAccount` when another account holds the SNILS or passport.
    public func submitDocuments(citizenID: Int64, form: DocumentsForm, source: RequestSource) throws {
        let citizen = try database.read { db in try self.store.citizen(id: citizenID, using: db) }
        guard let citizen else { throw CitizensError(.notFound) }
        guard citizen.level != nil else { throw CitizensError(.contactNotConfirmed) }
        guard let birthDate = citizen.birthDate else { throw CitizensError.invalid(FieldName.birthDate, .required) }
        let valid = try FormValidation.documents(form, birthDate: birthDate, today: FormValidation.today(clock))
        let now = clock.now()
        let snilsIndex = vault.blindIndex("snils", valid.snils)
        let passportIndex = vault.blindIndex("passport", valid.passportSeries + valid.passportNumber)
        let innIndex = valid.inn.map { vault.blindIndex("inn", $0) }
        func seal(_ text: String, _ field: String) throws -> PersonalDataVault.Sealed {
            try vault.seal(text, context: PersonalDataVault.context(citizenID: citizenID, field: field))
        }
        let snilsSealed = try seal(valid.snils, "snils")
        let passportSealed = try seal(valid.passportJSON, "passport")
        let innSealed = try valid.inn.map { try seal($0, "inn") }
        let addressSealed = try seal(valid.addressJSON, "address")
        do {
            try write(uniqueClash: CitizensError(.duplicateAccount)) { db in
                let previous = try self.store.documents(citizenID: citizenID, using: db)
                let snilsChanged = previous?.snilsIndex != snilsIndex
                let passportChanged = previous?.passportIndex != passportIndex
                if snilsChanged && previous?.signatureCheckedAt != nil { throw CitizensError.invalid(FieldName.snils, .notAllowed) }
                // A rejected document is checked again when submitted again: the rejection may have come from a typo
                // in a detail outside the index (the issue date) or from the registry's own data since corrected.
                let recheckSNILS = snilsChanged || previous?.snilsStatus == .rejected
                let recheckPassport = passportChanged || previous?.passportStatus == .rejected
                let row = CitizenStore.DocumentsRow(
                    keyID: snilsSealed.keyID, snilsIndex: snilsIndex, snilsSealed: snilsSealed.bytes, passportIndex: passportIndex,
                    passportSealed: passportSealed.bytes, innIndex: innIndex, innSealed: innSealed?.bytes, addressSealed: addressSealed.bytes,
                    snilsStatus: recheckSNILS ? .pending : previous!.snilsStatus, snilsReason: recheckSNILS ? nil : previous!.snilsReason,
                    passportStatus: recheckPassport ? .pending : previous!.passportStatus,
                    passportReason: recheckPassport ? nil : previous!.passportReason,
                    submittedAt: now, checkAttempts: 0, signatureCheckedAt: previous?.signatureCheckedAt)
                let needsCheck = row.snilsStatus == .pending || row.passportStatus == .pending
                try self.store.saveDocuments(citizenID: citizenID, row, nextCheckAt: needsCheck ? now : nil, using: db)
                try self.record(previous == nil ? "documents.submitted" : "documents.changed", actor: Self.subject(citizenID),
                                subject: Self.subject(citizenID), source: source,
                                details: ["snils": snilsChanged ? "changed" : "same", "passport": passportChanged ? "changed" : "same",
                                          "inn": valid.inn == nil ? "absent" : "present"], using: db)
                let clearConfirmation = snilsChanged && citizen.identityConfirmed
                try self.refreshLevel(citizenID: citizenID, method: "document-change", source: source,
                                      identityConfirmed: clearConfirmation ? false : nil, using: db)
            }
        } catch let error as CitizensError where error.code == .duplicateAccount {
            // The attempt is worth a trail even though nothing changed; it never names the other account.
            try? database.write { db in
                try self.record("documents.duplicate", actor: Self.subject(citizenID), subject: Self.subject(citizenID), source: source, using: db)
            }
            throw error
        }
        documentsSubmitted()
    }
}
