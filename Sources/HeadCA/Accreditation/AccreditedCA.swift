import Foundation
import PKI

/// A CA certificate in the trust store, with its accreditation history.
///
/// One record per certificate: a CA with several keys or re-issued certificates has several records
/// (a trusted list gives them the same name, registry number and periods).
public struct AccreditedCA: Sendable {
    /// Where a CA stands at a given time.
    public enum State: String, Sendable {
        /// A period contains the time.
        case accredited
        /// Not accredited now, but was before (suspended, or its period ended).
        case suspended
        /// Its only periods start later.
        case pending
        /// Terminated: never accredited again.
        case terminated
    }

    /// The store's id (stable; `openesia ca suspend ID`).
    public let id: Int64
    /// The CA certificate.
    public let certificate: Certificate
    /// SHA-1 of the certificate in upper-case hex.
    public let thumbprint: String
    /// The certificate's subject (RFC 2253).
    public let subject: String
    /// The accreditation periods, oldest first, not overlapping.
    public let periods: [AccreditationPeriod]
    /// When the accreditation was terminated, if it was.
    public let terminatedAt: Date?
    /// The CA's name from the trusted list, if it came from one.
    public let name: String?
    /// The CA's number in the register of accredited CAs (trusted list), if known.
    public let registryNumber: String?
    /// CRL addresses of the CA's key from the trusted list.
    public let crlURLs: [String]

    /// A record as the store reads it.
    public init(id: Int64, certificate: Certificate, periods: [AccreditationPeriod], terminatedAt: Date?,
                name: String? = nil, registryNumber: String? = nil, crlURLs: [String] = []) {
        self.id = id
        self.certificate = certificate
        self.thumbprint = certificate.sha1ThumbprintHex
        self.subject = certificate.subjectDescription
        self.periods = periods
        self.terminatedAt = terminatedAt
        self.name = name
        self.registryNumber = registryNumber
        self.crlURLs = crlURLs
    }

    /// Whether a period contains `time`.
    public func isAccredited(at time: Date) -> Bool {
        periods.contains { $0.contains(time) }
    }

    /// Where the CA stands at `time`.
    public func state(at time: Date) -> State {
        if let terminatedAt, terminatedAt <= time { return .terminated }
        if isAccredited(at: time) { return .accredited }
        return periods.contains { $0.from <= time } ? .suspended : .pending
    }
}

/// How an operator names a CA on the command line: its id or its SHA-1 thumbprint.
public enum CAReference: Sendable, Equatable, CustomStringConvertible {
    /// The store's id.
    case id(Int64)
    /// The SHA-1 thumbprint, upper-case hex.
    case thumbprint(String)

    /// A positive number is an id; 40 hex digits (colons and spaces allowed between them) a thumbprint.
    public init?(_ text: String) {
        if let id = Int64(text), id > 0 {
            self = .id(id)
            return
        }
        let hex = text.filter { $0 != ":" && $0 != " " }.uppercased()
        guard hex.count == 40, hex.allSatisfy({ $0.isASCII && $0.isHexDigit }) else { return nil }
        self = .thumbprint(hex)
    }

    /// The id or thumbprint as given.
    public var description: String {
        switch self {
        case .id(let id): String(id)
        case .thumbprint(let hex): hex
        }
    }
}
