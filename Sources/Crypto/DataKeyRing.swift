import Foundation
import Glibc
import Support

/// The AES-256-GCM data keys for personal data, from `data/` in the key directory: every key ever
/// used (old rows stay readable) and the current one (new rows are sealed with it).
public struct DataKeyRing: Sendable {
    /// The file in `data/` holding the current key's id.
    public static let currentFile = "current"

    /// The id of the key new data is sealed with.
    public let currentID: String
    private let keys: [String: SymmetricKey]

    /// A ring from keys in memory (for tests and tools); ids must be valid and `currentID` among them.
    public init(currentID: String, keys: [String: SymmetricKey]) throws(CryptoError) {
        for id in keys.keys where !Self.isValidID(id) {
            throw CryptoError(code: .keyFile, message: "invalid data key id \"\(id)\": use 1...64 of a-z, 0-9 and -")
        }
        guard keys[currentID] != nil else {
            throw CryptoError(code: .keyFile, message: "the current data key \"\(currentID)\" is not among the keys")
        }
        self.currentID = currentID
        self.keys = keys
    }

    /// The key with this id, or nil if the ring has none.
    public func key(id: String) -> SymmetricKey? { keys[id] }

    /// The current key.
    public var currentKey: SymmetricKey { keys[currentID]! }

    /// Every key id, sorted.
    public var ids: [String] { keys.keys.sorted() }

    /// Whether `id` may name a data key: 1...64 characters of `a-z`, `0-9` and `-`, starting with a
    /// letter or digit. Ids come from file names and are stored beside ciphertexts, so they are checked.
    public static func isValidID(_ id: String) -> Bool {
        let bytes = Array(id.utf8)
        guard (1...64).contains(bytes.count), bytes[0] != UInt8(ascii: "-") else { return false }
        return bytes.allSatisfy { (UInt8(ascii: "a")...UInt8(ascii: "z")).contains($0)
            || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) || $0 == UInt8(ascii: "-") }
    }

    /// Loads `data/` of the key directory `directory` (keys/, not keys/data). Every `<id>.key` is read;
    /// dot-files are skipped; any other file, an invalid id, a malformed key, or a missing or dangling
    /// `current` throws `.keyFile` naming the file.
    public static func load(directory: String) throws(CryptoError) -> DataKeyRing {
        let folder = KeyDirectory.join(directory, KeyDirectory.dataFolder)
        let entries: [String]
        do {
            entries = try FileManager.default.contentsOfDirectory(atPath: folder).sorted()
        } catch {
            throw CryptoError(code: .keyFile, message: "data key folder \(folder) is missing or unreadable")
        }
        var keys: [String: SymmetricKey] = [:]
        for name in entries where !name.hasPrefix(".") && name != currentFile {
            let path = KeyDirectory.join(folder, name)
            guard name.hasSuffix(".key"), case let id = String(name.dropLast(4)), isValidID(id) else {
                throw CryptoError(code: .keyFile, message: "unexpected file \(path): data keys are named <id>.key, id of a-z, 0-9 and -")
            }
            keys[id] = try KeyDirectory.readKeyFile(path)
        }
        let currentPath = KeyDirectory.join(folder, currentFile)
        let currentID = try KeyDirectory.readSmallFile(currentPath).trimmingCharacters(in: .whitespacesAndNewlines)
        guard isValidID(currentID) else {
            throw CryptoError(code: .keyFile, message: "\(currentPath) does not hold a valid data key id")
        }
        guard keys[currentID] != nil else {
            throw CryptoError(code: .keyFile,
                              message: "\(currentPath) names \"\(currentID)\" but \(KeyDirectory.join(folder, currentID + ".key")) is missing")
        }
        return try DataKeyRing(currentID: currentID, keys: keys)
    }

    /// Adds a fresh random key to `data/` of `directory` (file mode 0600, written atomically, never
    /// over an existing file) and makes it current; returns its id. Old keys stay for old data.
    @discardableResult
    public static func addKey(directory: String, clock: any WallClock = SystemClock()) throws(CryptoError) -> String {
        let folder = KeyDirectory.join(directory, KeyDirectory.dataFolder)
        try KeyDirectory.makeFolder(folder)
        let id = newID(clock: clock)
        // The key file is complete on disk before `current` points at it.
        try KeyDirectory.writeNewFile(KeyDirectory.join(folder, "\(id).key"), KeyDirectory.keyFileText(.random()))
        try KeyDirectory.replaceFile(KeyDirectory.join(folder, currentFile), id + "\n")
        return id
    }

    /// "2026-11-23-a1b2c3": the UTC date (readable, sorts by age) and 24 random bits (unique within a day).
    static func newID(clock: any WallClock) -> String {
        var seconds = time_t(clock.now().timeIntervalSince1970.rounded(.down))
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func pad(_ value: Int32, _ width: Int) -> String {
            let digits = String(value)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        return "\(pad(parts.tm_year + 1900, 4))-\(pad(parts.tm_mon + 1, 2))-\(pad(parts.tm_mday, 2))-\(Hex.encode(randomBytes(3)))"
    }
}
