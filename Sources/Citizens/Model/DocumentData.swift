import Foundation

/// The passport as sealed in the database (JSON inside AES-GCM).
struct PassportData: Codable, Sendable, Equatable {
    var series: String
    var number: String
    /// `YYYY-MM-DD`
    var issueDate: String
    var issuer: String
    /// `NNN-NNN`
    var issuerCode: String

    func encoded() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return String(decoding: (try? encoder.encode(self)) ?? Data(), as: UTF8.self)
    }

    static func decode(_ text: String) throws -> PassportData {
        try JSONDecoder().decode(PassportData.self, from: Data(text.utf8))
    }
}

/// The postal address as sealed in the database; letters with activation codes go here.
public struct AddressData: Codable, Sendable, Equatable {
    public var postalCode: String
    public var region: String
    public var city: String
    public var street: String
    public var house: String
    public var building: String?
    public var flat: String?

    /// Makes a value.
    public init(postalCode: String, region: String, city: String, street: String, house: String, building: String? = nil,
                flat: String? = nil) {
        self.postalCode = postalCode
        self.region = region
        self.city = city
        self.street = street
        self.house = house
        self.building = building
        self.flat = flat
    }

    func encoded() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return String(decoding: (try? encoder.encode(self)) ?? Data(), as: UTF8.self)
    }
}
