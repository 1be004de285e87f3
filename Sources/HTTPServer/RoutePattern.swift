import Support

/// A route's path pattern: `/`, `/healthz`, `/api/v1/portals/:id`, `/files/*rest`.
///
/// Static segments match exactly (case-sensitive, still percent-encoded); `:name` matches one non-empty
/// segment; a final `*name` matches the rest of the path after its slash, possibly empty.
/// Parameter values are percent-decoded; `.` and `..` never match a parameter, since nothing here
/// resolves dot-segments (RFC 3986 §5.2.4) and a handler must not be handed one as an id or a file name.
public struct RoutePattern: Sendable, Hashable, CustomStringConvertible {
    /// One `/`-separated piece of a pattern.
    public enum Segment: Sendable, Hashable {
        /// Text that must equal the path's segment.
        case literal(String)
        /// `:name`: any one non-empty segment.
        case parameter(String)
        /// `*name`: the rest of the path.
        case catchAll(String)
    }

    /// The pattern as written; the route's label.
    public let text: String
    /// The segments after the leading `/`.
    public let segments: [Segment]
    /// Whether the last segment is a catch-all; with `segments.count`, rejects most paths before any comparison.
    let endsInCatchAll: Bool

    /// Parses a pattern; a malformed pattern is a programmer error and stops the process.
    public init(_ text: String) {
        precondition(text.hasPrefix("/"), "route pattern must start with '/': \(text)")
        self.text = text
        var segments: [Segment] = []
        var names = Set<String>()
        let pieces = text.dropFirst().split(separator: "/", omittingEmptySubsequences: false)
        for (index, piece) in pieces.enumerated() {
            if piece.hasPrefix(":") || piece.hasPrefix("*") {
                let name = String(piece.dropFirst())
                precondition(!name.isEmpty, "route parameter without a name in \(text)")
                precondition(names.insert(name).inserted, "route parameter '\(name)' repeated in \(text)")
                if piece.hasPrefix("*") {
                    precondition(index == pieces.count - 1, "catch-all must be the last segment in \(text)")
                    segments.append(.catchAll(name))
                } else {
                    segments.append(.parameter(name))
                }
            } else {
                precondition(piece != "." && piece != "..", "route pattern must not contain dot-segments: \(text)")
                segments.append(.literal(String(piece)))
            }
        }
        // The root pattern "/" splits into one empty literal, matching the path "/".
        self.segments = segments
        if case .catchAll = segments.last { endsInCatchAll = true } else { endsInCatchAll = false }
    }

    /// The pattern as written.
    public var description: String { text }

    /// Whether the pattern has no parameters, so a dictionary lookup of the raw path finds it.
    public var isStatic: Bool {
        segments.allSatisfy { if case .literal = $0 { true } else { false } }
    }

    /// The result of matching a path: no match, a match with decoded parameters, or a match whose
    /// parameters are not valid percent-encoded UTF-8.
    enum Match {
        case none
        case matched([String: String])
        case invalidParameter
    }

    /// Matches the path's segments (after the leading `/`, still encoded).
    func match(_ pathSegments: [Substring]) -> Match {
        if endsInCatchAll {
            guard pathSegments.count >= segments.count else { return .none }
        } else {
            guard pathSegments.count == segments.count else { return .none }
        }
        // Literals first, so a path that cannot match costs no decoding.
        for index in segments.indices {
            if case .literal(let literal) = segments[index], pathSegments[index] != literal { return .none }
        }
        var parameters: [String: String] = [:]
        var invalid = false
        for (index, segment) in segments.enumerated() {
            switch segment {
            case .literal:
                continue
            case .parameter(let name):
                let piece = pathSegments[index]
                guard !piece.isEmpty else { return .none }
                guard let value = PercentDecoding.decode(piece) else { invalid = true; continue }
                guard value != "." && value != ".." else { return .none }
                parameters[name] = value
            case .catchAll(let name):
                var parts: [String] = []
                for piece in pathSegments[index...] {
                    guard let value = PercentDecoding.decode(piece) else { invalid = true; break }
                    guard value != "." && value != ".." else { return .none }
                    parts.append(value)
                }
                parameters[name] = parts.joined(separator: "/")
            }
        }
        return invalid ? .invalidParameter : .matched(parameters)
    }
}
