import Citizens
import Crypto
import Foundation
import Support

/// Why a person-data request (`/rs/prns/...`) was refused.
public enum ESIAResourceError: Error, Sendable, Equatable {
    /// The access token's scopes do not cover this resource (ESIA's `ESIA-005029 scopeNotAllowed`); names the scopes that would.
    case scopeNotAllowed(String)
    /// The oid in the path is not the token's subject.
    case wrongSubject
    /// No such element.
    case notFound
}

/// The ESIA REST person resources (ESIA-PROTOCOL §9.2–9.5) built from a citizen's data for portals, limited to the
/// scopes the citizen consented to, with the release rules of `ClaimsBuilder` (a SNILS or passport only once the
/// registries verified it; absent data absent). Pure values in and out; the server adds HTTP.
///
/// | resource | needs scope | holds |
/// | --- | --- | --- |
/// | `/rs/prns/{oid}` | any | `trusted`, `status`; `firstName`/`lastName`/`middleName` (fullname), `birthDate` (birthdate), `gender`, `snils`, `inn`, `rIdDoc` and `citizenship` (id_doc) |
/// | `/ctts` | contacts, email or mobile | `contacts`: every contact; `email`/`mobile`: the confirmed e-mail / mobile |
/// | `/addrs` | addresses | the postal address as `PLV` (where the citizen lives and takes post), id 1 |
/// | `/docs` | id_doc | the verified passport as `RF_PASSPORT`, id 1 |
///
/// Collections are `{"stateFacts":["hasSize"],"size":N,"eTag":…,"elements":[…]}` with element URLs, or the elements
/// themselves with `embed` `(elements)`. The person takes `embed` `(contacts.elements,addresses.elements,documents.elements)`
/// and inlines each collection its scopes allow. `eTag` is the upper-case hex of the first 20 bytes of SHA-256 of the
/// object without its `eTag`: it changes exactly when the content does.
public struct ESIAPersonResources: Sendable {
    /// The data.
    public let data: CitizenPersonData
    /// The oid (the numeric public id).
    public let oid: Int64
    /// The consented scopes.
    public let scopes: Set<String>
    /// `http://host:port/rs/prns/<oid>`: the prefix of element URLs.
    public let personURL: String

    /// Resources of `data` for a token with `scopes`; `baseURL` is the service's public URL without a trailing slash.
    public init(data: CitizenPersonData, oid: Int64, scopes: Set<String>, baseURL: String) {
        self.data = data
        self.oid = oid
        self.scopes = scopes
        self.personURL = "\(baseURL)/rs/prns/\(oid)"
    }

    /// The names inside `(…)` of an `embed` parameter: `(elements)` → `["elements"]`; nil or malformed → `[]`.
    public static func embedNames(_ parameter: String?) -> Set<String> {
        guard var text = parameter?.trimmingCharacters(in: .whitespaces), text.hasPrefix("("), text.hasSuffix(")") else { return [] }
        text = String(text.dropFirst().dropLast())
        return Set(text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty })
    }

    // MARK: - The person

    /// `/rs/prns/{oid}`, with the collections named in `embed` inlined when their scopes allow.
    public func person(embed: Set<String> = []) -> JSONValue {
        var object: [String: JSONValue] = [
            "stateFacts": ["EntityRoot"], "trusted": .bool(data.level == .confirmed), "status": "REGISTERED",
        ]
        if scopes.contains("fullname") {
            object["firstName"] = .string(data.givenName)
            object["lastName"] = .string(data.surname)
            if let patronymic = data.patronymic { object["middleName"] = .string(patronymic) }
        }
        if scopes.contains("birthdate"), let birthDate = data.birthDate { object["birthDate"] = .string(Self.dottedDate(birthDate)) }
        if scopes.contains("gender"), let gender = data.gender { object["gender"] = gender == "female" ? "F" : "M" }
        if scopes.contains("snils"), let snils = data.snils, data.snilsVerified { object["snils"] = .string(Self.formattedSNILS(snils)) }
        if scopes.contains("inn"), let inn = data.inn { object["inn"] = .string(inn) }
        if scopes.contains("id_doc"), verifiedPassport != nil {
            object["rIdDoc"] = 1
            object["citizenship"] = "RUS"
        }
        if embed.contains("contacts.elements"), let contacts = try? contacts(embed: true) { object["contacts"] = contacts }
        if embed.contains("addresses.elements"), let addresses = try? addresses(embed: true) { object["addresses"] = addresses }
        if embed.contains("documents.elements"), let documents = try? documents(embed: true) { object["documents"] = documents }
        return Self.tagged(object)
    }

    // MARK: - Contacts

    /// `/ctts`.
    public func contacts(embed: Bool) throws(ESIAResourceError) -> JSONValue {
        collection(try visibleContacts().map { (Self.contactID($0), contactElement($0)) }, path: "ctts", embed: embed)
    }

    /// `/ctts/{id}`.
    public func contact(id: String) throws(ESIAResourceError) -> JSONValue {
        guard let contact = try visibleContacts().first(where: { Self.contactID($0) == id }) else { throw .notFound }
        return contactElement(contact)
    }

    private func visibleContacts() throws(ESIAResourceError) -> [Contact] {
        if scopes.contains("contacts") { return data.contacts }
        guard scopes.contains("email") || scopes.contains("mobile") else { throw .scopeNotAllowed("contacts, email or mobile") }
        return data.contacts.filter { contact in
            contact.confirmedAt != nil && scopes.contains(contact.kind == .email ? "email" : "mobile")
        }
    }

    private func contactElement(_ contact: Contact) -> JSONValue {
        Self.tagged([
            "stateFacts": ["Identifiable"], "id": .integer(contact.id), "type": contact.kind == .email ? "EML" : "MBT",
            "vrfStu": contact.confirmedAt == nil ? "NOT_VERIFIED" : "VERIFIED",
            "value": .string(contact.kind == .email ? contact.value : Self.formattedPhone(contact.value)),
        ])
    }

    private static func contactID(_ contact: Contact) -> String { String(contact.id) }

    // MARK: - Addresses

    /// `/addrs`.
    public func addresses(embed: Bool) throws(ESIAResourceError) -> JSONValue {
        collection(try addressElements().map { ("1", $0) }, path: "addrs", embed: embed)
    }

    /// `/addrs/{id}`.
    public func address(id: String) throws(ESIAResourceError) -> JSONValue {
        guard id == "1", let element = try addressElements().first else { throw .notFound }
        return element
    }

    private func addressElements() throws(ESIAResourceError) -> [JSONValue] {
        guard scopes.contains("addresses") else { throw .scopeNotAllowed("addresses") }
        guard let address = data.address else { return [] }
        var object: [String: JSONValue] = [
            "stateFacts": ["Identifiable"], "id": 1, "type": "PLV", "countryId": "RUS", "zipCode": .string(address.postalCode),
            "region": .string(address.region), "city": .string(address.city), "street": .string(address.street),
            "house": .string(address.house),
        ]
        var parts = [address.region, address.city, address.street, "д. \(address.house)"]
        if let building = address.building {
            object["building"] = .string(building)
            parts.append("корп. \(building)")
        }
        if let flat = address.flat {
            object["flat"] = .string(flat)
            parts.append("кв. \(flat)")
        }
        object["addressStr"] = .string(parts.joined(separator: ", "))
        return [Self.tagged(object)]
    }

    // MARK: - Documents

    /// `/docs`.
    public func documents(embed: Bool) throws(ESIAResourceError) -> JSONValue {
        collection(try documentElements().map { ("1", $0) }, path: "docs", embed: embed)
    }

    /// `/docs/{id}`.
    public func document(id: String) throws(ESIAResourceError) -> JSONValue {
        guard id == "1", let element = try documentElements().first else { throw .notFound }
        return element
    }

    private func documentElements() throws(ESIAResourceError) -> [JSONValue] {
        guard scopes.contains("id_doc") else { throw .scopeNotAllowed("id_doc") }
        guard let passport = verifiedPassport else { return [] }
        return [Self.tagged([
            "stateFacts": ["Identifiable"], "id": 1, "type": "RF_PASSPORT", "vrfStu": "VERIFIED",
            "series": .string(passport.series), "number": .string(passport.number),
            "issueDate": .string(Self.dottedDate(passport.issueDate)),
            "issueId": .string(passport.issuerCode.filter(\.isNumber)), "issuedBy": .string(passport.issuer),
        ])]
    }

    private var verifiedPassport: PassportDetails? { data.passportVerified ? data.passport : nil }

    // MARK: - Shapes and formats

    private func collection(_ elements: [(id: String, value: JSONValue)], path: String, embed: Bool) -> JSONValue {
        let listed: [JSONValue] = embed ? elements.map(\.value) : elements.map { .string("\(personURL)/\(path)/\($0.id)") }
        return Self.tagged(["stateFacts": ["hasSize"], "size": .integer(Int64(elements.count)), "elements": .array(listed)])
    }

    /// The object with its `eTag`.
    static func tagged(_ object: [String: JSONValue]) -> JSONValue {
        var object = object
        object["eTag"] = nil
        let digest = Digest.sha256(JSONValue.object(object).encoded()).prefix(20)
        object["eTag"] = .string(Hex.encode(digest).uppercased())
        return .object(object)
    }

    /// `1990-05-17` → `17.05.1990`.
    public static func dottedDate(_ iso: String) -> String {
        let parts = iso.split(separator: "-")
        guard parts.count == 3 else { return iso }
        return "\(parts[2]).\(parts[1]).\(parts[0])"
    }

    /// `11223344595` → `112-233-445 95`.
    public static func formattedSNILS(_ digits: String) -> String {
        let d = Array(digits.filter(\.isNumber))
        guard d.count == 11 else { return digits }
        return "\(String(d[0..<3]))-\(String(d[3..<6]))-\(String(d[6..<9])) \(String(d[9..<11]))"
    }

    /// `+79161234567` → `+7(916)1234567`.
    public static func formattedPhone(_ phone: String) -> String {
        let d = Array(phone.filter(\.isNumber))
        guard d.count == 11, d[0] == "7" else { return phone }
        return "+7(\(String(d[1..<4])))\(String(d[4..<11]))"
    }
}
