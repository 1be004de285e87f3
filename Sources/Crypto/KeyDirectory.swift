import Foundation
import Glibc
import Support

/// The HMAC secrets kept in `secrets/` of the key directory.
public enum SecretName: String, Sendable, CaseIterable {
    /// HMAC key of the blind indexes over passport, SNILS and INN; rotating it means re-indexing every row.
    case blindIndex = "blind-index"
    /// HMAC key of the audit log's hash chain.
    case audit
    /// HMAC key for hashing session ids, activation codes and tokens before they are stored.
    case tokenHash = "token-hash"
    /// HMAC key of the portals' client secrets (`Federation.ClientSecret`); rotating it invalidates every client secret.
    case clientSecret = "client-secret"

    /// The file's path relative to the key directory, e.g. "secrets/blind-index.key".
    public var relativePath: String { "\(KeyDirectory.secretsFolder)/\(rawValue).key" }
}

/// Paths, loading and first generation of the key files in a key directory (keys/ in a data folder,
/// keys-example/ in development). Key files hold one line: standard base64 of 32 random bytes.
public enum KeyDirectory {
    /// The folder of AES-256-GCM data keys (`<id>.key`) and the `current` pointer.
    public static let dataFolder = "data"
    /// The folder of HMAC secrets.
    public static let secretsFolder = "secrets"

    /// Loads one HMAC secret; the error names the file when it is missing or malformed.
    public static func secret(_ name: SecretName, in directory: String) throws(CryptoError) -> SymmetricKey {
        try readKeyFile(join(directory, name.relativePath))
    }

    /// Creates `data/` with one fresh data key and `current`, and `secrets/` with every `SecretName`:
    /// folders 0700, files 0600. Never overwrites: throws `.alreadyExists` before writing anything if
    /// a data key, `current` or a secret is already there. `directory` is created if missing.
    public static func generate(in directory: String, clock: any WallClock = SystemClock()) throws(CryptoError) {
        let data = join(directory, dataFolder)
        var present = [join(data, DataKeyRing.currentFile)] + SecretName.allCases.map { join(directory, $0.relativePath) }
        present = present.filter { FileManager.default.fileExists(atPath: $0) }
        if let entries = try? FileManager.default.contentsOfDirectory(atPath: data) {
            present += entries.filter { $0.hasSuffix(".key") }.map { join(data, $0) }
        }
        guard present.isEmpty else {
            throw CryptoError(code: .alreadyExists, message: "not overwriting existing key files: \(present.sorted().joined(separator: ", "))")
        }
        try makeFolder(directory)
        try makeFolder(data)
        try makeFolder(join(directory, secretsFolder))
        let id = DataKeyRing.newID(clock: clock)
        try writeNewFile(join(data, "\(id).key"), keyFileText(.random()))
        try writeNewFile(join(data, DataKeyRing.currentFile), id + "\n")
        for name in SecretName.allCases {
            try writeNewFile(join(directory, name.relativePath), keyFileText(.random()))
        }
    }

    // MARK: - Key files, shared with DataKeyRing

    /// Key files are tiny; anything larger is not one, and is not read into memory.
    private static let maximumKeyFileSize = 1024

    /// Reads a key file: base64 of exactly 32 bytes, surrounding whitespace (the final newline) ignored.
    static func readKeyFile(_ path: String) throws(CryptoError) -> SymmetricKey {
        let text = try readSmallFile(path)
        guard let data = Data(base64Encoded: text.trimmingCharacters(in: .whitespacesAndNewlines)) else {
            throw CryptoError(code: .keyFile, message: "key file \(path) is not base64")
        }
        guard data.count == SymmetricKey.byteCount else {
            throw CryptoError(code: .keyFile, message: "key file \(path) holds \(data.count) bytes, not \(SymmetricKey.byteCount)")
        }
        return try SymmetricKey(bytes: [UInt8](data))
    }

    /// A small text file's contents; `.keyFile` errors name the file.
    static func readSmallFile(_ path: String) throws(CryptoError) -> String {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw CryptoError(code: .keyFile, message: "key file \(path) is missing or unreadable")
        }
        defer { try? handle.close() }
        let data: Data
        do {
            data = try handle.read(upToCount: maximumKeyFileSize + 1) ?? Data()
        } catch {
            throw CryptoError(code: .keyFile, message: "cannot read key file \(path): \(error)")
        }
        guard data.count <= maximumKeyFileSize else {
            throw CryptoError(code: .keyFile, message: "key file \(path) is larger than \(maximumKeyFileSize) bytes")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw CryptoError(code: .keyFile, message: "key file \(path) is not text")
        }
        return text
    }

    /// The text of a key file: standard base64 and a newline, as `openssl rand -base64 32` writes it.
    static func keyFileText(_ key: SymmetricKey) -> String {
        Data(key.bytes).base64EncodedString() + "\n"
    }

    /// Creates `path` with mode 0600 and `text`, atomically and never over an existing file: written and
    /// fsynced under a temporary name, then hard-linked into place (link fails if the name exists).
    static func writeNewFile(_ path: String, _ text: String) throws(CryptoError) {
        let temporary = try writeTemporary(beside: path, text)
        defer { unlink(temporary) }
        guard link(temporary, path) == 0 else {
            if errno == EEXIST { throw CryptoError(code: .alreadyExists, message: "\(path) already exists; not overwriting it") }
            throw errnoError("cannot create \(path)")
        }
        syncFolder(of: path)
    }

    /// Replaces `path` (or creates it) atomically with mode 0600: readers see the old or the new text, never half.
    static func replaceFile(_ path: String, _ text: String) throws(CryptoError) {
        let temporary = try writeTemporary(beside: path, text)
        guard rename(temporary, path) == 0 else {
            let error = errnoError("cannot replace \(path)")
            unlink(temporary)
            throw error
        }
        syncFolder(of: path)
    }

    /// Makes a folder with mode 0700, or accepts an existing folder as it is.
    static func makeFolder(_ path: String) throws(CryptoError) {
        if mkdir(path, 0o700) == 0 {
            // mkdir's mode passes through the umask; set it outright.
            guard chmod(path, 0o700) == 0 else { throw errnoError("cannot set the mode of \(path)") }
            return
        }
        var isDirectory: ObjCBool = false
        guard errno == EEXIST, FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw errnoError("cannot create folder \(path)")
        }
    }

    static func join(_ folder: String, _ name: String) -> String {
        (folder as NSString).appendingPathComponent(name)
    }

    /// Writes `text` to a new dot-file beside `path` (O_EXCL, mode 0600 from the start) and fsyncs it.
    /// Dot-files are skipped when a folder is loaded, so one left by a crash is harmless.
    private static func writeTemporary(beside path: String, _ text: String) throws(CryptoError) -> String {
        let folder = (path as NSString).deletingLastPathComponent
        let name = (path as NSString).lastPathComponent
        let temporary = join(folder, ".\(name).tmp-\(Hex.encode(randomBytes(6)))")
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw errnoError("cannot create \(temporary)") }
        defer { close(fd) }
        let bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + offset, $0.count - offset) }
            if n < 0 {
                if errno == EINTR { continue }
                let error = errnoError("cannot write \(temporary)")
                unlink(temporary)
                throw error
            }
            offset += n
        }
        guard fchmod(fd, 0o600) == 0, fsync(fd) == 0 else {
            let error = errnoError("cannot write \(temporary)")
            unlink(temporary)
            throw error
        }
        return temporary
    }

    /// fsyncs the folder holding `path`, so the new name survives a power cut; best effort.
    private static func syncFolder(of path: String) {
        let fd = open((path as NSString).deletingLastPathComponent, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { return }
        fsync(fd)
        close(fd)
    }

    private static func errnoError(_ what: String) -> CryptoError {
        CryptoError(code: .fileSystem, message: "\(what): \(String(cString: strerror(errno)))")
    }
}
