import Audit
import Foundation
import PKI
import Storage
import Support

/// Why a CRL was not taken; the stored CRL, if any, stays.
public enum CRLRejection: Sendable, Equatable, CustomStringConvertible {
    /// Not a CRL in DER or PEM.
    case unreadable(String)
    /// No head CA root or CA in the store has the CRL's issuer name.
    case unknownIssuer(String)
    /// The issuer named in the CRL did not sign it.
    case badSignature(String)
    /// The stored CRL of the same issuer is newer (by thisUpdate or crlNumber).
    case older(String)

    /// A short code for logs and audit records.
    public var code: String {
        switch self {
        case .unreadable: "unreadable"
        case .unknownIssuer: "unknown_issuer"
        case .badSignature: "bad_signature"
        case .older: "older"
        }
    }

    /// One line for the operator.
    public var description: String {
        switch self {
        case .unreadable(let detail): "not a CRL (DER or PEM): \(detail)"
        case .unknownIssuer(let issuer): "no head CA root or CA in the store is named \(issuer)"
        case .badSignature(let issuer): "the signature does not verify with the key of \(issuer)"
        case .older(let detail): "older than the stored CRL of the same issuer (\(detail))"
        }
    }
}

/// What happened to one CRL.
public enum CRLImportOutcome: Sendable, Equatable {
    /// Stored as the newest CRL of `issuer` (a subject); verification uses it from now on.
    case accepted(issuer: String, thisUpdate: Date)
    /// The same CRL, or one of the same age, is already stored.
    case unchanged(issuer: String)
    /// Not stored.
    case rejected(CRLRejection)
}

/// The CRLs of the head CA roots and accredited CAs: takes a CRL only when its issuer (a root or a CA in the store)
/// signed it and it is not older than the stored one, keeps the newest per issuer, and records every acceptance
/// and rejection in the audit log.
///
/// Methods block on the database; call them from worker threads or commands, not from Swift concurrency's pool.
public final class CRLRegistry: Sendable {
    private let database: Database
    private let trustStore: TrustStore
    private let audit: AuditLog
    private let clock: any WallClock

    /// A registry over the trust store's database; acceptances and rejections are recorded in `audit`.
    public init(database: Database, trustStore: TrustStore, audit: AuditLog, clock: any WallClock) {
        self.database = database
        self.trustStore = trustStore
        self.audit = audit
        self.clock = clock
    }

    /// Checks and stores a CRL in DER or PEM; `source` (a file or URL) goes to the audit record.
    /// Throws only when the database fails.
    public func importCRL(_ bytes: [UInt8], source: String, actor: String = "operator") throws -> CRLImportOutcome {
        let crl: CRL
        do {
            crl = bytes.starts(with: Array("-----BEGIN".utf8)) ? try CRL(pem: String(decoding: bytes, as: UTF8.self)) : try CRL(der: bytes)
        } catch {
            return try reject(.unreadable(String(describing: error)), issuer: nil, source: source, actor: actor)
        }
        let snapshot = trustStore.snapshot
        let named = (snapshot.roots + snapshot.cas.map(\.certificate)).filter { crl.namesIssuer($0) }
        guard !named.isEmpty else {
            return try reject(.unknownIssuer(crl.issuerDescription), issuer: nil, source: source, actor: actor)
        }
        // A CA may have several certificates under one name (new keys): the one whose key verifies is the issuer.
        guard let issuer = named.first(where: { crl.verifySignature(issuer: $0) }) else {
            return try reject(.badSignature(crl.issuerDescription), issuer: named[0], source: source, actor: actor)
        }

        let now = clock.now()
        let incoming = TrustStoreTables.StoredCRL(
            issuerThumbprint: issuer.sha1ThumbprintHex, issuerSubject: issuer.subjectDescription, der: crl.derBytes,
            thisUpdate: crl.thisUpdate, nextUpdate: crl.nextUpdate, number: crl.numberHex, source: Self.clipped(source), importedAt: now)
        let audit = self.audit
        let entries = crl.entryCount
        let outcome: CRLImportOutcome = try database.write { db in
            if let stored = try TrustStoreTables.crl(issuerThumbprint: incoming.issuerThumbprint, db) {
                if let reason = Self.olderReason(incoming, than: stored) {
                    let rejection = CRLRejection.older(reason)
                    try audit.append(Self.rejectionEvent(rejection, issuer: issuer, source: source, actor: actor), using: db)
                    return .rejected(rejection)
                }
                if stored.der == incoming.der || Self.sameAge(incoming, stored) {
                    return .unchanged(issuer: incoming.issuerSubject)
                }
            }
            try TrustStoreTables.saveCRL(incoming, db)
            try TrustStoreTables.bumpGeneration(db)
            var details = ["issuer": incoming.issuerThumbprint, "thisUpdate": ISODate.format(incoming.thisUpdate),
                           "entries": String(entries), "source": incoming.source]
            if let next = incoming.nextUpdate { details["nextUpdate"] = ISODate.format(next) }
            if let number = incoming.number { details["crlNumber"] = number }
            try audit.append(AuditEvent(kind: "headca.crl.accepted", actor: actor, subject: "crl:" + incoming.issuerThumbprint,
                                        details: details), using: db)
            return .accepted(issuer: incoming.issuerSubject, thisUpdate: incoming.thisUpdate)
        }
        if case .accepted = outcome { try trustStore.reload() }
        return outcome
    }

    /// Where CRLs are fetched from: the trusted-list addresses and the CRL distribution points of every CA in the
    /// store that is not terminated, and the distribution points of the head CA roots; http(s) only, each once.
    public func refreshURLs() -> [String] {
        let snapshot = trustStore.snapshot
        var urls: [String] = []
        var seen = Set<String>()
        let live = snapshot.cas.filter { $0.terminatedAt == nil }
        let candidates = live.flatMap { $0.crlURLs + $0.certificate.crlDistributionPointURLs }
            + snapshot.roots.flatMap(\.crlDistributionPointURLs)
        for url in candidates where (url.hasPrefix("http://") || url.hasPrefix("https://")) && seen.insert(url).inserted {
            urls.append(url)
        }
        return urls
    }

    /// Why `new` is older than `stored`, or nil: an earlier thisUpdate, or a lower crlNumber when both have one.
    static func olderReason(_ new: TrustStoreTables.StoredCRL, than stored: TrustStoreTables.StoredCRL) -> String? {
        if new.thisUpdate < stored.thisUpdate {
            return "thisUpdate \(ISODate.format(new.thisUpdate)) < stored \(ISODate.format(stored.thisUpdate))"
        }
        if let a = new.number, let b = stored.number, CRL.compareNumbers(a, b) < 0 {
            return "crlNumber \(a) < stored \(b)"
        }
        return nil
    }

    /// Same thisUpdate and the same (or no) crlNumber: nothing newer to take.
    private static func sameAge(_ a: TrustStoreTables.StoredCRL, _ b: TrustStoreTables.StoredCRL) -> Bool {
        a.thisUpdate == b.thisUpdate && (a.number == nil || b.number == nil || CRL.compareNumbers(a.number!, b.number!) == 0)
    }

    private func reject(_ rejection: CRLRejection, issuer: Certificate?, source: String, actor: String) throws -> CRLImportOutcome {
        try audit.append(Self.rejectionEvent(rejection, issuer: issuer, source: source, actor: actor), to: database)
        return .rejected(rejection)
    }

    private static func rejectionEvent(_ rejection: CRLRejection, issuer: Certificate?, source: String, actor: String) -> AuditEvent {
        var details = ["reason": rejection.code, "source": clipped(source), "detail": clipped(rejection.description)]
        if let issuer { details["issuer"] = issuer.sha1ThumbprintHex }
        return AuditEvent(kind: "headca.crl.rejected", actor: actor, subject: issuer.map { "crl:" + $0.sha1ThumbprintHex }, details: details)
    }

    /// Audit detail values hold at most 256 characters.
    private static func clipped(_ text: String) -> String {
        text.unicodeScalars.count <= 256 ? text : String(String.UnicodeScalarView(text.unicodeScalars.prefix(253))) + "..."
    }
}
