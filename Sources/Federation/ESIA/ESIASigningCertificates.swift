import Support
import Crypto
import Foundation
import PKI
import Storage

/// One published token-signing certificate of the ESIA dialect.
public struct ESIASigningCertificate: Sendable {
    /// The signing key's id (the JWS `kid` of the tokens it signs).
    public let keyID: String
    /// `RS256` or `GOST3410_2012_256`.
    public let algorithm: JWSAlgorithm
    /// Where the key is in its life now.
    public let state: SigningKeyState
    /// The certificate.
    public let certificate: Certificate
}

/// The ESIA dialect's token-signing keys as X.509 certificates, the way ESIA publishes its own (esia.zip holds
/// `.cer` files, ESIA-PROTOCOL §1): client libraries are configured with a certificate file, not a JWKS.
///
/// Each RS256 and GOST R 34.10-2012 key of the signing-key store that is published and not retired gets a self-signed
/// certificate over its public key (profile `.tokenSigning`: digitalSignature only, valid from the key's creation for
/// ten years: the certificate is a container for the key, the key's own life is the store's rotation). It is made once,
/// on first request, and kept in `esia_signing_certificates`, so every node and every restart serves the same bytes.
public final class ESIASigningCertificates: Sendable {
    /// The algorithms the ESIA dialect signs with.
    public static let algorithms: [JWSAlgorithm] = [.rs256, .gost3410_2012_256]

    private let database: Database
    private let keys: SigningKeyStore
    private let made = Locked<[String: Certificate]>([:])

    /// Certificates for `keys`' keys, kept in `database` (migrated with `ESIAMigrations`).
    public init(database: Database, keys: SigningKeyStore) {
        self.database = database
        self.keys = keys
    }

    /// Every published, not retired RS256 and GOST key at `time` with its certificate, by algorithm and age.
    public func all(at time: Date) throws -> [ESIASigningCertificate] {
        let records = try keys.allKeys()
        let states = SigningKeyState.of(records, at: time)
        return try records.filter { record in
            Self.algorithms.contains(record.algorithm) && record.publishFrom <= time && states[record.keyID] != .retired
        }.map { record in
            ESIASigningCertificate(keyID: record.keyID, algorithm: record.algorithm, state: states[record.keyID] ?? .published,
                                   certificate: try certificate(for: record))
        }
    }

    /// The certificate of `keyID` when that key is published and not retired at `time`; nil otherwise.
    public func certificate(keyID: String, at time: Date) throws -> ESIASigningCertificate? {
        try all(at: time).first { $0.keyID == keyID }
    }

    private func certificate(for record: SigningKeyRecord) throws -> Certificate {
        if let known = made.withLock({ $0[record.keyID] }) { return known }
        let keyID = record.keyID
        if let stored = try database.read({ db in
            try db.queryOne("SELECT certificate FROM esia_signing_certificates WHERE kid = ?", [.text(keyID)])
        }) {
            let certificate = try Certificate(der: try stored.blob("certificate"))
            made.withLock { $0[keyID] = certificate }
            return certificate
        }
        guard let key = try keys.privateKey(keyID: keyID) else { throw SigningKeyError.unreadableKey(keyID: keyID, reason: "no such key") }
        let subject = SubjectName(commonName: "OpenESIA token signing \(record.algorithm.rawValue)", organization: "OpenESIA")
        let made = try CertificateIssuer.makeSelfSigned(subject: subject, key: key, profile: .tokenSigning, validFrom: record.createdAt,
                                                        validUntil: record.createdAt.addingTimeInterval(10 * 365 * 86_400))
        let der = made.derBytes
        // Another node may have made one meanwhile: the first stored wins, so every node serves the same certificate.
        let kept: [UInt8] = try database.write { db in
            try db.execute("INSERT OR IGNORE INTO esia_signing_certificates (kid, certificate, created_at) VALUES (?, ?, ?)",
                           [.text(keyID), .blob(der), .integer(Int64(record.createdAt.timeIntervalSince1970 * 1000))])
            return try db.queryOne("SELECT certificate FROM esia_signing_certificates WHERE kid = ?", [.text(keyID)])!.blob("certificate")
        }
        let certificate = kept == der ? made : try Certificate(der: kept)
        self.made.withLock { $0[keyID] = certificate }
        return certificate
    }
}
