import Support
import Crypto
import Foundation
import PKI
import Storage

/// How the trust store checks revocation unless a caller says otherwise.
public struct TrustSettings: Sendable, Equatable {
    /// The default policy (`headca.revocation`): require, ifAvailable or off. Default require.
    public var revocation: RevocationPolicy = .require
    /// Roots (by SHA-1 thumbprint, upper-case hex) whose chains follow another policy than `revocation`
    /// (`headca.rootsRevocationIfAvailable`, `headca.rootsRevocationOff`). A policy given by the caller wins over both.
    public var revocationByRoot: [String: RevocationPolicy] = [:]
    /// A CRL issued longer ago than this at the time of verification counts as stale even before its nextUpdate
    /// (`headca.maxCRLAgeHours`). Default 48 hours.
    public var maxCRLAge: TimeInterval = 48 * 3600

    /// The defaults.
    public init() {}
}

/// The head CA trust store: verifies certificates against the configured head CA roots, the accredited CAs and
/// their accreditation periods, and the stored CRLs.
///
/// Verification reads only an in-memory snapshot (no database access), swapped whole under a lock after every
/// change, so it can run on many threads at once. `AccreditationRegistry` and `CRLRegistry` reload it after
/// their own changes; `TrustStoreWatcher` picks up changes other processes (`openesia ca …`) made.
public final class TrustStore: Sendable {
    /// The head CA roots from the configuration.
    public let roots: [Certificate]
    /// The default revocation policy and CRL age limit.
    public let settings: TrustSettings
    private let database: Database
    private let current: Locked<TrustSnapshot>

    /// Reads the store from `database` (migrated with `HeadCAMigrations.all`). With no roots every verification
    /// fails with unknown_issuer.
    public init(database: Database, roots: [Certificate], settings: TrustSettings = .init()) throws {
        try? GOSTEngine.load()  // GOST roots, CAs and CRLs need the engine; RSA and ECDSA ones work without it
        self.database = database
        self.roots = roots
        self.settings = settings
        current = Locked(try Self.read(database, roots: roots))
    }

    /// Rebuilds the snapshot from the database.
    public func reload() throws {
        let fresh = try Self.read(database, roots: roots)
        // Two reloads may finish out of order: never replace a newer snapshot with an older one.
        current.withLock { if fresh.generation >= $0.generation { $0 = fresh } }
    }

    /// Rebuilds the snapshot when the database changed since it was read; returns whether it did.
    @discardableResult
    public func reloadIfChanged() throws -> Bool {
        let generation = try database.read { try TrustStoreTables.generation($0) }
        guard generation != snapshot.generation else { return false }
        try reload()
        return true
    }

    /// Verifies `leaf` at `time` — the server's own clock, never a time asserted inside a signature.
    ///
    /// Trusted only when OpenSSL builds leaf → CA → head CA root, the CA is in the store, it was accredited at the
    /// leaf's notBefore and is accredited (and not terminated) at `time`, and revocation passes under `revocation`
    /// (nil: the store's default). Under `require` a CRL issued more than `settings.maxCRLAge` before `time` is stale.
    /// `extraIntermediates` (e.g. certificates from a signature) are tried after the store's own CAs; a CA found
    /// only there is still not accredited.
    public func verify(_ leaf: Certificate, extraIntermediates: [Certificate] = [], at time: Date,
                       revocation: RevocationPolicy? = nil) -> TrustVerdict {
        let snapshot = self.snapshot
        var policy = revocation ?? settings.revocation
        var result = snapshot.verifier(policy).verify(leaf, extraIntermediates: extraIntermediates, at: time)
        // The chain is built before revocation is checked, so its root is known; a root with its own policy is then
        // verified again under that policy.
        if revocation == nil, let root = result.chain.last, let own = settings.revocationByRoot[root.sha1ThumbprintHex], own != policy {
            policy = own
            result = snapshot.verifier(policy).verify(leaf, extraIntermediates: extraIntermediates, at: time)
        }
        var failures = result.failures.map(TrustFailure.chain)
        func add(_ failure: TrustFailure) { if !failures.contains(failure) { failures.append(failure) } }

        var accredited: AccreditedCA? = nil
        let chain = result.chain
        if chain.count >= 2 {
            accredited = snapshot.ca(thumbprint: chain[1].sha1ThumbprintHex)
            if let ca = accredited {
                if let terminatedAt = ca.terminatedAt, terminatedAt <= time {
                    add(.caTerminated)
                } else if !ca.isAccredited(at: time) {
                    add(.caAccreditationEnded)
                }
                if !ca.isAccredited(at: leaf.notBefore) { add(.caNotAccreditedAtIssue) }
            }
            // Exactly leaf → accredited CA → head CA root: a longer chain or a leaf issued by the root itself is refused.
            if accredited == nil || chain.count > 3 || (chain.count == 3 && !snapshot.isRoot(chain[2])) {
                add(.issuerNotAccredited)
            }
        }
        if policy == .require {
            // Every certificate above the leaf issued a CRL the chain was checked against (the root covers itself).
            let oldest = time.addingTimeInterval(-settings.maxCRLAge)
            for issuer in chain.dropFirst() {
                if let loaded = snapshot.crls[issuer.sha1ThumbprintHex], loaded.stored.thisUpdate < oldest {
                    add(.chain(.crlStale))
                }
            }
        }
        return TrustVerdict(isTrusted: result.isTrusted && failures.isEmpty, failures: failures, chain: chain,
                            accreditedCA: accredited)
    }

    /// The CAs in the store as of the last reload, by id.
    public var accreditedCAs: [AccreditedCA] { snapshot.cas }

    /// The current snapshot.
    var snapshot: TrustSnapshot { current.withLock { $0 } }

    private static func read(_ database: Database, roots: [Certificate]) throws -> TrustSnapshot {
        let (generation, cas, crls) = try database.read { db in
            (try TrustStoreTables.generation(db), try TrustStoreTables.allCAs(db), try TrustStoreTables.allCRLs(db))
        }
        return try TrustSnapshot(generation: generation, roots: roots, cas: cas, crls: crls)
    }
}
