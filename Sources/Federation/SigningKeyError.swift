import Crypto

/// Why a signing-key operation failed.
public enum SigningKeyError: Error, Sendable, Equatable, CustomStringConvertible {
    /// No key of this algorithm signs at the time asked about (none made yet: run `ensureKeys`).
    case noCurrentKey(JWSAlgorithm)
    /// A stored key is sealed under a data key the key ring does not hold.
    case unknownDataKey(keyID: String, dataKeyID: String)
    /// A stored key could not be opened or read (wrong data key, altered row, unreadable PEM).
    case unreadableKey(keyID: String, reason: String)
    /// A new key could not be made.
    case generationFailed(algorithm: JWSAlgorithm, reason: String)

    public var description: String {
        switch self {
        case .noCurrentKey(let algorithm): "no current \(algorithm.rawValue) signing key"
        case .unknownDataKey(let keyID, let dataKeyID): "signing key \(keyID) is sealed under data key \(dataKeyID), which is not in keys/data"
        case .unreadableKey(let keyID, let reason): "signing key \(keyID) cannot be read: \(reason)"
        case .generationFailed(let algorithm, let reason): "a new \(algorithm.rawValue) key could not be made: \(reason)"
        }
    }
}
