import COpenSSL
import Crypto
import Foundation
import PKI
import Synchronization

/// The key algorithms CMS and raw signatures are tested with.
enum SigningAlgorithm: String, CaseIterable, Sendable, CustomStringConvertible {
    case rsa2048, p256, gost2012_256, gost2012_512

    var description: String { rawValue }

    func makeKey() throws -> PrivateKey {
        switch self {
        case .rsa2048: return try PrivateKey.generateRSA(bits: 2048)
        case .p256: return try PrivateKey.generateP256()
        case .gost2012_256: return try PrivateKey.generateGOST2012(bits: 256)
        case .gost2012_512: return try PrivateKey.generateGOST2012(bits: 512)
        }
    }

    var family: KeyFamily {
        switch self {
        case .rsa2048: return .rsa
        case .p256: return .ecdsa
        case .gost2012_256: return .gost2012_256
        case .gost2012_512: return .gost2012_512
        }
    }

    /// OpenSSL's short name of the digest a signature by this key uses.
    var digestName: String {
        switch self {
        case .rsa2048, .p256: return "SHA256"
        case .gost2012_256: return "md_gost12_256"
        case .gost2012_512: return "md_gost12_512"
        }
    }

    /// The openssl command line tool's name of the digest.
    var cliDigest: String {
        switch self {
        case .rsa2048, .p256: return "sha256"
        case .gost2012_256: return "md_gost12_256"
        case .gost2012_512: return "md_gost12_512"
        }
    }

    /// The engine arguments the openssl command line tool needs for this algorithm.
    var cliEngine: [String] { family == .rsa || family == .ecdsa ? [] : ["-engine", "gost"] }
}

/// Root → accredited CA → citizen leaf, every key of one algorithm, made with CertificateIssuer.
struct TestHierarchy: Sendable {
    let root: Certificate
    let caKey: PrivateKey, ca: Certificate
    let leafKey: PrivateKey, leaf: Certificate

    static let start = Date(timeIntervalSince1970: 1_750_000_000)

    /// One hierarchy per algorithm per test process: RSA and GOST key generation is slow enough to share.
    static func of(_ algorithm: SigningAlgorithm) throws -> TestHierarchy {
        try cache.withLock { cache in
            if let made = cache[algorithm] { return made }
            let made = try TestHierarchy(algorithm)
            cache[algorithm] = made
            return made
        }
    }

    private static let cache = Mutex<[SigningAlgorithm: TestHierarchy]>([:])

    private init(_ algorithm: SigningAlgorithm) throws {
        let day: TimeInterval = 86400
        let rootKey = try algorithm.makeKey()
        root = try CertificateIssuer.makeRoot(subject: SubjectName(commonName: "ГУЦ \(algorithm) (тест)"), key: rootKey,
                                              validFrom: Self.start, validUntil: Self.start + 3650 * day)
        caKey = try algorithm.makeKey()
        ca = try CertificateIssuer.issue(subject: SubjectName(commonName: "УЦ \(algorithm)"), subjectKey: caKey,
                                         profile: .accreditedCA, issuer: root, issuerKey: rootKey,
                                         validFrom: Self.start, validUntil: Self.start + 1825 * day)
        leafKey = try algorithm.makeKey()
        leaf = try CertificateIssuer.issue(
            subject: SubjectName(commonName: "Иванов Иван", surname: "Иванов", givenName: "Иван", snils: "11223344595"),
            subjectKey: leafKey, profile: .citizen, issuer: ca, issuerKey: caKey,
            validFrom: Self.start, validUntil: Self.start + 365 * day)
    }
}

/// CMS structures the public API does not make (several signers, none, no certificates), through OpenSSL directly.
enum RawCMS {
    /// A detached SignedData over `content` with one SignerInfo per (certificate, key), SHA-256 or Streebog.
    static func sign(_ content: [UInt8], signers: [(Certificate, PrivateKey)], flags extra: Int32 = 0) throws -> [UInt8] {
        let flags = UInt32(CMS_PARTIAL | CMS_BINARY | CMS_DETACHED | extra)
        guard let cms = CMS_sign(nil, nil, nil, nil, flags) else { throw OpenSSLError.drain("CMS_sign") }
        defer { CMS_ContentInfo_free(cms) }
        for (certificate, key) in signers {
            let digest = EVP_get_digestbyname(key.family.signingDigestName!)
            guard CMS_add1_signer(cms, certificate.pointer, key.pointer, digest, flags) != nil else {
                throw OpenSSLError.drain("CMS_add1_signer")
            }
        }
        // CMS_final refuses a SignedData without signers; encoding the unfinished detached one gives exactly that.
        guard !signers.isEmpty else { return der(cms) }
        let bio = content.withUnsafeBytes { BIO_new_mem_buf($0.baseAddress, Int32($0.count)) }
        defer { BIO_free(bio) }
        guard CMS_final(cms, bio, nil, flags) == 1 else { throw OpenSSLError.drain("CMS_final") }
        return der(cms)
    }

    /// A ContentInfo of type data (not SignedData).
    static func data(_ content: [UInt8]) throws -> [UInt8] {
        let bio = content.withUnsafeBytes { BIO_new_mem_buf($0.baseAddress, Int32($0.count)) }
        defer { BIO_free(bio) }
        guard let cms = CMS_data_create(bio, UInt32(CMS_BINARY)) else { throw OpenSSLError.drain("CMS_data_create") }
        defer { CMS_ContentInfo_free(cms) }
        return der(cms)
    }

    private static func der(_ cms: OpaquePointer) -> [UInt8] {
        var out: UnsafeMutablePointer<UInt8>? = nil
        let length = i2d_CMS_ContentInfo(cms, &out)
        defer { shim_OPENSSL_free(out) }
        return Array(UnsafeBufferPointer(start: out, count: Int(length)))
    }
}

/// Runs /usr/bin/openssl in a fresh temporary folder.
struct OpenSSLTool {
    static let path = "/usr/bin/openssl"
    static var isAvailable: Bool { FileManager.default.isExecutableFile(atPath: path) }

    let folder: URL

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("openesia-cms-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    func remove() { try? FileManager.default.removeItem(at: folder) }

    /// Writes `bytes` to `name` in the folder and returns the path.
    @discardableResult
    func write(_ name: String, _ bytes: [UInt8]) throws -> String {
        let path = folder.appendingPathComponent(name).path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    func read(_ name: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: folder.appendingPathComponent(name)))
    }

    /// The exit status and standard error of `openssl arguments...`, run in the folder.
    func run(_ arguments: [String]) throws -> (status: Int32, errors: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.path)
        process.arguments = arguments
        process.currentDirectoryURL = folder
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let text = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, text)
    }
}
