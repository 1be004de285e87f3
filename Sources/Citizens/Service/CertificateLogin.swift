import Foundation
import Storage

extension CitizenService {
    /// The session method and level evidence of a login or registration with a qualified signature.
    static let signatureMethod = "signature"

    /// Logs in the citizen whose verified SNILS is the certificate's. Call only after the signature over a fresh
    /// challenge, the certificate's chain and its revocation status have been checked.
    ///
    /// The first such login of an account proves its identity: the SNILS is marked as vouched for by a signature, and a
    /// standard account becomes confirmed (evidence `signature`), in the same write as the session and the audit records
    /// (which name the certificate by thumbprint, issuer and serial, never by its content).
    /// - Throws: `.invalid` for a malformed SNILS or a bad check number; `.noAccountForCertificate` when no account holds
    ///   the SNILS (offer registration); `.snilsNotVerified` when one holds it unverified (audited).
    /// - Parameter sameWrite: runs first inside the login's write, whatever the outcome (the e-signature login spends
    ///   its challenge there); when it throws, nothing is written.
    public func loginWithCertificate(_ identity: CertificateIdentity, source: RequestSource,
                                     sameWrite: @escaping @Sendable (any SQLExecutor) throws -> Void = { _ in }) throws -> LoginResult {
        let snils = try FormValidation.snilsDigits(identity.snils)
        let index = vault.blindIndex("snils", snils)
        let now = clock.now()
        let certificate = identity.auditDetails
        enum Outcome: Sendable { case loggedIn(LoginResult), noAccount, notVerified }
        let outcome: Outcome = try write { db in
            try sameWrite(db)
            guard let id = try self.store.citizenID(snilsIndex: index, using: db),
                  let docs = try self.store.documents(citizenID: id, using: db),
                  let citizen = try self.store.citizen(id: id, using: db) else { return .noAccount }
            let subject = Self.subject(id)
            // An unverified SNILS may be a stranger's claim: the signature proves the holder's SNILS, not that account.
            guard docs.snilsStatus == .verified else {
                try self.record("login.failed", actor: "anonymous", subject: subject, source: source,
                                details: certificate.merging(["method": Self.signatureMethod, "reason": "snils-not-verified"]) { a, _ in a },
                                using: db)
                return .notVerified
            }
            if docs.signatureCheckedAt == nil || !citizen.identityConfirmed {
                try self.store.markSignatureChecked(citizenID: id, at: now, using: db)
                try self.confirmIdentity(citizenID: id, method: Self.signatureMethod, actor: subject, source: source,
                                         details: certificate, using: db)
            }
            let (token, session) = try self.sessions.create(subject: subject, method: Self.signatureMethod, userAgent: source.userAgent,
                                                            sourceAddress: source.address, using: db)
            try self.record("login.succeeded", actor: subject, subject: subject, source: source,
                            details: certificate.merging(["method": Self.signatureMethod]) { a, _ in a }, using: db)
            return .loggedIn(LoginResult(citizenID: id, sessionToken: token, session: session))
        }
        switch outcome {
        case .loggedIn(let result): return result
        case .noAccount: throw CitizensError(.noAccountForCertificate)
        case .notVerified: throw CitizensError(.snilsNotVerified)
        }
    }

    /// Creates an account from a verified qualified certificate and logs it in.
    ///
    /// The account holds the certificate's name (`SN`; `GN` split into given name and patronymic), its SNILS and, when
    /// valid and not on another account, its INN, sealed and indexed as submitted documents are, marked verified by the
    /// signature. It has no contact, password, passport, birth date or gender (`CitizenProfile.missingData` lists
    /// them), and is confirmed at once with evidence `signature`. Everything, the session included, is one write.
    /// - Throws: `.invalid` with the SNILS or name problems (a missing `SN` or `GN` is `required`); `.duplicateAccount`
    ///   when an account holds the SNILS verified (log in instead); `.snilsNotVerified` when one holds it unverified.
    public func registerWithCertificate(_ identity: CertificateIdentity, source: RequestSource) throws -> LoginResult {
        let valid = try FormValidation.certificate(identity)
        let snilsIndex = vault.blindIndex("snils", valid.snils)
        let innIndex = valid.inn.map { vault.blindIndex("inn", $0) }
        let now = clock.now()
        let sealer = vault
        let certificate = identity.auditDetails
        for attempt in 0..<3 {
            let publicID = Self.newPublicID()
            do {
                return try database.write { db in
                    if let holder = try self.store.citizenID(snilsIndex: snilsIndex, using: db) {
                        let verified = try self.store.documents(citizenID: holder, using: db)?.snilsStatus == .verified
                        throw CitizensError(verified ? .duplicateAccount : .snilsNotVerified)
                    }
                    let id = try self.store.insertCitizen(publicID: publicID, surname: valid.surname, givenName: valid.givenName,
                                                          patronymic: valid.patronymic, birthDate: nil, gender: nil, passwordHash: nil,
                                                          now: now, using: db)
                    let subject = Self.subject(id)
                    // An INN another account typed in is left with it; the INN is optional data here, the SNILS is what counts.
                    let inn = try innIndex.flatMap { try self.store.innTaken(innIndex: $0, using: db) ? nil : ($0, valid.inn!) }
                    let snilsSealed = try sealer.seal(valid.snils, context: PersonalDataVault.context(citizenID: id, field: "snils"))
                    let innSealed = try inn.map { try sealer.seal($0.1, context: PersonalDataVault.context(citizenID: id, field: "inn")) }
                    let row = CitizenStore.DocumentsRow(
                        keyID: snilsSealed.keyID, snilsIndex: snilsIndex, snilsSealed: snilsSealed.bytes, passportIndex: nil,
                        passportSealed: nil, innIndex: inn?.0, innSealed: innSealed?.bytes, addressSealed: nil, snilsStatus: .verified,
                        snilsReason: nil, passportStatus: .notSubmitted, passportReason: nil, submittedAt: now, checkAttempts: 0,
                        signatureCheckedAt: now)
                    try self.store.saveDocuments(citizenID: id, row, nextCheckAt: nil, using: db)
                    let innState = valid.innState == "present" && inn == nil ? "held-elsewhere" : valid.innState
                    try self.record("citizen.registered", actor: subject, subject: subject, source: source,
                                    details: certificate.merging(["method": Self.signatureMethod, "inn": innState]) { a, _ in a }, using: db)
                    try self.record("identity.confirmed", actor: subject, subject: subject, source: source,
                                    details: certificate.merging(["method": Self.signatureMethod]) { a, _ in a }, using: db)
                    try self.refreshLevel(citizenID: id, method: Self.signatureMethod, source: source, identityConfirmed: true, using: db)
                    let (token, session) = try self.sessions.create(subject: subject, method: Self.signatureMethod,
                                                                    userAgent: source.userAgent, sourceAddress: source.address, using: db)
                    try self.record("login.succeeded", actor: subject, subject: subject, source: source,
                                    details: certificate.merging(["method": Self.signatureMethod]) { a, _ in a }, using: db)
                    return LoginResult(citizenID: id, sessionToken: token, session: session)
                }
            } catch let error as StorageError where error.code == .uniqueViolation && attempt < 2 {
                continue  // a public id collision: draw another (SNILS and INN were checked in this very write)
            }
        }
        throw CitizensError(.notAllowed)
    }
}
