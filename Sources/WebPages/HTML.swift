/// A fragment of HTML. Text becomes HTML only through `HTML.text` (escaped) or, visibly, `HTML.raw`.
public struct HTML: Sendable, CustomStringConvertible {
    public let rendered: String

    private init(rendered: String) { self.rendered = rendered }

    /// Escaped text: `& < > " '` cannot open markup or leave an attribute.
    public static func text(_ value: String) -> HTML { HTML(rendered: escape(value)) }

    /// Markup written by the program itself; never pass user input here.
    public static func raw(_ markup: String) -> HTML { HTML(rendered: markup) }

    public var description: String { rendered }

    /// Escapes for both element content and quoted attribute values.
    public static func escape(_ value: String) -> String {
        var out = ""
        out.reserveCapacity(value.utf8.count)
        for scalar in value.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}

/// Joins fragments; interpolated `HTML` is kept, interpolated strings are escaped.
public struct HTMLBuilder: ExpressibleByStringInterpolation, Sendable {
    public struct StringInterpolation: StringInterpolationProtocol {
        var output = ""
        public init(literalCapacity: Int, interpolationCount: Int) { output.reserveCapacity(literalCapacity * 2) }
        public mutating func appendLiteral(_ literal: String) { output += literal }
        public mutating func appendInterpolation(_ html: HTML) { output += html.rendered }
        public mutating func appendInterpolation(_ text: String) { output += HTML.escape(text) }
        public mutating func appendInterpolation(_ number: Int) { output += String(number) }
    }

    public let html: HTML

    public init(stringLiteral value: String) { html = .raw(value) }
    public init(stringInterpolation: StringInterpolation) { html = .raw(stringInterpolation.output) }
}
