import Foundation

/// One service centre in the public list.
public struct CentreEntry: Sendable {
    public var name: String
    public var region: String
    public var city: String
    public var address: String
    public var openingHours: String
    /// Degrees; shown as text when both are given.
    public var latitude: Double?
    public var longitude: Double?

    /// A centre as the list shows it.
    public init(name: String, region: String, city: String, address: String, openingHours: String, latitude: Double? = nil,
                longitude: Double? = nil) {
        self.name = name
        self.region = region
        self.city = city
        self.address = address
        self.openingHours = openingHours
        self.latitude = latitude
        self.longitude = longitude
    }
}

/// What the service-centre page shows.
public struct CentresModel: Sendable {
    public var language: Language
    /// The path and query of this page, for the language switch.
    public var currentPath: String
    /// Every region with a centre, for the select list.
    public var regions: [String]
    /// The region and city searched for, as typed; empty for "any".
    public var region: String
    public var city: String
    /// The centres that match.
    public var centres: [CentreEntry]

    /// The list for a search.
    public init(language: Language = .ru, currentPath: String = PagePath.serviceCentres, regions: [String], region: String = "",
                city: String = "", centres: [CentreEntry]) {
        self.language = language
        self.currentPath = currentPath
        self.regions = regions
        self.region = region
        self.city = city
        self.centres = centres
    }
}

/// The public list of service centres with a search by region and city; a GET form, so it needs no session.
public enum CentresPage {
    /// The page for `model`.
    public static func render(_ model: CentresModel) -> String {
        let s = Strings(model.language)
        let main: HTMLBuilder = """
            <h1>\(s[activation: .centresTitle])</h1>
            <p class="lead">\(s[activation: .centresLead])</p>
            \(searchForm(model, s))
            \(results(model, s))
            """
        return Layout.page(title: s[activation: .centresTitle], language: model.language, currentPath: model.currentPath,
                           main: main.html)
    }

    /// Region as a select list of the known regions, city as free text.
    static func searchForm(_ model: CentresModel, _ s: Strings) -> HTML {
        var options = [option("", s[activation: .allRegions], selected: model.region.isEmpty)]
        for region in model.regions { options.append(option(region, region, selected: region == model.region)) }
        let regionName = Field.region.rawValue
        let cityName = Field.city.rawValue
        let form: HTMLBuilder = """
            <form method="get" action="\(PagePath.serviceCentres)" class="no-print">
            <div class="field">
            <label for="\(regionName)">\(Strings.label(.region, model.language))</label>
            \(HTML.tag("select", [("id", regionName), ("name", regionName)]))
            \(HTML.join(options))
            </select>
            </div>
            <div class="field">
            <label for="\(cityName)">\(Strings.label(.city, model.language))</label>
            \(HTML.tag("input", [("id", cityName), ("name", cityName), ("type", "text"), ("value", model.city)]))
            </div>
            <button type="submit">\(s[activation: .centresSearchButton])</button>
            </form>
            """
        return form.html
    }

    static func option(_ value: String, _ label: String, selected: Bool) -> HTML {
        var attributes: [(String, String?)] = [("value", value)]
        if selected { attributes.append(("selected", nil)) }
        let html: HTMLBuilder = "\(HTML.tag("option", attributes))\(label)</option>"
        return html.html
    }

    /// The matching centres, or a sentence saying there are none.
    static func results(_ model: CentresModel, _ s: Strings) -> HTML {
        guard !model.centres.isEmpty else {
            let none: HTMLBuilder = "<p role=\"status\">\(s[activation: .centresNone])</p>"
            return none.html
        }
        let items = model.centres.map { centre -> HTML in
            var coordinates = HTML.empty
            if let latitude = centre.latitude, let longitude = centre.longitude {
                let text = String(format: "%.5f, %.5f", latitude, longitude)
                let row: HTMLBuilder = "<dt>\(s[activation: .centresCoordinates])</dt><dd>\(text)</dd>"
                coordinates = row.html
            }
            let item: HTMLBuilder = """
                <li>
                <h3>\(centre.name)</h3>
                <dl class="summary">
                <dt>\(s[activation: .centresAddress])</dt><dd>\(centre.region), \(centre.city), \(centre.address)</dd>
                <dt>\(s[activation: .centresHours])</dt><dd>\(centre.openingHours)</dd>
                \(coordinates)
                </dl>
                </li>
                """
            return item.html
        }
        let list: HTMLBuilder = """
            <p role="status">\(s[activation: .centresFound]): \(model.centres.count). \(s[activation: .centresBring])</p>
            <ul class="centres">
            \(HTML.join(items))
            </ul>
            """
        return list.html
    }
}
