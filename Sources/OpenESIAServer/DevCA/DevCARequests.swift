import Foundation
import PKI

/// The options of `openesia ca init-head` and `openesia ca init-accredited`.
public struct DevCANewCA: Sendable, Equatable {
    /// The CA folder to make (absolute, or relative to the process's current directory).
    public var directory: String
    public var algorithm: DevCAAlgorithm
    /// CN; nil gives "OpenESIA development head CA (ALGORITHM)" or "… accredited CA …".
    public var commonName: String?
    /// O; nil gives "OpenESIA development (public test keys)".
    public var organization: String?
    /// OGRN, 13 digits.
    public var ogrn: String?
    /// INN of a legal entity, 10 digits.
    public var innle: String?
    /// Where this CA's CRL will be published: the CRL distribution point of every certificate it issues.
    public var crlURL: String?
    /// Validity in days from `notBefore`.
    public var days: Int
    /// Start of validity; nil means now.
    public var notBefore: Date?

    /// Options with the defaults for everything but the folder and algorithm.
    public init(directory: String, algorithm: DevCAAlgorithm, commonName: String? = nil, organization: String? = nil,
                ogrn: String? = nil, innle: String? = nil, crlURL: String? = nil, days: Int, notBefore: Date? = nil) {
        self.directory = directory
        self.algorithm = algorithm
        self.commonName = commonName
        self.organization = organization
        self.ogrn = ogrn
        self.innle = innle
        self.crlURL = crlURL
        self.days = days
        self.notBefore = notBefore
    }
}

/// What an end-entity certificate is for (`openesia ca issue --profile`).
public enum DevCALeafProfile: String, Sendable, CaseIterable {
    case citizen, staff, portal

    /// The names the command line accepts.
    public static let names = allCases.map(\.rawValue)

    var certificateProfile: CertificateProfile {
        switch self {
        case .citizen: .citizen
        case .staff: .staff
        case .portal: .portal
        }
    }
}

/// The options of `openesia ca issue`.
public struct DevCAIssueRequest: Sendable, Equatable {
    /// The issuing CA's folder.
    public var caDirectory: String
    public var profile: DevCALeafProfile
    /// PREFIX: the certificate goes to PREFIX.crt, the key to PREFIX.key (0600).
    public var outputPrefix: String
    public var algorithm: DevCAAlgorithm
    /// CN.
    public var commonName: String
    /// SN.
    public var surname: String?
    /// GN: given name and patronymic.
    public var givenNames: String?
    /// SNILS; digits with spaces or hyphens, checked with the Citizens validator.
    public var snils: String?
    /// A person's INN, 12 digits, checked with the Citizens validator.
    public var inn: String?
    public var ogrn: String?
    public var ogrnip: String?
    public var innle: String?
    /// O.
    public var organization: String?
    /// Validity in days from `notBefore`.
    public var days: Int
    /// Start of validity; nil means now. A date in the past makes an already expired certificate for tests.
    public var notBefore: Date?
    /// Accept SNILS and INN whose check digits are wrong (length and digits are still checked).
    public var allowBadChecksum: Bool

    /// A request; the identifiers are optional.
    public init(caDirectory: String, profile: DevCALeafProfile, outputPrefix: String, algorithm: DevCAAlgorithm, commonName: String,
                surname: String? = nil, givenNames: String? = nil, snils: String? = nil, inn: String? = nil, ogrn: String? = nil,
                ogrnip: String? = nil, innle: String? = nil, organization: String? = nil, days: Int, notBefore: Date? = nil,
                allowBadChecksum: Bool = false) {
        self.caDirectory = caDirectory
        self.profile = profile
        self.outputPrefix = outputPrefix
        self.algorithm = algorithm
        self.commonName = commonName
        self.surname = surname
        self.givenNames = givenNames
        self.snils = snils
        self.inn = inn
        self.ogrn = ogrn
        self.ogrnip = ogrnip
        self.innle = innle
        self.organization = organization
        self.days = days
        self.notBefore = notBefore
        self.allowBadChecksum = allowBadChecksum
    }
}

/// A certificate the development CA made: where it went and what it says.
public struct DevCAIssued: Sendable, Equatable {
    /// The certificate file (PEM).
    public let certificateFile: String
    /// The private key file (PKCS#8 PEM, mode 0600).
    public let keyFile: String
    /// Serial number in hex.
    public let serial: String
    /// Subject in RFC 2253 form.
    public let subject: String
    public let notBefore: Date
    public let notAfter: Date
}

/// A revocation recorded in a CA's state.
public struct DevCARevocation: Sendable, Equatable {
    public let serial: String
    public let subject: String
    public let revokedAt: Date
    public let reason: DevCARevocationReason?
}

/// A CRL the development CA wrote.
public struct DevCACRLWritten: Sendable, Equatable {
    /// The files written (PEM and DER by default).
    public let files: [String]
    /// Its crlNumber.
    public let number: Int
    /// How many certificates it lists.
    public let entries: Int
    public let thisUpdate: Date
    public let nextUpdate: Date
}
