import Support

/// Name–value pairs from a query string or an `application/x-www-form-urlencoded` body, in order, duplicates kept
/// so that callers can refuse them (RFC 6749 §3.1: OAuth parameters MUST NOT be repeated).
public struct FormFields: Sendable, Equatable, Sequence {
    /// One name–value pair.
    public struct Field: Sendable, Hashable {
        /// The field's name, decoded.
        public var name: String
        /// The field's value, decoded.
        public var value: String

        /// A pair.
        public init(name: String, value: String) {
            self.name = name
            self.value = value
        }
    }

    /// The most fields a form may have unless the caller says otherwise.
    public static let defaultMaxFields = 1000

    /// The pairs in the order received.
    public private(set) var fields: [Field]

    /// Fields from pairs, in order.
    public init(_ pairs: [(name: String, value: String)] = []) {
        fields = pairs.map { Field(name: $0.name, value: $0.value) }
    }

    /// Parses `application/x-www-form-urlencoded` text (the WHATWG URL standard's parser, §5.1), strictly:
    /// a bad `%` escape or invalid UTF-8 throws `.malformedForm`; more than `maxFields` throws `.tooManyFields`.
    public init(urlEncoded text: String, maxFields: Int = FormFields.defaultMaxFields) throws(RequestDecodingError) {
        self.fields = try FormFields.parse(text.utf8, maxFields: maxFields)
    }

    /// Parses an `application/x-www-form-urlencoded` body; see `init(urlEncoded:maxFields:)` for the rules.
    public init(urlEncoded bytes: [UInt8], maxFields: Int = FormFields.defaultMaxFields) throws(RequestDecodingError) {
        self.fields = try FormFields.parse(bytes, maxFields: maxFields)
    }

    private static func parse<Bytes: Collection<UInt8>>(_ bytes: Bytes, maxFields: Int) throws(RequestDecodingError) -> [Field] {
        var fields: [Field] = []
        // WHATWG: split on "&", skip empty sequences, the first "=" separates name from value.
        for sequence in bytes.split(separator: UInt8(ascii: "&"), omittingEmptySubsequences: true) {
            guard fields.count < maxFields else {
                throw RequestDecodingError(.tooManyFields, detail: "more than \(maxFields) fields")
            }
            let name: Bytes.SubSequence, value: Bytes.SubSequence
            if let equals = sequence.firstIndex(of: UInt8(ascii: "=")) {
                name = sequence[..<equals]
                value = sequence[sequence.index(after: equals)...]
            } else {
                name = sequence
                value = sequence[sequence.endIndex...]
            }
            guard let decodedName = decode(name), let decodedValue = decode(value) else {
                throw RequestDecodingError(.malformedForm, detail: "invalid percent-encoding or UTF-8")
            }
            fields.append(Field(name: decodedName, value: decodedValue))
        }
        return fields
    }

    /// `+` is a space, then percent-decoding, then UTF-8 (WHATWG URL §5.1 step 3), but without its lossy repairs.
    private static func decode(_ bytes: some Collection<UInt8>) -> String? {
        if !bytes.contains(where: { $0 == UInt8(ascii: "%") || $0 == UInt8(ascii: "+") }) {
            return String(validating: bytes, as: UTF8.self)
        }
        guard let decoded = PercentDecoding.decodeBytes(bytes, plusAsSpace: true) else { return nil }
        return String(validating: decoded, as: UTF8.self)
    }

    /// How many pairs.
    public var count: Int { fields.count }
    /// Whether there are no pairs.
    public var isEmpty: Bool { fields.isEmpty }

    /// Iterates over the pairs in order.
    public func makeIterator() -> IndexingIterator<[Field]> { fields.makeIterator() }

    /// Every value of a name, in order.
    public func values(_ name: String) -> [String] {
        fields.filter { $0.name == name }.map(\.value)
    }

    /// The first value of a name, or nil.
    public func first(_ name: String) -> String? {
        fields.first { $0.name == name }?.value
    }

    /// The value of a name that must not repeat, or nil when absent; throws `.duplicateField` when repeated.
    public func single(_ name: String) throws(RequestDecodingError) -> String? {
        var found: String?
        for field in fields where field.name == name {
            guard found == nil else { throw RequestDecodingError.duplicateField(name) }
            found = field.value
        }
        return found
    }

    /// The value of a name that must appear exactly once; throws `.missingField` or `.duplicateField`.
    public func required(_ name: String) throws(RequestDecodingError) -> String {
        guard let value = try single(name) else { throw RequestDecodingError.missingField(name) }
        return value
    }

    /// The distinct names, in order of first appearance.
    public var names: [String] {
        var seen = Set<String>()
        return fields.compactMap { seen.insert($0.name).inserted ? $0.name : nil }
    }

    /// The names that appear more than once, in order of first appearance.
    public var duplicateNames: [String] {
        var counts: [String: Int] = [:]
        for field in fields { counts[field.name, default: 0] += 1 }
        return names.filter { counts[$0, default: 0] > 1 }
    }

    /// Appends a pair.
    public mutating func append(name: String, value: String) {
        fields.append(Field(name: name, value: value))
    }
}
