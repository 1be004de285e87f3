import Audit
import Foundation
import PKI
import Storage

/// What a trusted-list import did.
public struct TrustedListImportReport: Sendable, Equatable {
    /// The list's `Версия`.
    public var version: Int
    /// The version imported before, nil on the first import.
    public var previousVersion: Int?
    /// False when the list was not newer than the one imported before: then nothing changed.
    public var applied: Bool
    /// CAs (`УдостоверяющийЦентр`) in the list.
    public var authorities: Int
    /// CA certificates new to the store.
    public var added: Int
    /// CA certificates already in the store whose periods, name and CRL addresses were replaced.
    public var updated: Int
    /// CRL addresses stored.
    public var crlURLs: Int
    /// Certificates left out, one line each (not a CA, not issued by a configured head CA root, terminated here).
    public var warnings: [String]

    /// A few lines for the operator.
    public var summary: String {
        guard applied else {
            return "Trusted list version \(version) is not newer than the imported version \(previousVersion.map(String.init) ?? "-"); nothing changed.\n"
        }
        var text = "Imported trusted list version \(version)" + (previousVersion.map { " (was \($0))" } ?? "") + ": "
            + "\(authorities) CAs, \(added) certificates added, \(updated) updated, \(crlURLs) CRL addresses.\n"
        for warning in warnings { text += "warning: \(warning)\n" }
        return text
    }
}

extension AccreditationRegistry {
    /// Imports an e-trust trusted list (`openesia ca import-tsl`): each CA certificate issued by a configured head
    /// CA root is added or updated with the CA's periods (status and history), termination and the key's CRL
    /// addresses; other certificates are skipped with a warning. A list whose `Версия` is not newer than the last
    /// imported one changes nothing. The whole list is parsed and checked before one write; a bad list throws
    /// `HeadCAError.invalidTrustedList` and changes nothing. CAs missing from a newer list are left as they are.
    @discardableResult
    public func importTrustedList(_ xml: [UInt8], actor: String = "operator") throws -> TrustedListImportReport {
        let list = try HeadCA.TrustedListReader.read(xml)
        let previous = try trustedListVersion()
        var report = TrustedListImportReport(version: list.version, previousVersion: previous, applied: false,
                                             authorities: list.authorities.count, added: 0, updated: 0, crlURLs: 0, warnings: [])
        if let previous, list.version <= previous { return report }

        var accepted: [Accepted] = []
        var index: [String: Int] = [:]
        for authority in list.authorities {
            let listing = TrustStoreTables.Listing(name: authority.name, registryNumber: authority.registryNumber.nilIfEmpty,
                                                   ogrn: authority.ogrn.nilIfEmpty, inn: authority.inn.nilIfEmpty)
            for key in authority.keys {
                for certificate in key.certificates {
                    let label = "\(authority.name): certificate \(certificate.sha1ThumbprintHex)"
                    guard certificate.isCA else {
                        report.warnings.append("\(label) is not a CA certificate; skipped")
                        continue
                    }
                    guard !certificate.isSelfSigned else {
                        report.warnings.append("\(label) is self-signed (a root), not an accredited CA's certificate; skipped")
                        continue
                    }
                    guard headRoot(of: certificate) != nil else {
                        report.warnings.append("\(label) is not issued by a configured head CA root; skipped")
                        continue
                    }
                    let thumbprint = certificate.sha1ThumbprintHex
                    if let at = index[thumbprint] {
                        // Listed again (under another key or CA): keep the first listing, add the addresses.
                        accepted[at].crlURLs += key.crlURLs
                        continue
                    }
                    index[thumbprint] = accepted.count
                    accepted.append(Accepted(certificate: certificate, listing: listing, periods: authority.periods,
                                             terminatedAt: authority.terminatedAt, crlURLs: key.crlURLs))
                }
            }
        }

        let now = clock.now()
        let audit = self.audit
        let version = list.version, date = list.date, authorities = list.authorities.count
        let earlierWarnings = report.warnings.count
        let items = accepted
        let outcome: (added: Int, updated: Int, urls: Int, warnings: [String], applied: Bool) = try database.write { db in
            // Another import may have committed since the check above.
            if let stored = try TrustStoreTables.trustedListVersion(db), version <= stored { return (0, 0, 0, [], false) }
            var added = 0, updated = 0, urls = 0
            var warnings: [String] = []
            for item in items {
                let thumbprint = item.certificate.sha1ThumbprintHex
                let id: Int64
                var terminatedHere = false
                if let existing = try TrustStoreTables.caID(.thumbprint(thumbprint), db) {
                    terminatedHere = try TrustStoreTables.isTerminated(id: existing, db)
                    // Termination is final: a list that still calls the CA accredited does not bring it back.
                    if terminatedHere && item.terminatedAt == nil {
                        warnings.append("\(item.listing.name ?? ""): certificate \(thumbprint) is terminated in this store; left unchanged")
                        continue
                    }
                    id = existing
                    try TrustStoreTables.updateListing(caID: id, item.listing, db)
                    updated += 1
                } else {
                    id = try TrustStoreTables.insertCA(item.certificate, source: "tsl", listing: item.listing, now: now, db)
                    added += 1
                }
                try TrustStoreTables.replacePeriods(caID: id, item.periods, db)
                if let terminatedAt = item.terminatedAt, !terminatedHere { try TrustStoreTables.setTerminated(caID: id, at: terminatedAt, db) }
                let unique = Set(item.crlURLs)
                try TrustStoreTables.replaceCRLURLs(caID: id, Array(unique), db)
                urls += unique.count
            }
            try TrustStoreTables.setTrustedList(version: version, date: date, importedAt: now, db)
            try TrustStoreTables.bumpGeneration(db)
            var details = ["version": String(version), "authorities": String(authorities), "added": String(added),
                           "updated": String(updated), "skipped": String(earlierWarnings + warnings.count)]
            if let previous { details["previousVersion"] = String(previous) }
            try audit.append(AuditEvent(kind: "headca.tsl.imported", actor: actor, details: details), using: db)
            return (added, updated, urls, warnings, true)
        }
        guard outcome.applied else { return report }
        try trustStore.reload()
        report.applied = true
        report.added = outcome.added
        report.updated = outcome.updated
        report.crlURLs = outcome.urls
        report.warnings += outcome.warnings
        return report
    }
}

/// A certificate of the list that will be stored.
private struct Accepted: Sendable {
    var certificate: Certificate
    var listing: TrustStoreTables.Listing
    var periods: [AccreditationPeriod]
    var terminatedAt: Date?
    var crlURLs: [String]
}

private extension String {
    var nilIfEmpty: String? { isEmpty ? nil : self }
}
