import Crypto
import Foundation

/// One token-signing key as stored, without its private half.
///
/// A key's life, for one algorithm (`t` the time asked about):
///
///     created ── publish_from ──────── sign_from ──────────── successor's sign_from ───── retire_after
///                 │ published: in JWKS, │ current: signs new      │ previous: verifies only, │ retired: gone
///                 │ not signing yet     │ tokens, in JWKS         │ still in JWKS            │ from JWKS
///
/// `publish_from` is the creation time; `sign_from` is `publishLead` later (portals that cache the JWKS see the key
/// before any token names it); `retire_after` is set when a successor is made, to the successor's `sign_from` plus the
/// longest token lifetime plus the nodes' key refresh interval, so every token the key signed (on any node, however
/// stale its copy of the keys) has expired before its public key leaves the JWKS.
public struct SigningKeyRecord: Sendable, Equatable {
    /// The key id: the RFC 7638 thumbprint for ES256 and RS256, base64url SHA-256 of the SubjectPublicKeyInfo for GOST.
    public let keyID: String
    /// The algorithm the key signs with.
    public let algorithm: JWSAlgorithm
    /// When the key was made.
    public let createdAt: Date
    /// From when the key is in the JWKS.
    public let publishFrom: Date
    /// From when the key signs new tokens (until a successor's `signFrom`).
    public let signFrom: Date
    /// From when the key is out of the JWKS; nil until a successor exists.
    public let retireAfter: Date?
    /// The data key its private half is sealed under.
    public let dataKeyID: String
}

/// Where a key is in its life at some time.
public enum SigningKeyState: String, Sendable, Equatable {
    /// In the JWKS, not signing yet.
    case published
    /// Signs new tokens; one per algorithm.
    case current
    /// Verifies tokens it signed before; still in the JWKS.
    case previous
    /// Out of the JWKS; kept in the table for the record.
    case retired

    /// The state of every key in `keys` at `time`, by key id.
    ///
    /// The current key of an algorithm is the one with the latest `signFrom` not after `time` among those not retired.
    public static func of(_ keys: [SigningKeyRecord], at time: Date) -> [String: SigningKeyState] {
        var states: [String: SigningKeyState] = [:]
        for algorithm in JWSAlgorithm.allCases {
            let mine = keys.filter { $0.algorithm == algorithm }
            let current = mine.filter { $0.signFrom <= time && !isRetired($0, at: time) }.max { $0.signFrom < $1.signFrom }
            for key in mine {
                states[key.keyID] = if isRetired(key, at: time) { .retired }
                    else if key.keyID == current?.keyID { .current }
                    else if time < key.signFrom { .published }
                    else { .previous }
            }
        }
        return states
    }

    private static func isRetired(_ key: SigningKeyRecord, at time: Date) -> Bool {
        key.retireAfter.map { time >= $0 } ?? false
    }
}
