import Crypto
import Foundation

/// Encrypts identity documents at rest and computes the blind indexes they are looked up by.
///
/// Each value is sealed with AES-256-GCM under the current data key; the key id is stored beside the row so keys
/// can rotate. The associated data binds a ciphertext to its row and field (`citizen:42:snils`), so ciphertexts
/// cannot be swapped between rows. Blind indexes are HMAC-SHA-256 under a separate key of the normalised value
/// (`snils:11223344595`), so equality lookups and unique indexes work without the plaintext.
public struct PersonalDataVault: Sendable {
    public let keys: DataKeyRing
    private let indexKey: SymmetricKey

    public init(keys: DataKeyRing, indexKey: SymmetricKey) {
        self.keys = keys
        self.indexKey = indexKey
    }

    /// A sealed value and the id of the key that sealed it.
    public struct Sealed: Sendable, Equatable {
        public var keyID: String
        public var bytes: [UInt8]
    }

    /// The blind index of a normalised value of one kind (`snils`, `passport`, `inn`).
    public func blindIndex(_ kind: String, _ normalised: String) -> [UInt8] {
        HMAC.sha256(key: indexKey.bytes, message: Array("\(kind):\(normalised)".utf8))
    }

    public func seal(_ plaintext: String, context: String) throws -> Sealed {
        guard let key = keys.key(id: keys.currentID) else { throw CitizensError(.notAllowed) }
        return Sealed(keyID: keys.currentID, bytes: try AESGCM.seal(Array(plaintext.utf8), key: key, associatedData: Array(context.utf8)))
    }

    public func open(_ sealed: Sealed, context: String) throws -> String {
        guard let key = keys.key(id: sealed.keyID) else { throw VaultError.unknownKey(sealed.keyID) }
        return String(decoding: try AESGCM.open(sealed.bytes, key: key, associatedData: Array(context.utf8)), as: UTF8.self)
    }

    /// The context string that binds a ciphertext to a row and field.
    public static func context(citizenID: Int64, field: String) -> String { "citizen:\(citizenID):\(field)" }
}

/// A sealed value names a key the key ring does not have.
public enum VaultError: Error, Sendable, Equatable {
    case unknownKey(String)
}
