import Citizens
@testable import Federation
import Foundation
import Support
import Testing

@Suite struct ESIAPersonResourcesTests {
    static let data = CitizenPersonData(
        citizenID: 7, publicID: "1000323031", surname: "Петрова", givenName: "Анна", patronymic: "Сергеевна", birthDate: "1990-05-17",
        gender: "female", level: .confirmed, identityConfirmed: true,
        contacts: [Contact(id: 11, kind: .phone, value: "+79161234567", confirmedAt: Date(timeIntervalSince1970: 1)),
                   Contact(id: 12, kind: .email, value: "anna@example.ru", confirmedAt: nil)],
        snils: "11223344595", snilsVerified: true, inn: "585204118212",
        passport: PassportDetails(series: "4508", number: "123456", issueDate: "2010-06-01", issuer: "ОВД Тверского района",
                                  issuerCode: "770-001"),
        passportVerified: true,
        address: AddressData(postalCode: "125009", region: "Москва", city: "Москва", street: "ул. Тверская", house: "1", flat: "5"))

    func resources(_ scopes: Set<String>, data: CitizenPersonData = Self.data) -> ESIAPersonResources {
        ESIAPersonResources(data: data, oid: 1_000_323_031, scopes: scopes, baseURL: "http://127.0.0.1:8080")
    }

    /// The object without its eTag, to compare with expectations.
    func untagged(_ value: JSONValue) -> [String: JSONValue] {
        var object = value.objectValue ?? [:]
        object["eTag"] = nil
        return object
    }

    @Test func thePersonInESIAsFieldsAndFormats() {
        let person = resources(["openid", "fullname", "birthdate", "gender", "snils", "inn", "id_doc"]).person()
        #expect(untagged(person) == [
            "stateFacts": ["EntityRoot"], "trusted": true, "status": "REGISTERED", "firstName": "Анна", "lastName": "Петрова",
            "middleName": "Сергеевна", "birthDate": "17.05.1990", "gender": "F", "snils": "112-233-445 95", "inn": "585204118212",
            "rIdDoc": 1, "citizenship": "RUS",
        ])
        #expect(person["eTag"]?.stringValue?.count == 40)
    }

    @Test func thePersonHoldsOnlyConsentedScopes() {
        var standard = Self.data
        standard.level = .standard
        standard.gender = "male"
        let person = resources(["openid", "gender"], data: standard).person(embed: ["contacts.elements", "documents.elements"])
        #expect(untagged(person) == ["stateFacts": ["EntityRoot"], "trusted": false, "status": "REGISTERED", "gender": "M"])
        // Data the account does not hold is absent, not empty.
        var bare = Self.data
        bare.patronymic = nil
        bare.birthDate = nil
        bare.snilsVerified = false
        #expect(untagged(resources(["fullname", "birthdate", "snils"], data: bare).person()) == [
            "stateFacts": ["EntityRoot"], "trusted": true, "status": "REGISTERED", "firstName": "Анна", "lastName": "Петрова",
        ])
    }

    @Test func eTagsFollowTheContent() {
        let a = resources(["fullname"]).person()
        #expect(resources(["fullname"]).person() == a)
        var renamed = Self.data
        renamed.givenName = "Анастасия"
        #expect(resources(["fullname"], data: renamed).person()["eTag"] != a["eTag"])
    }

    @Test func contactsAsAnESIACollection() throws {
        let all = resources(["contacts"])
        #expect(untagged(try all.contacts(embed: false)) == [
            "stateFacts": ["hasSize"], "size": 2,
            "elements": ["http://127.0.0.1:8080/rs/prns/1000323031/ctts/11", "http://127.0.0.1:8080/rs/prns/1000323031/ctts/12"],
        ])
        let embedded = try all.contacts(embed: true)["elements"]?.arrayValue ?? []
        #expect(embedded.map(untagged) == [
            ["stateFacts": ["Identifiable"], "id": 11, "type": "MBT", "vrfStu": "VERIFIED", "value": "+7(916)1234567"],
            ["stateFacts": ["Identifiable"], "id": 12, "type": "EML", "vrfStu": "NOT_VERIFIED", "value": "anna@example.ru"],
        ])
        #expect(try all.contact(id: "12") == embedded[1])
        #expect(throws: ESIAResourceError.notFound) { try all.contact(id: "13") }
    }

    @Test func mobileAndEmailScopesShowOnlyConfirmedContactsOfTheirKind() throws {
        #expect(try resources(["mobile"]).contacts(embed: false)["size"] == 1)
        // The e-mail is not confirmed: the email scope shows nothing, and its element is not found.
        #expect(try resources(["email"]).contacts(embed: false)["size"] == 0)
        #expect(throws: ESIAResourceError.notFound) { try resources(["email"]).contact(id: "12") }
        #expect(throws: ESIAResourceError.scopeNotAllowed("contacts, email or mobile")) { try resources(["fullname"]).contacts(embed: true) }
    }

    @Test func theVerifiedPassportAsRFPassport() throws {
        let docs = resources(["id_doc"])
        #expect(untagged(try docs.document(id: "1")) == [
            "stateFacts": ["Identifiable"], "id": 1, "type": "RF_PASSPORT", "vrfStu": "VERIFIED", "series": "4508", "number": "123456",
            "issueDate": "01.06.2010", "issueId": "770001", "issuedBy": "ОВД Тверского района",
        ])
        #expect(untagged(try docs.documents(embed: false)) == [
            "stateFacts": ["hasSize"], "size": 1, "elements": ["http://127.0.0.1:8080/rs/prns/1000323031/docs/1"],
        ])
        #expect(throws: ESIAResourceError.scopeNotAllowed("id_doc")) { try resources(["fullname"]).documents(embed: false) }
        var unverified = Self.data
        unverified.passportVerified = false
        #expect(try resources(["id_doc"], data: unverified).documents(embed: true)["size"] == 0)
        #expect(throws: ESIAResourceError.notFound) { try resources(["id_doc"], data: unverified).document(id: "1") }
    }

    @Test func theAddressAsPLV() throws {
        let address = try resources(["addresses"]).address(id: "1")
        #expect(untagged(address) == [
            "stateFacts": ["Identifiable"], "id": 1, "type": "PLV", "countryId": "RUS", "zipCode": "125009", "region": "Москва",
            "city": "Москва", "street": "ул. Тверская", "house": "1", "flat": "5",
            "addressStr": "Москва, Москва, ул. Тверская, д. 1, кв. 5",
        ])
        #expect(throws: ESIAResourceError.scopeNotAllowed("addresses")) { try resources(["openid"]).addresses(embed: false) }
    }

    @Test func thePersonInlinesAllowedCollections() {
        let person = resources(["fullname", "contacts", "id_doc"]).person(embed: ESIAPersonResources.embedNames(
            "(contacts.elements,addresses.elements,documents.elements)"))
        #expect(person["contacts"]?["size"] == 2)
        #expect(person["contacts"]?["elements"]?.arrayValue?.first?["type"] == "MBT")
        #expect(person["documents"]?["elements"]?.arrayValue?.first?["series"] == "4508")
        // No addresses scope: no addresses, and no error either.
        #expect(person["addresses"] == nil)
    }

    @Test func embedParameters() {
        #expect(ESIAPersonResources.embedNames("(elements)") == ["elements"])
        #expect(ESIAPersonResources.embedNames("( contacts.elements , documents.elements )") == ["contacts.elements", "documents.elements"])
        #expect(ESIAPersonResources.embedNames("elements") == [])
        #expect(ESIAPersonResources.embedNames(nil) == [])
        #expect(ESIAPersonResources.embedNames("()") == [])
    }

    @Test func formats() {
        #expect(ESIAPersonResources.formattedSNILS("11223344595") == "112-233-445 95")
        #expect(ESIAPersonResources.formattedPhone("+79991234567") == "+7(999)1234567")
        #expect(ESIAPersonResources.dottedDate("2001-02-28") == "28.02.2001")
    }
}
