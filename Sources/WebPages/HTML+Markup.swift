extension HTML {
    /// Nothing; for optional parts of a page.
    static let empty = HTML.raw("")

    /// Joins already-safe fragments.
    static func join(_ parts: [HTML], separator: String = "\n") -> HTML {
        .raw(parts.map(\.rendered).joined(separator: separator))
    }

    /// One start tag; every attribute value is escaped, a `nil` value makes a bare boolean attribute.
    /// Attribute names are always program constants, so they are not escaped.
    static func tag(_ name: String, _ attributes: [(String, String?)]) -> HTML {
        var out = "<" + name
        for (key, value) in attributes {
            out += " " + key
            if let value { out += "=\"" + HTML.escape(value) + "\"" }
        }
        return .raw(out + ">")
    }
}
