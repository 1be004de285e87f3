import Audit
import Crypto
import Foundation
import Glibc
import HeadCA
import HTTPServer
import PKI
import Storage
import Support
import Synchronization

/// Measurements for the e-signature login benchmark (.ci/bench-signatures.sh): the logins over HTTP, the bare OpenSSL
/// reference beside them, and loading a large CRL.
public enum SignatureMeasurements {
    /// Why a measurement could not be made.
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
        public init(_ description: String) { self.description = description }
    }

    /// A rate: `count` operations in `seconds` on `threads` threads.
    public struct Rate: Sendable {
        public var count: Int
        public var failed: Int
        public var seconds: Double
        public var threads: Int
        public var perSecond: Double { seconds > 0 ? Double(count) / seconds : 0 }

        /// One JSON line.
        public var json: String {
            "{\"count\":\(count),\"failed\":\(failed),\"threads\":\(threads),\"seconds\":\(Self.fixed(seconds, 3)),"
                + "\"per_second\":\(Self.fixed(perSecond, 1))}"
        }

        static func fixed(_ value: Double, _ digits: Int) -> String { String(format: "%.\(digits)f", value) }
    }

    // MARK: Reference: CMS_verify with chain and CRLs

    /// `threads` threads run `BareCMSVerifier.verify` (parse + CMS_verify + chain + CRLs) on one detached signature for about
    /// `seconds`. `folder` is a development CA hierarchy as `keys-example/pki/<alg>`: head/ca.crt, head/crl.der,
    /// accredited/ca.crt, accredited/crl.der, citizen.crt and citizen.key; the signature embeds the accredited CA, as
    /// the login's do.
    public static func cmsVerifyReference(folder: String, seconds: Double, threads: Int) throws -> Rate {
        try? GOSTEngine.load()
        func file(_ name: String) throws -> [UInt8] {
            guard let data = FileManager.default.contents(atPath: folder + "/" + name) else { throw Failure("cannot read \(folder)/\(name)") }
            return [UInt8](data)
        }
        let head = try Certificate(bytes: try file("head/ca.crt"))
        let accredited = try Certificate(bytes: try file("accredited/ca.crt"))
        let crls = [try CRL.load(file: folder + "/head/crl.der"), try CRL.load(file: folder + "/accredited/crl.der")]
        let key = try PrivateKey(pem: String(decoding: try file("citizen.key"), as: UTF8.self))
        let content = Array("OpenESIA benchmark challenge\nnonce: \(Base64URL.encode(SecureRandom.bytes(32)))\n".utf8)
        let signature = try CMSSignature.sign(content: content, certificate: try Certificate(bytes: try file("citizen.crt")), key: key,
                                              chain: [accredited])
        let verifier = try BareCMSVerifier(roots: [head], crls: crls)
        guard verifier.verify(signature, content: content) else { throw Failure("the reference signature does not verify in \(folder)") }
        return try loop(seconds: seconds, threads: threads) { verifier.verify(signature, content: content) }
    }

    /// Runs `work` on `threads` threads until `seconds` have passed; counts successes and failures.
    static func loop(seconds: Double, threads: Int, _ work: @escaping @Sendable () -> Bool) throws -> Rate {
        let ok = Atomic<Int>(0)
        let bad = Atomic<Int>(0)
        let done = DispatchGroup()
        let start = DispatchTime.now().uptimeNanoseconds
        let deadline = start + UInt64(seconds * 1e9)
        for _ in 0..<threads {
            done.enter()
            Thread {
                while DispatchTime.now().uptimeNanoseconds < deadline {
                    if work() { ok.wrappingAdd(1, ordering: .relaxed) } else { bad.wrappingAdd(1, ordering: .relaxed) }
                }
                done.leave()
            }.start()
        }
        done.wait()
        let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        return Rate(count: ok.load(ordering: .relaxed), failed: bad.load(ordering: .relaxed), seconds: elapsed, threads: threads)
    }

    // MARK: Signature logins over HTTP

    /// What `signatureLogins` signs with.
    public struct Signer: Sendable {
        public var keyFile: String
        public var certificateFile: String
        /// PEM certificates to embed (the issuing CA).
        public var chainFile: String?

        public init(keyFile: String, certificateFile: String, chainFile: String?) {
            self.keyFile = keyFile
            self.certificateFile = certificateFile
            self.chainFile = chainFile
        }
    }

    /// The load generator: issues `count` challenges over HTTP (`POST /api/v1/sessions/signature-challenge`), signs them
    /// here, and only then submits them (`POST /api/v1/sessions/signature`) from `threads` keep-alive connections, one per
    /// thread, timing the submissions alone. Every answer must be 201; others count as failed.
    /// - Parameter port: the server on 127.0.0.1.
    public static func signatureLogins(port: Int, signer: Signer, count: Int, threads: Int) throws -> Rate {
        try? GOSTEngine.load()
        let key = try PrivateKey(pem: try String(contentsOfFile: signer.keyFile, encoding: .utf8))
        let certificate = try Certificate(bytes: [UInt8](try Data(contentsOf: URL(fileURLWithPath: signer.certificateFile))))
        let chain = try signer.chainFile.map { try Certificate.loadChain(pemFile: $0) } ?? []

        // Issue, then sign: neither is inside the timed loop.
        let issuer = try KeepAliveConnection(port: port)
        var bodies: [[UInt8]] = []
        bodies.reserveCapacity(count)
        for _ in 0..<count {
            let response = try issuer.post("/api/v1/sessions/signature-challenge", json: Array("{}".utf8))
            guard response.status == 201,
                  let object = try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any],
                  let id = object["challengeId"] as? String, let text = object["challenge"] as? String,
                  let secret = object["challengeSecret"] as? String else {
                throw Failure("issuing a challenge answered \(response.status): \(String(decoding: response.body.prefix(300), as: UTF8.self))")
            }
            let signature = try CMSSignature.sign(content: Array(text.utf8), certificate: certificate, key: key, chain: chain)
            bodies.append(Array("{\"challengeId\":\"\(id)\",\"challengeSecret\":\"\(secret)\",\"signature\":\"\(Data(signature).base64EncodedString())\"}".utf8))
        }

        let connections = try (0..<threads).map { _ in try KeepAliveConnection(port: port) }
        let next = Atomic<Int>(0)
        let ok = Atomic<Int>(0)
        let bad = Atomic<Int>(0)
        let firstFailure = Mutex<String?>(nil)
        let shared = bodies
        let done = DispatchGroup()
        let start = DispatchTime.now().uptimeNanoseconds
        for connection in connections {
            done.enter()
            Thread {
                while true {
                    let index = next.wrappingAdd(1, ordering: .relaxed).oldValue
                    guard index < shared.count else { break }
                    do {
                        let response = try connection.post("/api/v1/sessions/signature", json: shared[index])
                        if response.status == 201 {
                            ok.wrappingAdd(1, ordering: .relaxed)
                        } else {
                            bad.wrappingAdd(1, ordering: .relaxed)
                            firstFailure.withLock { $0 = $0 ?? "\(response.status): " + String(decoding: response.body.prefix(300), as: UTF8.self) }
                        }
                    } catch {
                        bad.wrappingAdd(1, ordering: .relaxed)
                        firstFailure.withLock { $0 = $0 ?? "\(error)" }
                        break
                    }
                }
                done.leave()
            }.start()
        }
        done.wait()
        let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        if let failure = firstFailure.withLock({ $0 }) {
            FileDescriptorSink(fd: 2).write(Array("first failed login: \(failure)\n".utf8))
        }
        return Rate(count: ok.load(ordering: .relaxed), failed: bad.load(ordering: .relaxed), seconds: elapsed, threads: threads)
    }

    // MARK: A large CRL

    /// What loading a large CRL cost.
    public struct CRLLoad: Sendable {
        public var entries: Int
        public var derBytes: Int
        /// `CRL(der:)` alone.
        public var parseSeconds: Double
        /// `CRLRegistry.importCRL`: parse, issuer and signature checks, the database write and the trust store's new snapshot.
        public var importSeconds: Double
        /// Resident memory grown by the import (the stored CRL and its snapshot copy), MiB.
        public var importRSSMiB: Double
        /// One certificate verified against the store holding the CRL, microseconds (median of 200).
        public var verifyMicroseconds: Double

        public var json: String {
            "{\"entries\":\(entries),\"der_bytes\":\(derBytes),\"parse_seconds\":\(Rate.fixed(parseSeconds, 3)),"
                + "\"import_seconds\":\(Rate.fixed(importSeconds, 3)),\"import_rss_mib\":\(Rate.fixed(importRSSMiB, 1)),"
                + "\"verify_microseconds\":\(Rate.fixed(verifyMicroseconds, 1))}"
        }
    }

    /// Builds a P-256 head root and accredited CA in a temporary database, a CRL of the CA with `entries` revoked serials
    /// (not timed), then times parsing it and importing it into the trust store, and one verification with it.
    public static func crlLoad(entries: Int) throws -> CRLLoad {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("openesia-crl-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let now = Date()
        let rootKey = try PrivateKey.generateP256()
        let root = try CertificateIssuer.makeRoot(subject: SubjectName(commonName: "Benchmark Head CA"), key: rootKey,
                                                  validFrom: now - 86_400, validUntil: now + 3650 * 86_400)
        let caKey = try PrivateKey.generateP256()
        let ca = try CertificateIssuer.issue(subject: SubjectName(commonName: "Benchmark CA"), subjectKey: caKey, profile: .accreditedCA,
                                             issuer: root, issuerKey: rootKey, validFrom: now - 86_400, validUntil: now + 1000 * 86_400)
        let leaf = try CertificateIssuer.issue(subject: SubjectName(commonName: "Citizen", snils: "00200000014"),
                                               subjectKey: try PrivateKey.generateP256(), profile: .citizen, issuer: ca, issuerKey: caKey,
                                               validFrom: now - 3600, validUntil: now + 365 * 86_400)
        let revoked = (0..<entries).map { CRLBuilder.Entry(serialHex: String(format: "7F%08X", $0), revokedAt: now - 86_400, reason: 1) }
        let der = try CRLBuilder.make(issuer: ca, issuerKey: caKey, entries: revoked, thisUpdate: now - 60, nextUpdate: now + 7 * 86_400,
                                      number: 1)

        var started = DispatchTime.now().uptimeNanoseconds
        _ = try CRL(der: der)
        let parse = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9

        let clock = SystemClock()
        let database = try Database(path: folder.appendingPathComponent("crl.sqlite3").path)
        defer { database.close() }
        try database.migrate(AuditLog.migrations + HeadCAMigrations.all)
        let audit = try AuditLog(key: SecureRandom.bytes(32), clock: clock)
        let store = try TrustStore(database: database, roots: [root])
        let crls = CRLRegistry(database: database, trustStore: store, audit: audit, clock: clock)
        _ = try AccreditationRegistry(database: database, trustStore: store, audit: audit, clock: clock).accredit(ca, from: now - 86_400)
        _ = try crls.importCRL(try CRLBuilder.make(issuer: root, issuerKey: rootKey, entries: [], thisUpdate: now - 60,
                                                   nextUpdate: now + 7 * 86_400, number: 1), source: "benchmark")
        let rssBefore = residentMiB()
        started = DispatchTime.now().uptimeNanoseconds
        let outcome = try crls.importCRL(der, source: "benchmark")
        let importSeconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
        let rssAfter = residentMiB()
        guard case .accepted = outcome else { throw Failure("the large CRL was not accepted: \(outcome)") }

        var times: [Double] = []
        for _ in 0..<200 {
            started = DispatchTime.now().uptimeNanoseconds
            let verdict = store.verify(leaf, at: Date())
            times.append(Double(DispatchTime.now().uptimeNanoseconds - started) / 1e3)
            guard verdict.isTrusted else { throw Failure("the certificate is not trusted with the large CRL: \(verdict.codes)") }
        }
        times.sort()
        return CRLLoad(entries: entries, derBytes: der.count, parseSeconds: parse, importSeconds: importSeconds,
                       importRSSMiB: rssAfter - rssBefore, verifyMicroseconds: times[times.count / 2])
    }

    /// VmRSS of this process, MiB.
    static func residentMiB() -> Double {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
              let kib = Double(line.split(separator: " ").dropFirst().first ?? "") else { return 0 }
        return kib / 1024
    }
}

/// One keep-alive HTTP/1.1 connection to 127.0.0.1 for the load generator: a request, then its whole response
/// (Content-Length framed, as the server writes them), again and again.
final class KeepAliveConnection: @unchecked Sendable {
    private let fd: Int32
    private var buffer: [UInt8] = []

    init(port: Int) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw SignatureMeasurements.Failure("socket: errno \(errno)") }
        var one: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard result == 0 else { throw SignatureMeasurements.Failure("connect to 127.0.0.1:\(port): errno \(errno)") }
    }

    deinit { close(fd) }

    /// POSTs JSON; returns the status and body.
    func post(_ path: String, json: [UInt8]) throws -> (status: Int, body: [UInt8]) {
        let head = "POST \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: openesia-bench\r\nContent-Type: application/json\r\n"
            + "Content-Length: \(json.count)\r\n\r\n"
        try send(Array(head.utf8) + json)
        var parser = HTTPResponseHeadParser(maxHeaderBytes: 64 * 1024, maxHeaderCount: 100)
        while true {
            let parsed = buffer.withUnsafeBytes { parser.parse($0) }
            switch parsed {
            case .needMore:
                try fill()
            case .failure(let error):
                throw SignatureMeasurements.Failure("bad response: \(error)")
            case .head(let head, let consumed):
                let length = Int(head.headers["Content-Length"] ?? "0") ?? 0
                while buffer.count < consumed + length { try fill() }
                let body = Array(buffer[consumed..<(consumed + length)])
                buffer.removeFirst(consumed + length)
                return (head.status.code, body)
            }
        }
    }

    private func send(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress! + offset, bytes.count - offset, Int32(MSG_NOSIGNAL)) }
            guard n > 0 else { throw SignatureMeasurements.Failure("send: errno \(errno)") }
            offset += n
        }
    }

    private func fill() throws {
        var chunk = [UInt8](repeating: 0, count: 16 * 1024)
        let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        guard n > 0 else { throw SignatureMeasurements.Failure(n == 0 ? "the server closed the connection" : "recv: errno \(errno)") }
        buffer += chunk[0..<n]
    }
}
