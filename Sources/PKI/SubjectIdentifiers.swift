import COpenSSL
import Crypto

/// The subject of a qualified certificate: names plus the Russian registration numbers (ESIA-PROTOCOL §12.1).
public struct SubjectName: Sendable, Equatable {
    /// CN (2.5.4.3), UTF8String.
    public var commonName: String
    /// Surname (2.5.4.4), UTF8String.
    public var surname: String?
    /// Given name and patronymic (2.5.4.42), UTF8String.
    public var givenName: String?
    /// O (2.5.4.10), UTF8String.
    public var organization: String?
    /// C (2.5.4.6), two letters.
    public var country: String?
    /// SNILS (1.2.643.100.3), 11 digits.
    public var snils: String?
    /// INN of a natural person (1.2.643.3.131.1.1), 12 digits.
    public var inn: String?
    /// OGRN (1.2.643.100.1), 13 digits.
    public var ogrn: String?
    /// OGRNIP (1.2.643.100.5), 15 digits.
    public var ogrnip: String?
    /// INN of a legal entity (1.2.643.100.4), 10 digits.
    public var innle: String?

    /// A subject; only the common name is required.
    public init(commonName: String, surname: String? = nil, givenName: String? = nil, organization: String? = nil,
                country: String? = "RU", snils: String? = nil, inn: String? = nil, ogrn: String? = nil,
                ogrnip: String? = nil, innle: String? = nil) {
        self.commonName = commonName
        self.surname = surname
        self.givenName = givenName
        self.organization = organization
        self.country = country
        self.snils = snils
        self.inn = inn
        self.ogrn = ogrn
        self.ogrnip = ogrnip
        self.innle = innle
    }
}

/// Reads the subject attributes of a qualified certificate.
public enum SubjectIdentifiers {
    /// Dotted OIDs of the NumericString registration numbers, with their fixed lengths.
    static let snilsOID = "1.2.643.100.3"
    static let innOID = "1.2.643.3.131.1.1"
    static let ogrnOID = "1.2.643.100.1"
    static let ogrnipOID = "1.2.643.100.5"
    static let innleOID = "1.2.643.100.4"

    /// The subject's names and numbers; absent attributes are nil (commonName "" when there is no CN).
    /// Only the first occurrence of each attribute is read.
    public static func read(_ certificate: Certificate) -> SubjectName {
        let name = X509_get_subject_name(certificate.pointer)
        return SubjectName(
            commonName: value(name, "2.5.4.3") ?? "",
            surname: value(name, "2.5.4.4"),
            givenName: value(name, "2.5.4.42"),
            organization: value(name, "2.5.4.10"),
            country: value(name, "2.5.4.6"),
            snils: value(name, snilsOID),
            inn: value(name, innOID),
            ogrn: value(name, ogrnOID),
            ogrnip: value(name, ogrnipOID),
            innle: value(name, innleOID))
    }

    /// The first value of attribute `oid` in `name`, converted to UTF-8 by OpenSSL whatever its string type.
    private static func value(_ name: OpaquePointer?, _ oid: String) -> String? {
        guard let name else { return nil }
        // no_name = 1: take the text as a dotted OID, never as a short or long name.
        guard let object = OBJ_txt2obj(oid, 1) else {
            OpenSSLError.clearQueue()
            return nil
        }
        defer { ASN1_OBJECT_free(object) }
        let index = X509_NAME_get_index_by_OBJ(name, object, -1)
        guard index >= 0, let entry = X509_NAME_get_entry(name, index),
              let data = X509_NAME_ENTRY_get_data(entry)
        else { return nil }
        var utf8: UnsafeMutablePointer<UInt8>? = nil
        let length = ASN1_STRING_to_UTF8(&utf8, data)
        guard length >= 0, let utf8 else {
            OpenSSLError.clearQueue()
            return nil
        }
        defer { shim_OPENSSL_free(utf8) }
        return String(decoding: UnsafeBufferPointer(start: utf8, count: Int(length)), as: UTF8.self)
    }
}
