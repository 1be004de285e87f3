import Crypto
import Foundation
import Storage
import Support

/// Certificates that signed a login challenge but belong to no account, kept briefly for the browser that
/// proved them, so that it can register with the certificate.
///
/// The offer is the server's record of what was verified: the "register" form sends back only the offer's random
/// id, never a SNILS or a name, and the id works only with the binding it was made for (the browser's anonymous
/// token; only its HMAC is stored). Taking an offer deletes it, so it serves one registration.
public final class RegistrationOffers: Sendable {
    /// How long an offer waits for the citizen to press "register". Default 10 minutes.
    public let lifetime: TimeInterval
    private let database: Database
    private let bindingKey: SymmetricKey

    /// Offers over `database` (migrated with `SignatureChallenges.migrations`), bindings keyed with `bindingKey`.
    public init(database: Database, bindingKey: SymmetricKey, lifetime: TimeInterval = 10 * 60) {
        self.database = database
        self.bindingKey = bindingKey
        self.lifetime = lifetime
    }

    /// Keeps `certificate` (DER) for `binding` until `now + lifetime`; returns the offer's id (22 base64url characters).
    /// - Throws: `ChallengeError.emptyBinding`; storage errors.
    public func make(certificate: [UInt8], binding: [UInt8], at now: Date) throws -> String {
        guard !binding.isEmpty else { throw ChallengeError.emptyBinding }
        let id = Base64URL.encode(SecureRandom.bytes(16))
        let expires = SignatureChallenges.millis(now.addingTimeInterval(lifetime))
        let hmac = bindingHMAC(binding)
        try database.write { db in
            try db.execute("INSERT INTO signature_registration_offers (id, certificate, binding_hmac, expires_at) VALUES (?, ?, ?, ?)",
                           [.text(id), .blob(certificate), .blob(hmac), .integer(expires)])
        }
        return id
    }

    /// The certificate of the offer, which is deleted in the same write.
    /// - Throws: `ChallengeError.unknown` (never made, taken already, or purged), `.wrongBinding` (another browser's
    ///   offer; left in place), `.expired` (deleted); storage errors.
    public func take(id: String, binding: [UInt8], at now: Date) throws -> [UInt8] {
        guard SignatureChallenges.isWellFormedID(id) else { throw ChallengeError.unknown }
        let presented = bindingHMAC(binding)
        let at = SignatureChallenges.millis(now)
        let outcome: Result<[UInt8], ChallengeError> = try database.write { db in
            guard let row = try db.queryOne("SELECT certificate, binding_hmac, expires_at FROM signature_registration_offers WHERE id = ?",
                                            [.text(id)]) else { return .failure(.unknown) }
            guard ConstantTime.equals(presented, try row.blob("binding_hmac")) else { return .failure(.wrongBinding) }
            let deleted = try db.execute("DELETE FROM signature_registration_offers WHERE id = ?", [.text(id)])
            guard deleted == 1 else { return .failure(.unknown) }
            return try row.int64("expires_at") <= at ? .failure(.expired) : .success(try row.blob("certificate"))
        }
        return try outcome.get()
    }

    /// Deletes offers that expired before `cutoff`; returns how many.
    @discardableResult
    public func purgeExpired(before cutoff: Date) throws -> Int {
        try database.write { db in
            try db.execute("DELETE FROM signature_registration_offers WHERE expires_at < ?", [.integer(SignatureChallenges.millis(cutoff))])
        }
    }

    private func bindingHMAC(_ binding: [UInt8]) -> [UInt8] {
        HMAC.sha256(key: bindingKey.bytes, message: Array("signature-registration-offer:".utf8) + binding)
    }
}
