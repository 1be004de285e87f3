import Citizens
import Support

/// The one mapping from a citizen's data to claims, by scope: userinfo uses it, and the ESIA dialect can reuse the
/// same choices of what each scope releases (its own field names come from its own formatter).
///
/// | scope | claims |
/// | --- | --- |
/// | openid | `sub` |
/// | fullname | `family_name`, `given_name`, `middle_name` (when there is a patronymic), `name` ("Surname Given Patronymic") |
/// | birthdate | `birthdate` (YYYY-MM-DD) |
/// | gender | `gender` (male, female) |
/// | snils | `snils` ("112-233-445 95"), when verified by the registry |
/// | inn | `inn` (12 digits), when on file |
/// | id_doc | `id_doc` {type RF_PASSPORT, series, number, issue_date, issued_by, issuer_code}, when verified |
/// | email | `email`, `email_verified` (true), for a confirmed address |
/// | mobile | `phone_number` (+7…), `phone_number_verified` (true), for a confirmed number |
/// | contacts | `contacts`: [{type mobile/email, value, verified}] every contact |
/// | addresses | `address` (OIDC Core §5.1.1): formatted, street_address, locality, region, postal_code, country RU |
///
/// Absent data is simply absent; unverified documents are not released (a portal could not tell them from checked ones).
public enum ClaimsBuilder {
    /// The claims `scopes` release about `person`.
    public static func claims(for person: CitizenPersonData, scopes: [Scope]) -> [String: JSONValue] {
        var claims: [String: JSONValue] = ["sub": .string(person.publicID)]
        for scope in scopes { add(scope, person, &claims) }
        return claims
    }

    static func add(_ scope: Scope, _ person: CitizenPersonData, _ claims: inout [String: JSONValue]) {
        switch scope {
        case .openid:
            break
        case .fullname:
            claims["family_name"] = .string(person.surname)
            claims["given_name"] = .string(person.givenName)
            if let patronymic = person.patronymic, !patronymic.isEmpty { claims["middle_name"] = .string(patronymic) }
            claims["name"] = .string([person.surname, person.givenName, person.patronymic ?? ""].filter { !$0.isEmpty }.joined(separator: " "))
        case .birthdate:
            if let birthDate = person.birthDate { claims["birthdate"] = .string(birthDate) }
        case .gender:
            if let gender = person.gender { claims["gender"] = .string(gender) }
        case .snils:
            if let snils = person.snils, person.snilsVerified { claims["snils"] = .string(formatSNILS(snils)) }
        case .inn:
            if let inn = person.inn { claims["inn"] = .string(inn) }
        case .idDocument:
            if let passport = person.passport, person.passportVerified {
                claims["id_doc"] = ["type": "RF_PASSPORT", "series": .string(passport.series), "number": .string(passport.number),
                                    "issue_date": .string(passport.issueDate), "issued_by": .string(passport.issuer),
                                    "issuer_code": .string(passport.issuerCode)]
            }
        case .email:
            if let email = confirmed(.email, person) {
                claims["email"] = .string(email)
                claims["email_verified"] = true
            }
        case .mobile:
            if let phone = confirmed(.phone, person) {
                claims["phone_number"] = .string(phone)
                claims["phone_number_verified"] = true
            }
        case .contacts:
            claims["contacts"] = .array(person.contacts.map { contact in
                ["type": .string(contact.kind == .phone ? "mobile" : "email"), "value": .string(contact.value),
                 "verified": .bool(contact.confirmedAt != nil)]
            })
        case .addresses:
            if let address = person.address { claims["address"] = addressClaim(address) }
        case .signatures, .admin:
            break  // service scopes carry no citizen data (and never reach a citizen's token)
        }
    }

    /// The newest confirmed contact of a kind.
    static func confirmed(_ kind: ContactKind, _ person: CitizenPersonData) -> String? {
        person.contacts.filter { $0.kind == kind && $0.confirmedAt != nil }.last?.value
    }

    /// `11223344595` → `112-233-445 95`, as ESIA writes SNILS.
    static func formatSNILS(_ digits: String) -> String {
        let d = Array(digits)
        guard d.count == 11 else { return digits }
        return "\(String(d[0..<3]))-\(String(d[3..<6]))-\(String(d[6..<9])) \(String(d[9..<11]))"
    }

    static func addressClaim(_ address: AddressData) -> JSONValue {
        var street = address.street + ", " + address.house
        if let building = address.building, !building.isEmpty { street += ", корп. " + building }
        if let flat = address.flat, !flat.isEmpty { street += ", кв. " + flat }
        let formatted = [address.postalCode, address.region, address.city, street].filter { !$0.isEmpty }.joined(separator: ", ")
        return ["formatted": .string(formatted), "street_address": .string(street), "locality": .string(address.city),
                "region": .string(address.region), "postal_code": .string(address.postalCode), "country": "RU"]
    }
}
