import Foundation
import PKI

/// Everything verification needs, read from the database once and then only read: the head CA roots, the CAs,
/// the newest CRL of each issuer and a ChainVerifier per revocation policy. Replaced whole after every change.
final class TrustSnapshot: Sendable {
    /// A stored CRL with its parsed form.
    struct LoadedCRL: Sendable {
        let crl: CRL
        let stored: TrustStoreTables.StoredCRL
    }

    /// The database's change counter when this was read.
    let generation: Int64
    let roots: [Certificate]
    let cas: [AccreditedCA]
    private let casByThumbprint: [String: AccreditedCA]
    /// CRLs by the thumbprint of the certificate that signed them; only those of current roots and CAs.
    let crls: [String: LoadedCRL]
    private let require: ChainVerifier
    private let ifAvailable: ChainVerifier
    private let off: ChainVerifier

    init(generation: Int64, roots: [Certificate], cas: [AccreditedCA], crls: [TrustStoreTables.StoredCRL]) throws {
        self.generation = generation
        self.roots = roots
        self.cas = cas
        casByThumbprint = Dictionary(cas.map { ($0.thumbprint, $0) }, uniquingKeysWith: { first, _ in first })
        let issuers = Set(roots.map(\.sha1ThumbprintHex)).union(casByThumbprint.keys)
        var loaded: [String: LoadedCRL] = [:]
        for stored in crls where issuers.contains(stored.issuerThumbprint) {
            loaded[stored.issuerThumbprint] = LoadedCRL(crl: try CRL(der: stored.der), stored: stored)
        }
        self.crls = loaded
        // Every CA in the store is an intermediate, accredited now or not: the accreditation rules are checked
        // after the chain is built, so the verdict can say "suspended" rather than "unknown issuer".
        let intermediates = cas.map(\.certificate)
        let crlList = loaded.values.map(\.crl)
        require = ChainVerifier(trustAnchors: roots, intermediates: intermediates, crls: crlList, revocation: .require)
        ifAvailable = ChainVerifier(trustAnchors: roots, intermediates: intermediates, crls: crlList, revocation: .ifAvailable)
        off = ChainVerifier(trustAnchors: roots, intermediates: intermediates, crls: crlList, revocation: .off)
    }

    func verifier(_ policy: RevocationPolicy) -> ChainVerifier {
        switch policy {
        case .require: require
        case .ifAvailable: ifAvailable
        case .off: off
        }
    }

    func ca(thumbprint: String) -> AccreditedCA? { casByThumbprint[thumbprint] }

    /// Whether `certificate` is one of the configured head CA roots.
    func isRoot(_ certificate: Certificate) -> Bool {
        let thumbprint = certificate.sha1ThumbprintHex
        return roots.contains { $0.sha1ThumbprintHex == thumbprint }
    }
}
