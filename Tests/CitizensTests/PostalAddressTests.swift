@testable import Citizens
import Testing

@Test("A full address parses and is normalised")
func fullAddressParses() throws {
    let address = try PostalAddress(region: " Московская   область ", city: "г. Королёв", street: "ул. «Пионерская»",
                                    house: "12/3", building: "корп. 2", flat: "45", postalCode: " 141070 ")
    #expect(address.region == "Московская область")
    #expect(address.city == "г. Королёв")
    #expect(address.street == "ул. \"Пионерская\"")
    #expect(address.house == "12/3")
    #expect(address.building == "корп. 2")
    #expect(address.flat == "45")
    #expect(address.postalCode == "141070")
}

@Test("Building and flat are optional")
func buildingAndFlatOptional() throws {
    let address = try PostalAddress(region: "Тверская область", city: "д. Горки", street: "Lenin street",
                                    house: "5А", building: " ", postalCode: "170001")
    #expect(address.building == nil)
    #expect(address.flat == nil)
}

@Test("Address part errors", arguments: [
    ("address.region", "", FieldErrorCode.required),
    ("address.city", "Москва; DROP", .invalidCharacters),
    ("address.street", "ул. Ленина 🏠", .invalidCharacters),
    ("address.street", "123", .invalidFormat),
    ("address.house", String(repeating: "1", count: 21), .tooLong),
    ("address.region", String(repeating: "а", count: 101), .tooLong),
    ("address.flat", "кв.\t\u{0007}", .invalidCharacters),
    ("address.postalCode", "12345", .invalidFormat),
    ("address.postalCode", "1234567", .invalidFormat),
    ("address.postalCode", "12345б", .invalidCharacters),
    ("address.postalCode", "", .required),
])
func addressPartErrors(field: String, value: String, code: FieldErrorCode) {
    var parts = ["address.region": "Москва", "address.city": "Москва", "address.street": "Тверская",
                 "address.house": "1", "address.building": "", "address.flat": "", "address.postalCode": "125009"]
    parts[field] = value
    let failure = validationFailure { () throws(ValidationFailure) in
        try PostalAddress(region: parts["address.region"]!, city: parts["address.city"]!,
                          street: parts["address.street"]!, house: parts["address.house"]!,
                          building: parts["address.building"]!, flat: parts["address.flat"]!,
                          postalCode: parts["address.postalCode"]!)
    }
    #expect(failure?.errors == [FieldError(field: field, code: code)])
}

@Test("An address reports every bad part at once")
func addressCollectsAllErrors() {
    let failure = validationFailure { () throws(ValidationFailure) in
        try PostalAddress(region: "", city: "Москва", street: "", house: "", postalCode: "12")
    }
    #expect(failure?.errors.map(\.field) == ["address.region", "address.street", "address.house", "address.postalCode"])
    #expect(failure?.codes(for: "address.postalCode") == [.invalidFormat])
}
