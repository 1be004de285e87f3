import Audit
import Foundation
import PKI
import Storage
import Support

/// The operator's changes to the accredited CAs: accredit, suspend, terminate, list, and (in
/// `AccreditationRegistry+TrustedList.swift`) trusted-list import. Each change is one write with its audit
/// record, then the trust store is reloaded.
///
/// Methods block on the database; call them from worker threads or commands, not from Swift concurrency's pool.
public final class AccreditationRegistry: Sendable {
    let database: Database
    let trustStore: TrustStore
    let audit: AuditLog
    let clock: any WallClock

    /// A registry over the trust store's database; changes are recorded in `audit`.
    public init(database: Database, trustStore: TrustStore, audit: AuditLog, clock: any WallClock) {
        self.database = database
        self.trustStore = trustStore
        self.audit = audit
        self.clock = clock
    }

    /// Accredits a CA certificate for the period `from` (default now) … `until` (default open).
    ///
    /// The certificate must be a CA certificate issued directly by a configured head CA root. A CA already in the
    /// store gets a new period (re-accreditation after a suspension), which must not overlap its other periods;
    /// a terminated CA is refused.
    @discardableResult
    public func accredit(_ certificate: Certificate, from: Date? = nil, until: Date? = nil, actor: String = "operator") throws -> AccreditedCA {
        let now = clock.now()
        let period = AccreditationPeriod(from: from ?? now, until: until)
        if let until = period.until, until <= period.from { throw HeadCAError(.invalidPeriod) }
        guard certificate.isCA else { throw HeadCAError(.notACA) }
        guard !certificate.isSelfSigned else { throw HeadCAError(.selfSigned) }
        guard let root = headRoot(of: certificate) else { throw HeadCAError(.notIssuedByHeadRoot) }
        let audit = self.audit
        let thumbprint = certificate.sha1ThumbprintHex
        let id: Int64 = try database.write { db in
            let id: Int64
            if let existing = try TrustStoreTables.caID(.thumbprint(thumbprint), db) {
                guard try !TrustStoreTables.isTerminated(id: existing, db) else { throw HeadCAError(.terminated) }
                guard try !TrustStoreTables.periods(caID: existing, db).contains(where: { $0.overlaps(period) }) else {
                    throw HeadCAError(.periodOverlaps)
                }
                id = existing
            } else {
                id = try TrustStoreTables.insertCA(certificate, source: "operator", listing: nil, now: now, db)
            }
            try TrustStoreTables.insertPeriod(caID: id, period, db)
            try TrustStoreTables.bumpGeneration(db)
            var details = ["thumbprint": thumbprint, "root": root.sha1ThumbprintHex, "from": ISODate.format(period.from)]
            if let until = period.until { details["until"] = ISODate.format(until) }
            try audit.append(AuditEvent(kind: "headca.ca.accredited", actor: actor, subject: "ca:\(id)", details: details), using: db)
            return id
        }
        try trustStore.reload()
        return try ca(id: id)
    }

    /// Suspends a CA: its current period is closed now (periods starting later are removed). Accrediting it
    /// again opens a new period.
    @discardableResult
    public func suspend(_ reference: CAReference, actor: String = "operator") throws -> AccreditedCA {
        try end(reference, terminate: false, actor: actor)
    }

    /// Terminates a CA's accreditation for good: its current period is closed now and it can never be
    /// accredited again. A suspended CA can be terminated too.
    @discardableResult
    public func terminate(_ reference: CAReference, actor: String = "operator") throws -> AccreditedCA {
        try end(reference, terminate: true, actor: actor)
    }

    /// Every CA in the store, by id, read from the database (not the snapshot).
    public func list() throws -> [AccreditedCA] {
        try database.read { try TrustStoreTables.allCAs($0) }
    }

    /// The trusted-list version imported last, nil before the first import.
    public func trustedListVersion() throws -> Int? {
        try database.read { try TrustStoreTables.trustedListVersion($0) }
    }

    /// The configured head CA root that issued `certificate` directly, if any (never the certificate itself).
    func headRoot(of certificate: Certificate) -> Certificate? {
        let thumbprint = certificate.sha1ThumbprintHex
        return trustStore.roots.first { $0.sha1ThumbprintHex != thumbprint && certificate.isIssued(by: $0) }
    }

    private func end(_ reference: CAReference, terminate: Bool, actor: String) throws -> AccreditedCA {
        let now = clock.now()
        let audit = self.audit
        let id: Int64 = try database.write { db in
            guard let id = try TrustStoreTables.caID(reference, db) else { throw HeadCAError(.unknownCA) }
            guard try !TrustStoreTables.isTerminated(id: id, db) else { throw HeadCAError(.terminated) }
            let changed = try TrustStoreTables.endPeriods(caID: id, at: now, db)
            if terminate {
                try TrustStoreTables.setTerminated(caID: id, at: now, db)
            } else if changed == 0 {
                throw HeadCAError(.notAccredited)
            }
            try TrustStoreTables.bumpGeneration(db)
            let thumbprint = try db.queryOne("SELECT thumbprint FROM headca_cas WHERE id = ?", [.integer(id)])!.string(0)
            try audit.append(AuditEvent(kind: terminate ? "headca.ca.terminated" : "headca.ca.suspended", actor: actor, subject: "ca:\(id)",
                                        details: ["thumbprint": thumbprint, "at": ISODate.format(now)]), using: db)
            return id
        }
        try trustStore.reload()
        return try ca(id: id)
    }

    private func ca(id: Int64) throws -> AccreditedCA {
        guard let ca = try database.read({ try TrustStoreTables.ca(id: id, $0) }) else { throw HeadCAError(.unknownCA) }
        return ca
    }
}
