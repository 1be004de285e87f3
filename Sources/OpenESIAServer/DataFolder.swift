import Crypto
import Foundation
import Glibc
import PKI
import Support

/// Why a data folder could not be made.
public struct DataFolderError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What kind of failure this is.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Value: String { case alreadyExists, keysNotFound, keyGenerationFailed, fileSystem }
        private let value: Value

        /// The folder already holds a config.json or keys/ (pass force to replace them).
        public static let alreadyExists = Code(value: .alreadyExists)
        /// The folder to copy keys from does not exist.
        public static let keysNotFound = Code(value: .keysNotFound)
        /// Generating fresh keys failed.
        public static let keyGenerationFailed = Code(value: .keyGenerationFailed)
        /// Creating, writing or renaming a file or folder failed.
        public static let fileSystem = Code(value: .fileSystem)

        /// The code's name.
        public var description: String { value.rawValue }
    }

    /// The kind of failure.
    public let code: Code
    /// What went wrong, for a person to read.
    public let message: String

    /// Makes an error.
    public init(code: Code, message: String) {
        self.code = code
        self.message = message
    }

    /// Equality compares the code only.
    public static func == (a: DataFolderError, b: DataFolderError) -> Bool { a.code == b.code }

    /// The message.
    public var description: String { message }
}

/// Makes a data folder: `config.json` with the defaults and a `keys/` folder, as `openesia init` does.
///
/// The folder is built under a temporary name beside (or, if it exists already, inside) the target and
/// moved into place with rename(2), so a failure leaves nothing half-made behind.
public enum DataFolder {
    /// Where the keys come from.
    public enum KeySource: Sendable, Equatable {
        /// Copy a folder such as keys-example/.
        case copy(from: String)
        /// Generate fresh keys: a TLS key and self-signed certificate, a data key and the HMAC secrets.
        case generate
    }

    /// Makes a TLS key and self-signed certificate; `PKI.SelfSignedCertificate.makeTLS` unless a test passes its own.
    public typealias TLSKeyMaker = (_ hostnames: [String], _ ipAddresses: [String], _ validDays: Int) throws
        -> (certificatePEM: String, privateKeyPEM: String)

    /// Writes the data key and HMAC secrets into a keys folder; `KeyDirectory.generate` unless a test passes its own.
    public typealias SecretKeyMaker = (_ keysFolder: String) throws -> Void

    /// What `create` made.
    public struct Created: Sendable, Equatable {
        /// The data folder, absolute.
        public let folder: String
        /// Its config.json, absolute.
        public let configFile: String
        /// The files under keys/, relative to it, sorted.
        public let keyFiles: [String]
        /// Whether the keys are the public development ones (a DEVELOPMENT-ONLY marker was copied).
        public let developmentKeys: Bool
    }

    /// The names written into a generated TLS certificate.
    public static let tlsHostnames = ["localhost"]
    /// The addresses written into a generated TLS certificate.
    public static let tlsIPAddresses = ["127.0.0.1", "::1"]
    /// How long a generated TLS certificate is valid.
    public static let tlsValidDays = 825

    /// Creates (or with `force`, refreshes) a data folder.
    /// - Parameters:
    ///   - folder: the data folder; its parent must exist. Made with mode 0700 if new.
    ///   - keys: copy a folder or generate fresh keys; files get mode 0600, folders 0700.
    ///   - force: replace config.json and keys/ if present (other files, such as the database, are kept).
    ///   - currentDirectory: what relative `folder` and copy-from paths are relative to.
    ///   - makeTLS: generates the TLS key and certificate for `.generate`.
    ///   - makeSecretKeys: writes the data key and secrets for `.generate`.
    /// - Throws: `DataFolderError`; nothing is left behind when it throws.
    @discardableResult
    public static func create(at folder: String, keys: KeySource, force: Bool = false,
                              currentDirectory: String = FileManager.default.currentDirectoryPath,
                              makeTLS: TLSKeyMaker = SelfSignedCertificate.makeTLS,
                              makeSecretKeys: SecretKeyMaker = { try KeyDirectory.generate(in: $0) }) throws(DataFolderError) -> Created {
        let fm = FileManager.default
        let folder = absolute(folder, against: currentDirectory)
        let parent = (folder as NSString).deletingLastPathComponent
        guard isDirectory(parent) else {
            throw DataFolderError(code: .fileSystem, message: "cannot create \(folder): folder \(parent) does not exist")
        }
        var source: String?
        if case .copy(let from) = keys {
            let from = absolute(from, against: currentDirectory)
            guard isDirectory(from) else {
                throw DataFolderError(code: .keysNotFound,
                                      message: "keys folder \(from) not found; pass --keys-from DIR or --generate-keys")
            }
            source = from
        }

        let configFile = (folder as NSString).appendingPathComponent("config.json")
        let keysFolder = (folder as NSString).appendingPathComponent("keys")
        let exists = fm.fileExists(atPath: folder)
        if exists {
            guard isDirectory(folder) else {
                throw DataFolderError(code: .alreadyExists, message: "\(folder) exists and is not a folder")
            }
            let present = [configFile, keysFolder].filter { fm.fileExists(atPath: $0) }
            if !present.isEmpty && !force {
                throw DataFolderError(code: .alreadyExists, message: "\(present.joined(separator: " and ")) already "
                    + (present.count == 1 ? "exists" : "exist") + "; pass --force to replace config.json and keys/ (other files are kept)")
            }
        }

        // Build everything under a temporary name, then rename into place.
        let suffix = Hex.encode(SecureRandom.bytes(6))
        let staging = exists
            ? (folder as NSString).appendingPathComponent(".init-\(suffix)")
            : (parent as NSString).appendingPathComponent(".\((folder as NSString).lastPathComponent).init-\(suffix)")
        defer { try? fm.removeItem(atPath: staging) }

        try makeFolder(staging)
        let stagedKeys = (staging as NSString).appendingPathComponent("keys")
        try makeFolder(stagedKeys)
        if let source {
            try copyKeys(from: source, to: stagedKeys)
        } else {
            try generateKeys(into: stagedKeys, makeTLS: makeTLS, makeSecretKeys: makeSecretKeys)
        }
        var configuration = Configuration()
        // Copied keys with a development PKI (keys-example/pki/<alg>/head) come with their head CA roots trusted.
        configuration.headca.roots = headRoots(in: stagedKeys)
        try writeFile((staging as NSString).appendingPathComponent("config.json"), configuration.jsonFileText())

        let keyFiles = listFiles(stagedKeys)
        let developmentKeys = keyFiles.contains(ConfigurationLoader.developmentMarker)
        if exists {
            try swapIn(staging: staging, keysFolder: keysFolder, configFile: configFile)
        } else {
            try rename(staging, folder)
        }
        return Created(folder: folder, configFile: configFile, keyFiles: keyFiles, developmentKeys: developmentKeys)
    }

    /// `keys/pki/<name>/head/ca.crt` for every such file under the keys folder, relative to the config file, sorted.
    static func headRoots(in keysFolder: String) -> [String] {
        let pki = (keysFolder as NSString).appendingPathComponent("pki")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: pki)) ?? []
        return names.sorted().filter { !$0.hasPrefix(".") && FileManager.default.fileExists(atPath: "\(pki)/\($0)/head/ca.crt") }
            .map { "keys/pki/\($0)/head/ca.crt" }
    }

    /// Replaces keys/ and config.json inside an existing folder; keys/ is restored if the config cannot be moved in.
    private static func swapIn(staging: String, keysFolder: String, configFile: String) throws(DataFolderError) {
        let fm = FileManager.default
        let oldKeys = (staging as NSString).appendingPathComponent("old-keys")
        let hadKeys = fm.fileExists(atPath: keysFolder)
        if hadKeys { try rename(keysFolder, oldKeys) }
        do {
            try rename((staging as NSString).appendingPathComponent("keys"), keysFolder)
        } catch {
            if hadKeys { try? rename(oldKeys, keysFolder) }
            throw error
        }
        do {
            try rename((staging as NSString).appendingPathComponent("config.json"), configFile)
        } catch {
            try? rename(keysFolder, (staging as NSString).appendingPathComponent("keys"))
            if hadKeys { try? rename(oldKeys, keysFolder) }
            throw error
        }
    }

    /// Copies regular files and folders; skips dot-files and shell scripts (make-keys.sh makes keys, it is not one).
    private static func copyKeys(from source: String, to target: String) throws(DataFolderError) {
        let entries: [String]
        do {
            entries = try FileManager.default.contentsOfDirectory(atPath: source).sorted()
        } catch {
            throw DataFolderError(code: .fileSystem, message: "cannot list \(source): \(describe(error))")
        }
        for name in entries where !name.hasPrefix(".") && !name.hasSuffix(".sh") {
            let from = (source as NSString).appendingPathComponent(name)
            let to = (target as NSString).appendingPathComponent(name)
            if isDirectory(from) {
                try makeFolder(to)
                try copyKeys(from: from, to: to)
            } else {
                let data: Data
                do {
                    data = try Data(contentsOf: URL(fileURLWithPath: from))
                } catch {
                    throw DataFolderError(code: .fileSystem, message: "cannot read \(from): \(describe(error))")
                }
                try writeFile(to, data)
            }
        }
    }

    private static func generateKeys(into target: String, makeTLS: TLSKeyMaker,
                                     makeSecretKeys: SecretKeyMaker) throws(DataFolderError) {
        let made: (certificatePEM: String, privateKeyPEM: String)
        do {
            made = try makeTLS(tlsHostnames, tlsIPAddresses, tlsValidDays)
        } catch {
            throw DataFolderError(code: .keyGenerationFailed, message: "cannot generate the TLS key and certificate: \(error)")
        }
        let tls = (target as NSString).appendingPathComponent("tls")
        try makeFolder(tls)
        try writeFile((tls as NSString).appendingPathComponent("localhost.key"), made.privateKeyPEM)
        try writeFile((tls as NSString).appendingPathComponent("localhost.crt"), made.certificatePEM)
        do {
            try makeSecretKeys(target)
        } catch {
            throw DataFolderError(code: .keyGenerationFailed, message: "cannot generate the data key and secrets: \(error)")
        }
    }

    private static func makeFolder(_ path: String) throws(DataFolderError) {
        guard mkdir(path, 0o700) == 0 else { throw errnoError("cannot create folder \(path)") }
        // mkdir's mode passes through the umask; set it outright.
        guard chmod(path, 0o700) == 0 else { throw errnoError("cannot set the mode of \(path)") }
    }

    private static func writeFile(_ path: String, _ text: String) throws(DataFolderError) {
        try writeFile(path, Data(text.utf8))
    }

    /// Writes with mode 0600 from the start (O_EXCL: never through an existing file or link).
    private static func writeFile(_ path: String, _ data: Data) throws(DataFolderError) {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw errnoError("cannot create \(path)") }
        defer { close(fd) }
        guard fchmod(fd, 0o600) == 0 else { throw errnoError("cannot set the mode of \(path)") }
        let written = data.withUnsafeBytes { raw -> Bool in
            var offset = 0
            while offset < raw.count {
                let n = write(fd, raw.baseAddress! + offset, raw.count - offset)
                if n < 0 { if errno == EINTR { continue }; return false }
                offset += n
            }
            return true
        }
        guard written, fsync(fd) == 0 else { throw errnoError("cannot write \(path)") }
    }

    private static func rename(_ from: String, _ to: String) throws(DataFolderError) {
        guard Glibc.rename(from, to) == 0 else { throw errnoError("cannot move \(from) to \(to)") }
    }

    private static func errnoError(_ what: String) -> DataFolderError {
        DataFolderError(code: .fileSystem, message: "\(what): \(String(cString: strerror(errno)))")
    }

    private static func listFiles(_ root: String) -> [String] {
        guard let walker = FileManager.default.enumerator(atPath: root) else { return [] }
        var files: [String] = []
        while let relative = walker.nextObject() as? String {
            if !isDirectory((root as NSString).appendingPathComponent(relative)) { files.append(relative) }
        }
        return files.sorted()
    }

    private static func isDirectory(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue
    }

    private static func absolute(_ path: String, against folder: String) -> String {
        let joined = path.hasPrefix("/") ? path : (folder as NSString).appendingPathComponent(path)
        return (joined as NSString).standardizingPath
    }

    private static func describe(_ error: any Error) -> String { (error as NSError).localizedDescription }
}
