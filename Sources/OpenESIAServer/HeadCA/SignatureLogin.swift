import Audit
import Citizens
import Crypto
import Foundation
import HeadCA
import PKI
import Storage
import Support

/// Why a signed challenge logged nobody in, besides `ChallengeError` and the citizens' and staff services' own
/// errors. `ErrorMapping` turns each into a status, a sentence and a page problem.
enum SignatureLoginError: Error, Sendable, Equatable {
    /// No file, or an empty one.
    case emptyUpload
    /// Not a CMS SignedData in DER, PEM or base64 (the PKI parser's reason).
    case malformed(String)
    /// A CMS, but its one signature does not cover the challenge (or there is no single signer with a certificate).
    case signatureInvalid(String)
    /// A digest or key algorithm that is not accepted (SHA-1, say).
    case unsupportedAlgorithm(String)
    /// The signer's certificate is not trusted now: every reason the trust store found.
    case untrusted([TrustFailure])
    /// The certificate carries no SNILS with a valid check number.
    case noSNILS
    /// Too many challenges from this address; retry after the seconds given.
    case throttled(seconds: Int)
}

/// A certificate whose signature over a fresh challenge verified and which the trust store trusts now.
struct VerifiedSigner: Sendable {
    /// The signer's certificate.
    let certificate: Certificate
    /// What it says about its holder, for the citizens' and staff services.
    let identity: CertificateIdentity
    /// Spends the challenge inside the login's own write: the caller passes it to the citizens' or staff service, so the
    /// challenge, the session and the audit records commit together (one write, one fsync per login).
    let spendChallenge: @Sendable (any SQLExecutor) throws -> Void
}

/// The e-signature login's one verification step, shared by the pages, the JSON API and the staff console:
///
/// ```
/// upload ─▶ SignedMessage (DER, PEM or base64)            malformed: the challenge stays usable
///        ─▶ SignatureChallenges.pending (binding, purpose)  read only; a wrong binding is counted
///        ─▶ CMS signature over the challenge text          detached; or attached with exactly that content
///        ─▶ TrustStore.verify(signer, embedded certs, at: the server's clock now)
///        ─▶ SubjectIdentifiers.read ─▶ CertificateIdentity ─▶ Citizens / StaffDirectory, whose write spends the challenge
/// ```
///
/// Every submitted signature spends its challenge: a refused one in the write of its audit record, an accepted one
/// in the write of the session. Two submissions of one challenge race to that write and only one wins.
///
/// Parsing and verification are CPU work: call these methods from worker threads (the routes' default).
final class SignatureLogin: Sendable {
    let challenges: SignatureChallenges
    let offers: RegistrationOffers
    let trustStore: TrustStore
    private let database: Database
    private let audit: AuditLog
    private let issueThrottle: LoginThrottle
    private let clock: any WallClock

    init(challenges: SignatureChallenges, offers: RegistrationOffers, trustStore: TrustStore, database: Database, audit: AuditLog,
         issueThrottle: LoginThrottle, clock: any WallClock) {
        self.challenges = challenges
        self.offers = offers
        self.trustStore = trustStore
        self.database = database
        self.audit = audit
        self.issueThrottle = issueThrottle
        self.clock = clock
    }

    /// Built from the `headca` section; bindings are keyed with the token-hash secret.
    static func make(configuration: Configuration, database: Database, trustStore: TrustStore, audit: AuditLog,
                     clock: any WallClock) throws -> SignatureLogin {
        let bindingKey = try KeyDirectory.secret(.tokenHash, in: configuration.keys.directory)
        var settings = ChallengeSettings()
        settings.lifetime = TimeInterval(configuration.headca.challengeLifetimeSeconds)
        // Issuing is anonymous and writes a row: each address gets its allowance per minute, then doubling delays.
        var policy = ThrottlePolicy()
        policy.freeFailures = configuration.headca.challengesPerMinute
        policy.window = 60
        policy.maxDelay = 60
        policy.lockoutAfter = Int.max / 2
        return SignatureLogin(
            challenges: SignatureChallenges(database: database, bindingKey: bindingKey, settings: settings),
            offers: RegistrationOffers(database: database, bindingKey: bindingKey), trustStore: trustStore, database: database,
            audit: audit, issueThrottle: LoginThrottle(database: database, policy: policy, clock: clock), clock: clock)
    }

    /// The server's clock, which every trust decision uses.
    var now: Date { clock.now() }

    // MARK: Challenges

    /// A new challenge bound to `binding`, unless `address` asked for too many lately.
    func issue(binding: [UInt8], purpose: ChallengePurpose, address: String) throws -> Challenge {
        let key = "challenge-address:" + address
        switch try issueThrottle.check(keys: [key]) {
        case .allowed: break
        case .delayed(let until), .lockedOut(let until):
            throw SignatureLoginError.throttled(seconds: max(1, Int(until.timeIntervalSince(clock.now()).rounded(.up))))
        }
        let challenge = try challenges.issue(binding: binding, purpose: purpose, at: clock.now())
        try database.write { db in try self.issueThrottle.recordFailure(keys: [key], using: db) }
        return challenge
    }

    /// The challenge again, unspent, for its page and its download.
    func pending(id: String, binding: [UInt8], purpose: ChallengePurpose) throws -> Challenge {
        try challenges.pending(id: id, binding: binding, purpose: purpose, at: clock.now())
    }

    // MARK: Verification

    /// Checks an uploaded signature over challenge `challengeID` and the signer's certificate. A signature that does not
    /// verify and a certificate that is not trusted are audited (`login.failed`, method `signature`) from `address`.
    /// - Throws: `SignatureLoginError`; `ChallengeError` when the challenge is not this client's to use.
    func verify(signature bytes: [UInt8], challengeID: String, binding: [UInt8], purpose: ChallengePurpose,
                address: String) throws -> VerifiedSigner {
        let message = try Self.parse(bytes)
        let text: [UInt8]
        do {
            text = try challenges.pending(id: challengeID, binding: binding, purpose: purpose, at: clock.now()).text
        } catch ChallengeError.wrongBinding {
            // Counted through `consume`, which refuses it the same way, so a stranger's guesses exhaust the challenge.
            _ = try challenges.consume(id: challengeID, binding: binding, purpose: purpose, at: clock.now())
            throw ChallengeError.wrongBinding
        }
        let spend: @Sendable (any SQLExecutor) throws -> Void = { [challenges, clock] db in
            try challenges.spend(id: challengeID, binding: binding, purpose: purpose, at: clock.now(), using: db)
        }
        let signed: VerifiedSignature
        do {
            if let embedded = message.embeddedContent, embedded != text {
                throw SignatureLoginError.signatureInvalid("the signed content is not the challenge")
            }
            signed = try Self.checkSignature(message, content: message.isDetached ? text : nil)
        } catch let error as SignatureLoginError {
            try record(purpose: purpose, address: address, details: ["reason": "signature-invalid"], spend: spend)
            throw error
        }
        let certificate = signed.signer
        let verdict = trustStore.verify(certificate, extraIntermediates: Self.others(message.certificates, than: certificate),
                                        at: clock.now())
        guard verdict.isTrusted else {
            try record(purpose: purpose, address: address, details: [
                "reason": "untrusted", "failures": verdict.codes.joined(separator: ","), "certificate": certificate.sha1ThumbprintHex,
                "issuer": String(certificate.issuerDescription.prefix(512)), "serial": String(certificate.serialNumberHex.prefix(128)),
            ], spend: spend)
            throw SignatureLoginError.untrusted(verdict.failures)
        }
        let identity: CertificateIdentity
        do {
            identity = try Self.identity(certificate)
        } catch {
            try database.write { db in try spend(db) }
            throw error
        }
        return VerifiedSigner(certificate: certificate, identity: identity, spendChallenge: spend)
    }

    /// A refused signature in the audit log: who is unknown, so the certificate (never its holder's data) and the reason.
    private func record(purpose: ChallengePurpose, address: String, details: [String: String],
                        spend: @escaping @Sendable (any SQLExecutor) throws -> Void) throws {
        let kind = purpose == .staffLogin ? "staff.login.failed" : "login.failed"
        let event = AuditEvent(kind: kind, actor: "anonymous", subject: nil, sourceAddress: address,
                               details: details.merging(["method": "signature"]) { a, _ in a })
        try database.write { db in
            try spend(db)
            try self.audit.append(event, using: db)
        }
    }

    /// Keeps a verified certificate that no account holds for this browser, for "register with this certificate".
    func offerRegistration(_ signer: VerifiedSigner, binding: [UInt8]) throws -> String {
        try offers.make(certificate: signer.certificate.derBytes, binding: binding, at: clock.now())
    }

    /// The certificate of a registration offer, checked again against the trust store now.
    func takeOffer(id: String, binding: [UInt8]) throws -> VerifiedSigner {
        let certificate = try Certificate(der: try offers.take(id: id, binding: binding, at: clock.now()))
        let verdict = trustStore.verify(certificate, at: clock.now())
        guard verdict.isTrusted else { throw SignatureLoginError.untrusted(verdict.failures) }
        // The offer was taken (spent) above; its challenge was spent when the offer was made.
        return VerifiedSigner(certificate: certificate, identity: try Self.identity(certificate), spendChallenge: { _ in })
    }

    /// Deletes expired registration offers; for the periodic maintenance job (challenges have their own, bounded one).
    func purgeExpiredOffers() throws -> Int {
        try offers.purgeExpired(before: clock.now())
    }

    // MARK: Pieces the verification API shares

    /// A CMS from an upload; blank input is `emptyUpload`, anything else unparseable `malformed`.
    static func parse(_ bytes: [UInt8]) throws -> SignedMessage {
        guard bytes.contains(where: { !($0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D) }) else {
            throw SignatureLoginError.emptyUpload
        }
        do {
            return try SignedMessage(bytes: bytes)
        } catch let error as PKIInputError {
            throw SignatureLoginError.malformed(error.description)
        }
    }

    /// The signature's check over `content` (nil: the embedded content), its failures in this module's terms.
    static func checkSignature(_ message: SignedMessage, content: [UInt8]?) throws -> VerifiedSignature {
        do {
            return try message.verifySignature(content: content)
        } catch let error as SignatureError {
            if case .unsupportedAlgorithm(let name) = error { throw SignatureLoginError.unsupportedAlgorithm(name) }
            throw SignatureLoginError.signatureInvalid(error.description)
        }
    }

    /// The embedded certificates other than the signer's: candidate intermediates.
    static func others(_ certificates: [Certificate], than signer: Certificate) -> [Certificate] {
        let thumbprint = signer.sha1ThumbprintHex
        return certificates.filter { $0.sha1ThumbprintHex != thumbprint }
    }

    /// The holder as the services want it; a certificate without a valid SNILS is `noSNILS`.
    static func identity(_ certificate: Certificate) throws -> CertificateIdentity {
        let subject = SubjectIdentifiers.read(certificate)
        guard let text = subject.snils, let snils = try? SNILS(parsing: text) else { throw SignatureLoginError.noSNILS }
        return CertificateIdentity(snils: snils.digits, inn: subject.inn, surname: subject.surname, givenNames: subject.givenName,
                                   commonName: subject.commonName, certificateSHA1: certificate.sha1ThumbprintHex,
                                   issuer: certificate.issuerDescription, serial: certificate.serialNumberHex,
                                   notAfter: certificate.notAfter)
    }
}
