/// A Russian postal address for activation letters: region, city, street, house, optional building and flat,
/// and a six-digit postal code.
public struct PostalAddress: Sendable, Hashable {
    /// Region (субъект РФ), e.g. `Московская область`.
    public let region: String
    /// City, town or village.
    public let city: String
    /// Street.
    public let street: String
    /// House number, e.g. `12`, `12А`, `12/3`.
    public let house: String
    /// Building (корпус, строение), if any.
    public let building: String?
    /// Flat, if any.
    public let flat: String?
    /// Postal code (индекс), 6 digits.
    public let postalCode: String

    /// The longest value accepted for each part, in characters.
    public static let maximumLengths: [String: Int] = [
        FieldName.addressRegion: 100, FieldName.addressCity: 100, FieldName.addressStreet: 150,
        FieldName.addressHouse: 20, FieldName.addressBuilding: 20, FieldName.addressFlat: 20,
    ]

    /// Parses the address fields of a form; throws every problem at once.
    ///
    /// Each part is normalised (NFC, trimmed, spaces collapsed, typographic quotes made plain) and may hold
    /// Russian or Latin letters, digits, space and `. , - / ( ) № " '`. Region, city and street need a letter.
    public init(region: String, city: String, street: String, house: String,
                building: String = "", flat: String = "", postalCode: String) throws(ValidationFailure) {
        var errors = FieldErrorCollector()
        let region = errors.parse { () throws(FieldError) in
            try PostalAddress.part(region, field: FieldName.addressRegion, needsLetter: true)
        }
        let city = errors.parse { () throws(FieldError) in
            try PostalAddress.part(city, field: FieldName.addressCity, needsLetter: true)
        }
        let street = errors.parse { () throws(FieldError) in
            try PostalAddress.part(street, field: FieldName.addressStreet, needsLetter: true)
        }
        let house = errors.parse { () throws(FieldError) in try PostalAddress.part(house, field: FieldName.addressHouse) }
        let building = errors.parse { () throws(FieldError) in
            try PostalAddress.part(building, field: FieldName.addressBuilding, optional: true)
        }
        let flat = errors.parse { () throws(FieldError) in
            try PostalAddress.part(flat, field: FieldName.addressFlat, optional: true)
        }
        let postalCode = errors.parse { () throws(FieldError) in try PostalAddress.postalCode(postalCode) }
        try errors.throwIfAny()
        self.region = region!
        self.city = city!
        self.street = street!
        self.house = house!
        self.building = building!.isEmpty ? nil : building
        self.flat = flat!.isEmpty ? nil : flat
        self.postalCode = postalCode!
    }

    /// One free-text part, normalised: empty only when optional and blank.
    private static func part(_ text: String, field: String, optional: Bool = false,
                             needsLetter: Bool = false) throws(FieldError) -> String {
        let value = TextRules.plainQuotes(TextRules.collapsingSpaces(text))
        if value.isEmpty {
            if optional { return "" }
            throw FieldError(field: field, code: .required)
        }
        let punctuation: Set<Character> = [" ", ".", ",", "-", "/", "(", ")", "№", "\"", "'"]
        if !value.allSatisfy({
            TextRules.isCyrillicLetter($0) || TextRules.isLatinLetter($0) || TextRules.isASCIIDigit($0)
                || punctuation.contains($0)
        }) {
            throw FieldError(field: field, code: .invalidCharacters)
        }
        if value.count > maximumLengths[field] ?? 100 { throw FieldError(field: field, code: .tooLong) }
        if needsLetter && !value.contains(where: { TextRules.isCyrillicLetter($0) || TextRules.isLatinLetter($0) }) {
            throw FieldError(field: field, code: .invalidFormat)
        }
        return value
    }

    /// Exactly six digits.
    private static func postalCode(_ text: String) throws(FieldError) -> String {
        let field = FieldName.addressPostalCode
        let trimmed = TextRules.trimmed(text)
        if trimmed.isEmpty { throw FieldError(field: field, code: .required) }
        if !trimmed.allSatisfy(TextRules.isASCIIDigit) { throw FieldError(field: field, code: .invalidCharacters) }
        if trimmed.count != 6 { throw FieldError(field: field, code: .invalidFormat) }
        return trimmed
    }
}
