import Foundation
import Support

/// What a verified qualified certificate says about its holder, as plain values: the web layer fills it in after the
/// CMS signature, the chain and revocation have been checked (this module knows no PKI).
///
/// Qualified certificates (Russian Federal Law 63-FZ, FSB order 795) carry the SNILS, usually the INN, the surname
/// in `SN` and the given name with the patronymic in `GN` ("Имя Отчество").
public struct CertificateIdentity: Sendable, Equatable {
    /// The SNILS from the certificate, 11 digits (separators are accepted).
    public var snils: String
    /// The personal INN, 12 digits, when the certificate has one.
    public var inn: String?
    /// `SN`: the surname.
    public var surname: String?
    /// `GN`: given name and patronymic, separated by a space.
    public var givenNames: String?
    /// `CN`, for display and the audit trail only.
    public var commonName: String
    /// Hex SHA-1 of the certificate's DER, the thumbprint users and CAs quote.
    public var certificateSHA1: String
    /// The issuer's distinguished name (one line).
    public var issuer: String
    /// The serial number (hex).
    public var serial: String
    /// The end of the certificate's validity.
    public var notAfter: Date

    /// Makes a value; nothing is checked until a service uses it.
    public init(snils: String, inn: String? = nil, surname: String?, givenNames: String?, commonName: String,
                certificateSHA1: String, issuer: String, serial: String, notAfter: Date) {
        self.snils = snils
        self.inn = inn
        self.surname = surname
        self.givenNames = givenNames
        self.commonName = commonName
        self.certificateSHA1 = certificateSHA1
        self.issuer = issuer
        self.serial = serial
        self.notAfter = notAfter
    }

    /// What the audit log keeps of the certificate: enough to find it again at its CA, never the certificate itself
    /// nor the holder's data.
    public var auditDetails: [String: String] {
        ["certificate": String(certificateSHA1.prefix(64)), "issuer": String(issuer.prefix(512)), "serial": String(serial.prefix(128)),
         "notAfter": Timestamp.iso8601(notAfter)]
    }
}
