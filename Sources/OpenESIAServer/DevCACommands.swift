import Citizens
import Crypto
import Foundation
import PKI
import Support

/// The development CA behind `openesia ca init-head|init-accredited|issue|revoke|crl` (docs/dev-ca.md): a head CA
/// root, accredited CAs under it, and citizen, staff and portal certificates, in RSA, ECDSA or GOST R 34.10-2012,
/// all made through `PKI.CertificateIssuer` and `PKI.CRLBuilder`. Each CA is a folder (`DevCAFolder`).
///
/// For development and tests only: keys are unencrypted files, and nothing guards against two commands running
/// on one CA at the same time. Every command changes nothing when it throws.
public enum DevCACommands {
    /// Default validity of a head CA root, in days.
    public static let defaultHeadDays = 3650
    /// Default validity of an accredited CA certificate, in days.
    public static let defaultAccreditedDays = 1825
    /// Default validity of an end-entity certificate, in days.
    public static let defaultLeafDays = 365
    /// Default time from a CRL's thisUpdate to its nextUpdate, in days.
    public static let defaultCRLDays = 30
    /// The longest validity the commands accept (about 100 years), in days.
    public static let maximumDays = 36500

    static let defaultOrganization = "OpenESIA development (public test keys)"
    private static let day: TimeInterval = 86400

    /// Makes a head CA folder: a self-signed root, its key, state.json and an empty CRL (crl.pem, crl.der).
    /// - Throws: `DevCAError`; `.alreadyExists` when the folder already holds a CA.
    @discardableResult
    public static func initHead(_ request: DevCANewCA, now: Date) throws(DevCAError) -> DevCAIssued {
        let folder = DevCAFolder(path: request.directory)
        try refuseExistingCA(folder)
        let subject = try caSubject(request, role: "head")
        let validity = try validity(from: request.notBefore ?? now, days: request.days)
        let key = try request.algorithm.generateKey()
        let certificate = try pki {
            try CertificateIssuer.makeRoot(subject: subject, key: key, validFrom: validity.from, validUntil: validity.until,
                                           serial: serialBytes(1))
        }
        let state = DevCAState(role: .head, algorithm: request.algorithm, subject: certificate.subjectDescription,
                               crlURL: request.crlURL, nextSerial: 2, crlNumber: 1)
        return try create(folder, certificate: certificate, key: key, state: state, now: now)
    }

    /// Makes an accredited CA folder certified by the head CA in `headDirectory` (profile accreditedCA: pathlen 0),
    /// and records the certificate in the head's state.
    /// - Throws: `DevCAError`; `.notFound` without a head CA, `.alreadyExists` when the folder already holds a CA.
    @discardableResult
    public static func initAccredited(_ request: DevCANewCA, headDirectory: String, now: Date) throws(DevCAError) -> DevCAIssued {
        var head = try DevCAFolder(path: headDirectory).load()
        guard head.state.role == .head else {
            throw DevCAError(.invalidInput, "\(headDirectory) is an accredited CA; accredited CAs issue only end-entity certificates")
        }
        let folder = DevCAFolder(path: request.directory)
        try refuseExistingCA(folder)
        let subject = try caSubject(request, role: "accredited")
        let validity = try validity(from: request.notBefore ?? now, days: request.days)
        let key = try request.algorithm.generateKey()
        let serial = head.state.nextSerial
        let certificate = try pki {
            try CertificateIssuer.issue(subject: subject, subjectKey: key, profile: .accreditedCA, issuer: head.certificate,
                                        issuerKey: head.key, validFrom: validity.from, validUntil: validity.until,
                                        crlURL: head.state.crlURL, serial: serialBytes(serial))
        }
        let state = DevCAState(role: .accredited, algorithm: request.algorithm, subject: certificate.subjectDescription,
                               crlURL: request.crlURL, nextSerial: 1, crlNumber: 1)
        var made = DevCAFiles()
        let created = try create(folder, certificate: certificate, key: key, state: state, now: now, files: &made)
        head.state.nextSerial += 1
        head.state.issued.append(issuedEntry(certificate, profile: "accreditedCA"))
        do {
            try save(head)
        } catch {
            made.undo()
            throw error
        }
        return created
    }

    /// Issues an end-entity certificate and a new key to PREFIX.crt and PREFIX.key (0600), records it in the CA's state.
    /// SNILS and INN are checked with the Citizens validators unless `allowBadChecksum`.
    /// - Throws: `DevCAError`; `.invalidInput` for a bad SNILS/INN or subject, `.alreadyExists` when PREFIX.crt or .key exists.
    @discardableResult
    public static func issue(_ request: DevCAIssueRequest, now: Date) throws(DevCAError) -> DevCAIssued {
        var ca = try DevCAFolder(path: request.caDirectory).load()
        let subject = try leafSubject(request)
        let validity = try validity(from: request.notBefore ?? now, days: request.days)
        let certificateFile = request.outputPrefix + ".crt"
        let keyFile = request.outputPrefix + ".key"
        for file in [certificateFile, keyFile] where FileManager.default.fileExists(atPath: file) {
            throw DevCAError(.alreadyExists, "\(file) already exists; nothing was issued")
        }
        let key = try request.algorithm.generateKey()
        let serial = ca.state.nextSerial
        let certificate = try pki {
            try CertificateIssuer.issue(subject: subject, subjectKey: key, profile: request.profile.certificateProfile,
                                        issuer: ca.certificate, issuerKey: ca.key, validFrom: validity.from,
                                        validUntil: validity.until, crlURL: ca.state.crlURL, serial: serialBytes(serial))
        }
        var made = DevCAFiles()
        do {
            try made.makeFolder((request.outputPrefix as NSString).deletingLastPathComponent)
            try made.createNew(keyFile, Array(try pki { try key.pkcs8PEM() }.utf8), mode: 0o600)
            try made.createNew(certificateFile, Array(try pki { try certificate.pem() }.utf8), mode: 0o644)
            ca.state.nextSerial += 1
            ca.state.issued.append(issuedEntry(certificate, profile: request.profile.rawValue))
            try save(ca)
        } catch {
            made.undo()
            throw error
        }
        return DevCAIssued(certificateFile: certificateFile, keyFile: keyFile, serial: certificate.serialNumberHex,
                           subject: certificate.subjectDescription, notBefore: certificate.notBefore, notAfter: certificate.notAfter)
    }

    /// Records the revocation of a certificate this CA issued (PEM or DER file); the next `crl` lists it.
    /// - Parameters:
    ///   - at: the revocation time; nil means now. Must not be in the future.
    /// - Throws: `DevCAError`; `.invalidInput` for a certificate this CA did not issue or one already revoked.
    @discardableResult
    public static func revoke(caDirectory: String, certificateFile: String, reason: DevCARevocationReason?, at: Date?,
                              now: Date) throws(DevCAError) -> DevCARevocation {
        var ca = try DevCAFolder(path: caDirectory).load()
        let bytes = try DevCAFiles.read(certificateFile, what: "certificate")
        let certificate: Certificate
        do {
            certificate = bytes.starts(with: Array("-----BEGIN".utf8))
                ? try Certificate(pem: String(decoding: bytes, as: UTF8.self)) : try Certificate(der: bytes)
        } catch {
            throw DevCAError(.invalidInput, "\(certificateFile) is not a certificate (PEM or DER): \(error)")
        }
        let serial = certificate.serialNumberHex
        let fingerprint = Hex.encode(Digest.sha256(certificate.derBytes))
        guard certificate.issuerDescription == ca.certificate.subjectDescription,
              ca.state.issued.contains(where: { $0.serial == serial && $0.sha256 == fingerprint })
        else {
            throw DevCAError(.invalidInput, "\(certificateFile) (\(certificate.subjectDescription), serial \(serial)) "
                + "was not issued by the CA in \(caDirectory)")
        }
        if let earlier = ca.state.revoked.first(where: { $0.serial == serial }) {
            throw DevCAError(.invalidInput, "serial \(serial) was already revoked at \(Timestamp.iso8601(earlier.revokedAt))")
        }
        let revokedAt = Date(timeIntervalSince1970: (at ?? now).timeIntervalSince1970.rounded(.down))
        guard revokedAt <= now else {
            throw DevCAError(.invalidInput, "the revocation time \(Timestamp.iso8601(revokedAt)) is in the future")
        }
        ca.state.revoked.append(DevCAState.Revoked(serial: serial, revokedAt: revokedAt, reason: reason))
        try save(ca)
        return DevCARevocation(serial: serial, subject: certificate.subjectDescription, revokedAt: revokedAt, reason: reason)
    }

    /// Signs a fresh CRL listing every revocation recorded, with the crlNumber one above the last, valid from now
    /// for `days`. Writes DIR/crl.pem and DIR/crl.der, or only `output` when given (PEM if it ends in .pem, else DER).
    /// - Throws: `DevCAError`.
    @discardableResult
    public static func crl(caDirectory: String, days: Int, output: String?, now: Date) throws(DevCAError) -> DevCACRLWritten {
        var ca = try DevCAFolder(path: caDirectory).load()
        let validity = try validity(from: now, days: days)
        ca.state.crlNumber += 1
        let der = try makeCRL(ca.certificate, ca.key, ca.state, thisUpdate: validity.from, nextUpdate: validity.until)
        let files: [String]
        let writer = DevCAFiles()
        if let output {
            let pem = output.lowercased().hasSuffix(".pem")
            try writer.replace(output, pem ? pemArmor("X509 CRL", der) : der, mode: 0o644)
            files = [output]
        } else {
            try writer.replace(ca.folder.crlPEMFile, pemArmor("X509 CRL", der), mode: 0o644)
            try writer.replace(ca.folder.crlDERFile, der, mode: 0o644)
            files = [ca.folder.crlPEMFile, ca.folder.crlDERFile]
        }
        // The number is saved after the files: a failure in between only skips a number, never reuses one.
        try save(ca)
        return DevCACRLWritten(files: files, number: ca.state.crlNumber, entries: ca.state.revoked.count,
                               thisUpdate: validity.from, nextUpdate: validity.until)
    }

    // MARK: - Pieces

    private static func refuseExistingCA(_ folder: DevCAFolder) throws(DevCAError) {
        let present = folder.identityFiles.filter { FileManager.default.fileExists(atPath: $0) }
        guard present.isEmpty else {
            throw DevCAError(.alreadyExists, "\(folder.path) already holds a CA (\(present.map { ($0 as NSString).lastPathComponent }.joined(separator: ", "))); "
                + "nothing was changed. Remove the folder first to make a new one.")
        }
    }

    /// Writes a new CA's files: key (0600) first, then certificate, state and the first, empty CRL (`state.crlNumber`).
    private static func create(_ folder: DevCAFolder, certificate: Certificate, key: PrivateKey, state: DevCAState,
                               now: Date) throws(DevCAError) -> DevCAIssued {
        var made = DevCAFiles()
        return try create(folder, certificate: certificate, key: key, state: state, now: now, files: &made)
    }

    private static func create(_ folder: DevCAFolder, certificate: Certificate, key: PrivateKey, state: DevCAState, now: Date,
                               files made: inout DevCAFiles) throws(DevCAError) -> DevCAIssued {
        do {
            let crlValidity = try validity(from: now, days: defaultCRLDays)
            let der = try makeCRL(certificate, key, state, thisUpdate: crlValidity.from, nextUpdate: crlValidity.until)
            try made.makeFolder(folder.path)
            try made.createNew(folder.keyFile, Array(try pki { try key.pkcs8PEM() }.utf8), mode: 0o600)
            try made.createNew(folder.certificateFile, Array(try pki { try certificate.pem() }.utf8), mode: 0o644)
            try made.createNew(folder.stateFile, try stateBytes(state), mode: 0o644)
            try made.createNew(folder.crlPEMFile, pemArmor("X509 CRL", der), mode: 0o644)
            try made.createNew(folder.crlDERFile, der, mode: 0o644)
        } catch {
            made.undo()
            throw error
        }
        return DevCAIssued(certificateFile: folder.certificateFile, keyFile: folder.keyFile, serial: certificate.serialNumberHex,
                           subject: certificate.subjectDescription, notBefore: certificate.notBefore, notAfter: certificate.notAfter)
    }

    private static func makeCRL(_ certificate: Certificate, _ key: PrivateKey, _ state: DevCAState, thisUpdate: Date,
                                nextUpdate: Date) throws(DevCAError) -> [UInt8] {
        let entries = state.revoked.map { CRLBuilder.Entry(serialHex: $0.serial, revokedAt: $0.revokedAt, reason: $0.reason?.code) }
        return try pki {
            try CRLBuilder.make(issuer: certificate, issuerKey: key, entries: entries, thisUpdate: thisUpdate,
                                nextUpdate: nextUpdate, number: state.crlNumber)
        }
    }

    private static func save(_ ca: DevCAFolder.Loaded) throws(DevCAError) {
        try DevCAFiles().replace(ca.folder.stateFile, try stateBytes(ca.state), mode: 0o644)
    }

    private static func stateBytes(_ state: DevCAState) throws(DevCAError) -> [UInt8] {
        do {
            return [UInt8](try state.jsonText())
        } catch {
            throw DevCAError(.fileSystem, "cannot encode the CA state: \(error)")
        }
    }

    private static func issuedEntry(_ certificate: Certificate, profile: String) -> DevCAState.Issued {
        DevCAState.Issued(serial: certificate.serialNumberHex, subject: certificate.subjectDescription, profile: profile,
                          notBefore: certificate.notBefore, notAfter: certificate.notAfter,
                          sha256: Hex.encode(Digest.sha256(certificate.derBytes)))
    }

    private static func caSubject(_ request: DevCANewCA, role: String) throws(DevCAError) -> SubjectName {
        if let url = request.crlURL { try checkCRLURL(url) }
        return SubjectName(commonName: request.commonName ?? "OpenESIA development \(role) CA (\(request.algorithm.rawValue))",
                           organization: request.organization ?? defaultOrganization, ogrn: request.ogrn, innle: request.innle)
    }

    private static func leafSubject(_ request: DevCAIssueRequest) throws(DevCAError) -> SubjectName {
        SubjectName(commonName: request.commonName, surname: request.surname, givenName: request.givenNames,
                    organization: request.organization,
                    snils: try checkedSNILS(request.snils, allowBadChecksum: request.allowBadChecksum),
                    inn: try checkedINN(request.inn, allowBadChecksum: request.allowBadChecksum),
                    ogrn: request.ogrn, ogrnip: request.ogrnip, innle: request.innle)
    }

    /// The SNILS digits, checked by `Citizens.SNILS`; with `allowBadChecksum` only the check number may be wrong.
    static func checkedSNILS(_ text: String?, allowBadChecksum: Bool) throws(DevCAError) -> String? {
        guard let text else { return nil }
        do {
            return try SNILS(parsing: text).digits
        } catch {
            if error.code == .badChecksum && allowBadChecksum { return text.filter(\.isASCIIDigit) }
            throw DevCAError(.invalidInput, error.code == .badChecksum
                ? "SNILS \(text): the check number is wrong (--allow-bad-checksum makes such a test certificate)"
                : "SNILS \(text): not a SNILS (11 digits; spaces and hyphens allowed)")
        }
    }

    /// The INN digits, checked by `Citizens.INN`; with `allowBadChecksum` only the check digits may be wrong.
    static func checkedINN(_ text: String?, allowBadChecksum: Bool) throws(DevCAError) -> String? {
        guard let text else { return nil }
        do {
            return try INN(parsing: text).digits
        } catch {
            if error.code == .badChecksum && allowBadChecksum { return text.trimmingCharacters(in: .whitespaces) }
            throw DevCAError(.invalidInput, error.code == .badChecksum
                ? "INN \(text): the check digits are wrong (--allow-bad-checksum makes such a test certificate)"
                : "INN \(text): not a person's INN (12 digits)")
        }
    }

    /// Checked early so a head or accredited CA is not made with a URL its certificates could never carry:
    /// http(s), printable ASCII, and none of the characters OpenSSL's extension syntax gives a meaning (',' '@').
    private static func checkCRLURL(_ url: String) throws(DevCAError) {
        let lower = url.lowercased()
        guard lower.hasPrefix("http://") || lower.hasPrefix("https://"), url.utf8.count > 8, url.utf8.count <= 2000,
              url.utf8.allSatisfy({ $0 > 32 && $0 < 127 && $0 != UInt8(ascii: ",") && $0 != UInt8(ascii: "@") })
        else { throw DevCAError(.invalidInput, "not a usable CRL URL (http or https, printable ASCII, no ',' or '@'): \(url)") }
    }

    private static func validity(from start: Date, days: Int) throws(DevCAError) -> (from: Date, until: Date) {
        guard (1...maximumDays).contains(days) else { throw DevCAError(.invalidInput, "days must be 1 to \(maximumDays), not \(days)") }
        // X.509 and CRL times are whole seconds.
        let from = Date(timeIntervalSince1970: start.timeIntervalSince1970.rounded(.down))
        return (from, from + TimeInterval(days) * day)
    }

    /// A serial number as big-endian bytes without leading zeros (the counter is at least 1).
    static func serialBytes(_ serial: Int) -> [UInt8] {
        var bytes = withUnsafeBytes(of: UInt64(serial).bigEndian, Array.init)
        while bytes.count > 1 && bytes[0] == 0 { bytes.removeFirst() }
        return bytes
    }

    /// PEM armour: base64 of the DER in lines of 64 characters between BEGIN and END lines (RFC 7468).
    static func pemArmor(_ label: String, _ der: [UInt8]) -> [UInt8] {
        let body = Data(der).base64EncodedString(options: [.lineLength64Characters, .endLineWithLineFeed])
        return Array("-----BEGIN \(label)-----\n\(body)\n-----END \(label)-----\n".utf8)
    }

    /// Runs a PKI or Crypto call, turning its errors into `DevCAError`: bad input to the issuer is `.invalidInput`,
    /// the rest (OpenSSL) `.crypto`.
    private static func pki<T>(_ body: () throws -> T) throws(DevCAError) -> T {
        do {
            return try body()
        } catch let error as CertificateIssuer.InvalidInput {
            throw DevCAError(.invalidInput, error.description)
        } catch {
            throw DevCAError(.crypto, String(describing: error))
        }
    }
}

private extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}
