/// One service centre (МФЦ or similar) where citizens confirm their identity in person.
public struct ServiceCentre: Sendable, Equatable {
    /// The operator's stable code, e.g. "MSK-001": the key across re-imports and what staff accounts point at.
    public let id: String
    /// The centre's name.
    public let name: String
    /// The region (субъект РФ), as written in the file.
    public let region: String
    /// The city or settlement.
    public let city: String
    /// The street address.
    public let address: String
    /// Opening hours as free text ("пн–пт 8:00–20:00, сб 10:00–17:00").
    public let openingHours: String
    /// Latitude in degrees, −90…90; nil when not given.
    public let latitude: Double?
    /// Longitude in degrees, −180…180; nil when not given.
    public let longitude: Double?

    /// Makes a value.
    public init(id: String, name: String, region: String, city: String, address: String, openingHours: String,
                latitude: Double?, longitude: Double?) {
        self.id = id
        self.name = name
        self.region = region
        self.city = city
        self.address = address
        self.openingHours = openingHours
        self.latitude = latitude
        self.longitude = longitude
    }
}
