import Crypto
import Foundation
import Storage
import Support

/// Settings of e-signature login challenges that come from configuration.
public struct ChallengeSettings: Sendable {
    /// Seconds a challenge stays valid after it is issued: long enough to sign with a token and a PIN, short enough
    /// that a leaked one is useless soon. Default 5 minutes.
    public var lifetime: TimeInterval = 5 * 60
    /// Presentations with a wrong binding a challenge survives; the next check refuses it for good. Default 5.
    public var maxWrongBindings = 5

    /// The defaults.
    public init() {}
}

/// One-time challenges for logging in with a qualified e-signature, kept in the database so every node sees them.
///
/// A challenge is bound to whoever asked for it: the browser session's anonymous token, or for the JSON API a secret
/// the client was handed with the challenge. Only an HMAC of the binding is stored. Consumption is one write that
/// checks and marks the row, so two submissions racing with one challenge cannot both get its text.
///
/// **Consumed before the signature is checked.** The caller consumes the challenge first and then verifies the CMS
/// against the returned text; whatever the verification's outcome, the challenge is spent. A failed signature needs a
/// new challenge, and no signature can ever be replayed. A wrong binding is the exception: it is not the owner
/// submitting, so it does not spend the owner's challenge; it is counted, and after `maxWrongBindings` the challenge
/// dies, so nobody can keep probing it.
///
/// Methods block on the database; call them from worker threads.
public final class SignatureChallenges: Sendable {
    /// The challenges table (version 340).
    public static let migrations: [Migration] = ChallengeMigrations.all

    /// The settings in force.
    public let settings: ChallengeSettings
    private let database: Database
    private let bindingKey: SymmetricKey

    /// Challenges over `database` (migrated with `migrations`); `bindingKey` keys the HMAC of bindings (the token-hash
    /// secret is fine: the message is domain-separated).
    public init(database: Database, bindingKey: SymmetricKey, settings: ChallengeSettings = .init()) {
        self.database = database
        self.bindingKey = bindingKey
        self.settings = settings
    }

    /// Issues a challenge bound to `binding`, valid for `settings.lifetime` from `now`.
    /// - Throws: `ChallengeError.emptyBinding` for an empty binding; storage errors.
    public func issue(binding: [UInt8], purpose: ChallengePurpose, at now: Date) throws -> Challenge {
        guard !binding.isEmpty else { throw ChallengeError.emptyBinding }
        let issuedAt = Self.date(Self.millis(now))
        let expiresAt = issuedAt.addingTimeInterval(settings.lifetime)
        let id = Base64URL.encode(SecureRandom.bytes(16))
        let text = Array("""
            OpenESIA: вход по электронной подписи / login with an e-signature
            purpose: \(purpose.rawValue)
            id: \(id)
            nonce: \(Base64URL.encode(SecureRandom.bytes(32)))
            issued: \(Timestamp.iso8601(issuedAt))
            expires: \(Timestamp.iso8601(expiresAt))

            """.utf8)
        let bindingHMAC = bindingHMAC(binding)
        try database.write { db in
            try db.execute("""
                INSERT INTO signature_challenges (id, purpose, text, binding_hmac, issued_at, expires_at)
                VALUES (?, ?, ?, ?, ?, ?)
                """, [.text(id), .text(purpose.rawValue), .blob(text), .blob(bindingHMAC), .integer(Self.millis(issuedAt)),
                      .integer(Self.millis(expiresAt))])
        }
        return Challenge(id: id, text: text, purpose: purpose, issuedAt: issuedAt, expiresAt: expiresAt)
    }

    /// Spends the challenge and returns its text, the bytes the submitted detached signature must cover.
    ///
    /// Checked in this order: the id is known; it is not exhausted; the binding matches (a mismatch is counted, and the
    /// challenge stays usable by its owner); the purpose matches; it was not used; it has not expired. The row is
    /// marked used in the same write that checked it.
    /// - Throws: `ChallengeError` (`.unknown`, `.exhausted`, `.wrongBinding`, `.wrongPurpose`, `.alreadyUsed`,
    ///   `.expired`); storage errors.
    public func consume(id: String, binding: [UInt8], purpose: ChallengePurpose, at now: Date) throws -> [UInt8] {
        guard Self.isWellFormedID(id) else { throw ChallengeError.unknown }
        let presented = bindingHMAC(binding)
        let maxWrong = settings.maxWrongBindings
        // A refusal that counts an attempt must commit, so the write returns the outcome and the throw comes after.
        let outcome: Result<[UInt8], ChallengeError> = try database.write { db in
            try Self.spend(id: id, presented: presented, purpose: purpose, at: now, maxWrong: maxWrong, using: db)
        }
        return try outcome.get()
    }

    /// `consume` inside the caller's write, so spending the challenge commits with what the login writes (one fsync, and
    /// no session without a spent challenge, no spent challenge without its outcome). Meant after `pending` checked
    /// the binding; a wrong binding here is refused without being counted, since the caller's write is rolled back.
    /// - Throws: `ChallengeError` as `consume`; storage errors.
    public func spend(id: String, binding: [UInt8], purpose: ChallengePurpose, at now: Date, using db: any SQLExecutor) throws {
        guard Self.isWellFormedID(id) else { throw ChallengeError.unknown }
        _ = try Self.spend(id: id, presented: bindingHMAC(binding), purpose: purpose, at: now, maxWrong: settings.maxWrongBindings,
                           using: db).get()
    }

    /// The checks of `consume`, in its order, and the row marked used; a wrong binding is counted.
    private static func spend(id: String, presented: [UInt8], purpose: ChallengePurpose, at now: Date, maxWrong: Int,
                              using db: any SQLExecutor) throws -> Result<[UInt8], ChallengeError> {
        let at = millis(now)
        guard let row = try db.queryOne("""
            SELECT purpose, text, binding_hmac, expires_at, used_at, wrong_bindings FROM signature_challenges WHERE id = ?
            """, [.text(id)]) else { return .failure(.unknown) }
        if try row.int("wrong_bindings") >= maxWrong { return .failure(.exhausted) }
        guard ConstantTime.equals(presented, try row.blob("binding_hmac")) else {
            try db.execute("UPDATE signature_challenges SET wrong_bindings = wrong_bindings + 1 WHERE id = ?", [.text(id)])
            return .failure(.wrongBinding)
        }
        if try row.string("purpose") != purpose.rawValue { return .failure(.wrongPurpose) }
        if try row.optionalInt64("used_at") != nil { return .failure(.alreadyUsed) }
        if try row.int64("expires_at") <= at { return .failure(.expired) }
        let marked = try db.execute("UPDATE signature_challenges SET used_at = ? WHERE id = ? AND used_at IS NULL",
                                    [.integer(at), .text(id)])
        return marked == 1 ? .success(try row.blob("text")) : .failure(.alreadyUsed)
    }

    /// The challenge as issued, for showing it again (the page that offers it for download) without spending it.
    ///
    /// The same checks as `consume` but nothing is written: a wrong binding is refused without being counted, since
    /// reading a challenge's text (which is not secret) gains a stranger nothing.
    /// - Throws: `ChallengeError` (`.unknown`, `.exhausted`, `.wrongBinding`, `.wrongPurpose`, `.alreadyUsed`,
    ///   `.expired`); storage errors.
    public func pending(id: String, binding: [UInt8], purpose: ChallengePurpose, at now: Date) throws -> Challenge {
        guard Self.isWellFormedID(id) else { throw ChallengeError.unknown }
        let presented = bindingHMAC(binding)
        let row = try database.read { db in
            try db.queryOne("""
                SELECT purpose, text, binding_hmac, issued_at, expires_at, used_at, wrong_bindings FROM signature_challenges WHERE id = ?
                """, [.text(id)])
        }
        guard let row else { throw ChallengeError.unknown }
        if try row.int("wrong_bindings") >= settings.maxWrongBindings { throw ChallengeError.exhausted }
        guard ConstantTime.equals(presented, try row.blob("binding_hmac")) else { throw ChallengeError.wrongBinding }
        guard let stored = ChallengePurpose(rawValue: try row.string("purpose")), stored == purpose else { throw ChallengeError.wrongPurpose }
        if try row.optionalInt64("used_at") != nil { throw ChallengeError.alreadyUsed }
        let expires = try row.int64("expires_at")
        if expires <= Self.millis(now) { throw ChallengeError.expired }
        return Challenge(id: id, text: try row.blob("text"), purpose: stored, issuedAt: Self.date(try row.int64("issued_at")),
                         expiresAt: Self.date(expires))
    }

    /// Deletes challenges that expired before `cutoff`, used or not; returns how many. Run it now and then (a used
    /// challenge must outlive its expiry only as long as "already used" is a more helpful answer than "unknown").
    @discardableResult
    public func purgeExpired(before cutoff: Date, limit: Int = .max) throws -> Int {
        try Self.purgeExpired(before: cutoff, limit: limit, database: database)
    }

    /// `purgeExpired` without an instance (no binding key needed): what the service's clean-up job calls.
    public static func purgeExpired(before cutoff: Date, limit: Int, database: Database) throws -> Int {
        try database.write { db in
            try db.execute("""
                DELETE FROM signature_challenges WHERE rowid IN (SELECT rowid FROM signature_challenges WHERE expires_at < ? LIMIT ?)
                """, [.integer(millis(cutoff)), .integer(Int64(max(0, limit)))])
        }
    }

    // MARK: Helpers

    private func bindingHMAC(_ binding: [UInt8]) -> [UInt8] {
        HMAC.sha256(key: bindingKey.bytes, message: Array("signature-challenge-binding:".utf8) + binding)
    }

    /// 22 base64url characters, as `issue` makes them; anything else is refused before the database is asked.
    static func isWellFormedID(_ id: String) -> Bool {
        id.utf8.count == 22 && id.utf8.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "_"): true
            default: false
            }
        }
    }

    /// Times are stored as integer milliseconds since 1970, as the sessions' are.
    static func millis(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 * 1000).rounded(.down)) }
    static func date(_ millis: Int64) -> Date { Date(timeIntervalSince1970: Double(millis) / 1000) }
}
