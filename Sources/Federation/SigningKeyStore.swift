import Audit
import Crypto
import Foundation
import Storage
import Support

/// The service's token-signing keys: one current key per algorithm (ES256, RS256, GOST3410_2012_256), rotated on
/// command, kept in the `signing_keys` table with the private half sealed under the data key ring.
///
/// See `SigningKeyRecord` for a key's life. Rotation makes a new key that is published at once and signs from
/// `publishLead` later; every older key of the algorithm not yet scheduled to retire is scheduled for the new key's
/// first signing time plus `maxTokenLifetime` plus `refreshInterval`. Signers, public keys and the JWKS come from an in-memory copy of the
/// table, read again every `refreshInterval` (and at once after a change made through this store), so issuing a token
/// reads nothing from the database. Methods block on the database; call them from worker threads.
public final class SigningKeyStore: Sendable {
    /// The schema (versions 420–429).
    public static let migrations: [Migration] = SigningKeyMigrations.all
    /// Every algorithm the service keeps a key for.
    public static let algorithms: [JWSAlgorithm] = [.es256, .rs256, .gost3410_2012_256]
    /// The algorithms whose keys are published in the JWKS.
    ///
    /// GOST keys have no registered JWK form; the ESIA dialect publishes them (and the RS256 ones) as certificates, as
    /// ESIA does (`ESIASigningCertificates`, docs/esia.md).
    public static let publishedAlgorithms: [JWSAlgorithm] = [.es256, .rs256]

    /// The rotation settings in force.
    public let settings: SigningKeySettings
    private let database: Database
    private let dataKeys: DataKeyRing
    private let audit: AuditLog
    private let cache = Locked<Snapshot?>(nil)

    /// A store over `database` (migrated with `migrations`); private keys are sealed under `dataKeys`' current key,
    /// and creations and rotations are recorded in `audit` in the same write.
    public init(database: Database, dataKeys: DataKeyRing, audit: AuditLog, settings: SigningKeySettings = .init()) {
        self.database = database
        self.dataKeys = dataKeys
        self.audit = audit
        self.settings = settings
    }

    // MARK: - Making keys

    /// Makes a key, signing at once, for every algorithm that has none (at start; idempotent). Returns the keys made.
    @discardableResult
    public func ensureKeys(at time: Date, actor: String = "system") throws -> [SigningKeyRecord] {
        let present = try database.read { db in
            try db.query("SELECT algorithm FROM signing_keys WHERE retire_after IS NULL", []).map { try $0.string(0) }
        }
        let missing = Self.algorithms.filter { !present.contains($0.rawValue) }
        guard !missing.isEmpty else { return [] }
        // Keys are made before the write, so slow RSA generation does not hold up other writers.
        let made = try missing.map { try NewKey.make($0, settings: settings, dataKeys: dataKeys) }
        let created: [SigningKeyRecord] = try database.write { [audit] db in
            var records: [SigningKeyRecord] = []
            for key in made {
                // Another process may have made one since the read above; the check and insert share this transaction.
                guard try db.queryOne("SELECT 1 FROM signing_keys WHERE algorithm = ? AND retire_after IS NULL",
                                      [.text(key.algorithm.rawValue)]) == nil else { continue }
                let record = key.record(createdAt: time, signFrom: time)
                try Self.insert(key, record, db)
                try audit.append(AuditEvent(kind: "signing-key.created", actor: actor, subject: "signing-key:\(key.keyID)",
                                            details: ["algorithm": key.algorithm.rawValue, "kid": key.keyID,
                                                      "signFrom": Timestamp.iso8601(time)]), using: db)
                records.append(record)
            }
            return records
        }
        invalidate()
        return created
    }

    /// Makes a new key for `algorithm`, published at `time` and signing from `time + publishLead` (at once when the
    /// algorithm had no key); the older key not yet scheduled to retire (normally the current one) is scheduled to leave
    /// the JWKS at that moment plus `maxTokenLifetime` plus `refreshInterval`, when every token it signed has expired.
    @discardableResult
    public func rotate(algorithm: JWSAlgorithm, at time: Date, actor: String = "operator") throws -> SigningKeyRecord {
        let key = try NewKey.make(algorithm, settings: settings, dataKeys: dataKeys)
        let settings = self.settings
        let record: SigningKeyRecord = try database.write { [audit] db in
            let predecessors = try db.query("SELECT kid FROM signing_keys WHERE algorithm = ? AND retire_after IS NULL ORDER BY sign_from",
                                            [.text(algorithm.rawValue)]).map { try $0.string(0) }
            let signFrom = predecessors.isEmpty ? time : time.addingTimeInterval(settings.publishLead)
            // A node whose copy of the keys is up to refreshInterval old may sign with the predecessor that much later.
            let retireAfter = signFrom.addingTimeInterval(settings.maxTokenLifetime + settings.refreshInterval)
            try db.execute("UPDATE signing_keys SET retire_after = ? WHERE algorithm = ? AND retire_after IS NULL",
                           [Self.millis(retireAfter), .text(algorithm.rawValue)])
            let record = key.record(createdAt: time, signFrom: signFrom)
            try Self.insert(key, record, db)
            var details = ["algorithm": algorithm.rawValue, "kid": key.keyID, "signFrom": Timestamp.iso8601(signFrom)]
            if !predecessors.isEmpty {
                details["retiring"] = String(predecessors.joined(separator: ",").prefix(256))
                details["retireAfter"] = Timestamp.iso8601(retireAfter)
            }
            try audit.append(AuditEvent(kind: "signing-key.rotated", actor: actor, subject: "signing-key:\(key.keyID)", details: details),
                             using: db)
            return record
        }
        invalidate()
        return record
    }

    /// Re-seals every private key sealed under an older data key with the current one (after `keys rotate-data-key`),
    /// so old data keys can be removed. Returns how many keys were re-sealed.
    @discardableResult
    public func resealPrivateKeys(actor: String = "system") throws -> Int {
        let current = dataKeys.currentID
        let dataKeys = self.dataKeys
        return try database.write { [audit] db in
            let rows = try db.query("SELECT kid, algorithm, private_key_sealed, data_key_id FROM signing_keys WHERE data_key_id <> ?",
                                    [.text(current)])
            for row in rows {
                let keyID = try row.string("kid")
                let context = Self.sealContext(keyID: keyID, algorithm: try row.string("algorithm"))
                let plain = try Self.open(keyID: keyID, sealed: try row.blob("private_key_sealed"), dataKeyID: try row.string("data_key_id"),
                                          context: context, dataKeys: dataKeys)
                let sealed = try AESGCM.seal(plain, key: dataKeys.currentKey, associatedData: context)
                try db.execute("UPDATE signing_keys SET private_key_sealed = ?, data_key_id = ? WHERE kid = ?",
                               [.blob(sealed), .text(current), .text(keyID)])
            }
            if !rows.isEmpty {
                try audit.append(AuditEvent(kind: "signing-key.resealed", actor: actor, details: ["keys": String(rows.count), "dataKey": current]),
                                 using: db)
            }
            return rows.count
        }
    }

    // MARK: - Using keys

    /// The signer of `algorithm`'s current key at `time`, from memory (the table is read at most every `refreshInterval`).
    /// Throws `.noCurrentKey` when the algorithm has no key signing at that time.
    public func currentSigner(algorithm: JWSAlgorithm, at time: Date) throws -> JWSSigner {
        let snapshot = try snapshot(at: time)
        var best: LoadedKey?
        for key in snapshot.keys where key.record.algorithm == algorithm && key.record.signFrom <= time && !key.isRetired(at: time) {
            if best.map({ key.record.signFrom > $0.record.signFrom }) ?? true { best = key }
        }
        guard let best else { throw SigningKeyError.noCurrentKey(algorithm) }
        return best.signer
    }

    /// A verifier for one of the service's own keys, if `keyID` names a key published and not retired at `time`.
    public func verifier(keyID: String, at time: Date) throws -> JWSVerifier? {
        try snapshot(at: time).keys.first { $0.record.keyID == keyID && $0.record.publishFrom <= time && !$0.isRetired(at: time) }?.verifier
    }

    /// The JWK Set (RFC 7517 §5) at `time`: every ES256 and RS256 key published and not retired, by algorithm and age.
    public func jwks(at time: Date) throws -> JSONValue {
        let keys = try snapshot(at: time).keys.filter {
            $0.jwk != nil && $0.record.publishFrom <= time && !$0.isRetired(at: time)
        }.sorted { Self.displayOrder($0.record, $1.record) }
        return ["keys": .array(keys.map { $0.jwk! })]
    }

    /// By algorithm (ES256, RS256, GOST), then by when the key signs first, then by key id.
    private static func displayOrder(_ a: SigningKeyRecord, _ b: SigningKeyRecord) -> Bool {
        let x = algorithms.firstIndex(of: a.algorithm)!, y = algorithms.firstIndex(of: b.algorithm)!
        if x != y { return x < y }
        if a.signFrom != b.signFrom { return a.signFrom < b.signFrom }
        return a.keyID < b.keyID
    }

    /// Every key in the table, retired ones included, by algorithm and age; for `openesia keys list`.
    public func allKeys() throws -> [SigningKeyRecord] {
        try database.read { db in
            try db.query("SELECT \(Self.recordColumns) FROM signing_keys", []).map(Self.record)
        }.sorted(by: Self.displayOrder)
    }

    /// The private key of `keyID`, read and opened from the table; nil when there is no such key. For certificates
    /// over the service's own keys (the ESIA dialect publishes its signing keys that way); tokens use `currentSigner`.
    func privateKey(keyID: String) throws -> PrivateKey? {
        guard let row = try database.read({ db in
            try db.queryOne("SELECT algorithm, private_key_sealed, data_key_id FROM signing_keys WHERE kid = ?", [.text(keyID)])
        }) else { return nil }
        let pem = try Self.open(keyID: keyID, sealed: try row.blob("private_key_sealed"), dataKeyID: try row.string("data_key_id"),
                                context: Self.sealContext(keyID: keyID, algorithm: try row.string("algorithm")), dataKeys: dataKeys)
        do {
            return try PrivateKey(pem: String(decoding: pem, as: UTF8.self))
        } catch {
            throw SigningKeyError.unreadableKey(keyID: keyID, reason: String(describing: error))
        }
    }

    /// Forgets the in-memory copy, so the next use reads the table.
    public func invalidate() {
        cache.withLock { $0 = nil }
    }

    // MARK: - The in-memory copy

    /// The keys not retired when loaded, each with its signer, verifier and JWK.
    private struct Snapshot: Sendable {
        let loadedAt: Date
        let keys: [LoadedKey]
    }

    private final class LoadedKey: Sendable {
        let record: SigningKeyRecord
        let signer: JWSSigner
        let verifier: JWSVerifier
        let jwk: JSONValue?

        init(record: SigningKeyRecord, signer: JWSSigner, verifier: JWSVerifier, jwk: JSONValue?) {
            self.record = record
            self.signer = signer
            self.verifier = verifier
            self.jwk = jwk
        }

        /// The same key with a newer record (a successor set `retire_after`).
        func with(_ record: SigningKeyRecord) -> LoadedKey {
            record == self.record ? self : LoadedKey(record: record, signer: signer, verifier: verifier, jwk: jwk)
        }

        func isRetired(at time: Date) -> Bool { record.retireAfter.map { time >= $0 } ?? false }
    }

    private func snapshot(at time: Date) throws -> Snapshot {
        let cached = cache.withLock { $0 }
        if let cached, time >= cached.loadedAt, time.timeIntervalSince(cached.loadedAt) < settings.refreshInterval { return cached }
        let fresh = try load(at: time, reusing: cached)
        cache.withLock { $0 = fresh }
        return fresh
    }

    /// Reads the keys not retired at `time`; keys already in `previous` keep their signers (no decryption again).
    private func load(at time: Date, reusing previous: Snapshot?) throws -> Snapshot {
        let rows = try database.read { db in
            try db.query("""
                SELECT \(Self.recordColumns), private_key_sealed, public_key, public_jwk FROM signing_keys
                WHERE retire_after IS NULL OR retire_after > ?
                """, [Self.millis(time)])
        }
        var keys: [LoadedKey] = []
        for row in rows {
            let record = try Self.record(row)
            if let known = previous?.keys.first(where: { $0.record.keyID == record.keyID }) {
                keys.append(known.with(record))
                continue
            }
            keys.append(try loadKey(record, row))
        }
        return Snapshot(loadedAt: time, keys: keys)
    }

    private func loadKey(_ record: SigningKeyRecord, _ row: SQLRow) throws -> LoadedKey {
        let keyID = record.keyID
        let pem = try Self.open(keyID: keyID, sealed: try row.blob("private_key_sealed"), dataKeyID: record.dataKeyID,
                                context: Self.sealContext(keyID: keyID, algorithm: record.algorithm.rawValue), dataKeys: dataKeys)
        do {
            let privateKey = try PrivateKey(pem: String(decoding: pem, as: UTF8.self))
            let publicKey = try PublicKey(der: try row.blob("public_key"))
            let jwk = try row.optionalString("public_jwk").map { try JSONValue.parse($0) }
            return LoadedKey(record: record, signer: try JWSSigner(key: privateKey, algorithm: record.algorithm, keyID: keyID),
                             verifier: try JWSVerifier(key: publicKey, algorithm: record.algorithm, keyID: keyID), jwk: jwk)
        } catch {
            throw SigningKeyError.unreadableKey(keyID: keyID, reason: String(describing: error))
        }
    }

    // MARK: - Rows

    private static let recordColumns = "kid, algorithm, created_at, publish_from, sign_from, retire_after, data_key_id"

    private static func record(_ row: SQLRow) throws -> SigningKeyRecord {
        let keyID = try row.string("kid")
        guard let algorithm = JWSAlgorithm(rawValue: try row.string("algorithm")) else {
            throw SigningKeyError.unreadableKey(keyID: keyID, reason: "unknown algorithm")
        }
        return SigningKeyRecord(keyID: keyID, algorithm: algorithm, createdAt: date(try row.int64("created_at")),
                                publishFrom: date(try row.int64("publish_from")), signFrom: date(try row.int64("sign_from")),
                                retireAfter: try row.optionalInt64("retire_after").map(date), dataKeyID: try row.string("data_key_id"))
    }

    private static func insert(_ key: NewKey, _ record: SigningKeyRecord, _ db: any SQLExecutor) throws {
        try db.execute("""
            INSERT INTO signing_keys (kid, algorithm, private_key_sealed, data_key_id, public_key, public_jwk,
                                      created_at, publish_from, sign_from, retire_after)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, NULL)
            """, [.text(key.keyID), .text(key.algorithm.rawValue), .blob(key.sealed), .text(key.dataKeyID), .blob(key.publicKeyDER),
                  SQLValue(key.publicJWK), millis(record.createdAt), millis(record.publishFrom), millis(record.signFrom)])
    }

    /// The associated data binding a sealed private key to its row.
    static func sealContext(keyID: String, algorithm: String) -> [UInt8] { Array("signing-key:\(keyID):\(algorithm)".utf8) }

    private static func open(keyID: String, sealed: [UInt8], dataKeyID: String, context: [UInt8], dataKeys: DataKeyRing) throws -> [UInt8] {
        guard let key = dataKeys.key(id: dataKeyID) else { throw SigningKeyError.unknownDataKey(keyID: keyID, dataKeyID: dataKeyID) }
        do {
            return try AESGCM.open(sealed, key: key, associatedData: context)
        } catch {
            throw SigningKeyError.unreadableKey(keyID: keyID, reason: error.description)
        }
    }

    private static func millis(_ date: Date) -> SQLValue { .integer(Int64((date.timeIntervalSince1970 * 1000).rounded())) }
    private static func date(_ millis: Int64) -> Date { Date(timeIntervalSince1970: Double(millis) / 1000) }
}

/// A freshly made key, sealed and ready to insert.
private struct NewKey: Sendable {
    let algorithm: JWSAlgorithm
    let keyID: String
    let sealed: [UInt8]
    let dataKeyID: String
    let publicKeyDER: [UInt8]
    let publicJWK: String?

    static func make(_ algorithm: JWSAlgorithm, settings: SigningKeySettings, dataKeys: DataKeyRing) throws -> NewKey {
        let key: PrivateKey
        do {
            key = switch algorithm {
            case .es256: try PrivateKey.generateP256()
            case .rs256: try PrivateKey.generateRSA(bits: settings.rsaBits)
            case .gost3410_2012_256: try PrivateKey.generateGOST2012(bits: 256)
            }
        } catch {
            throw SigningKeyError.generationFailed(algorithm: algorithm, reason: String(describing: error))
        }
        let publicKeyDER = try PublicKey(key).der()
        let keyID: String
        let jwk: String?
        if SigningKeyStore.publishedAlgorithms.contains(algorithm) {
            var published = try JSONWebKey(privateKey: key, use: "sig", algorithm: algorithm)
            keyID = published.thumbprint()
            published.keyID = keyID
            jwk = published.json.jsonText
        } else {
            // No JWK form, hence no RFC 7638 thumbprint: the same idea over the SubjectPublicKeyInfo.
            keyID = Base64URL.encode(Digest.sha256(publicKeyDER))
            jwk = nil
        }
        // A key the signer refuses must not be stored.
        _ = try JWSSigner(key: key, algorithm: algorithm, keyID: keyID)
        let sealed = try AESGCM.seal(Array(try key.pkcs8PEM().utf8), key: dataKeys.currentKey,
                                     associatedData: SigningKeyStore.sealContext(keyID: keyID, algorithm: algorithm.rawValue))
        return NewKey(algorithm: algorithm, keyID: keyID, sealed: sealed, dataKeyID: dataKeys.currentID, publicKeyDER: publicKeyDER,
                      publicJWK: jwk)
    }

    func record(createdAt: Date, signFrom: Date) -> SigningKeyRecord {
        SigningKeyRecord(keyID: keyID, algorithm: algorithm, createdAt: createdAt, publishFrom: createdAt, signFrom: signFrom,
                         retireAfter: nil, dataKeyID: dataKeyID)
    }
}
