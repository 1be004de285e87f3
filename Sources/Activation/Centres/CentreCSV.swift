import Support

/// The service-centre file format: RFC 4180 CSV in UTF-8 (a BOM is fine), a header row, one centre per row.
enum CentreCSV {
    /// The header row, in this order.
    static let header = ["code", "name", "region", "city", "address", "opening_hours", "latitude", "longitude"]
    /// The longest code.
    static let maxCodeLength = 32
    /// The longest value of each text column, in characters; longer values suggest a shifted column.
    static let maxLengths = ["name": 200, "region": 100, "city": 100, "address": 300, "opening_hours": 300]
    /// Checking stops after this many problems.
    static let maxProblems = 100
    /// More centres than this in one file is a mistake, not a directory.
    static let maxCentres = 50_000

    /// A validated row and where it came from.
    struct Row: Equatable {
        var line: Int
        var centre: ServiceCentre
    }

    /// Parses and validates a whole file; any problem refuses the whole file.
    static func rows(_ text: String) throws(CentreImportError) -> [Row] {
        let records: [CSV.Record]
        do {
            records = try CSV.records(text)
        } catch {
            let kind: CentreImportError.Problem.Kind = error.kind == .strayQuote ? .strayQuote : .unterminatedQuote
            throw CentreImportError(problems: [.init(line: error.line, column: nil, kind: kind)])
        }
        guard let first = records.first else {
            throw CentreImportError(problems: [.init(line: 1, column: nil, kind: .missingHeader)])
        }
        guard first.fields.map({ CSV.trimmed($0).lowercased() }) == header else {
            throw CentreImportError(problems: [.init(line: first.line, column: nil, kind: .wrongHeader)])
        }
        guard records.count - 1 <= maxCentres else {
            throw CentreImportError(problems: [.init(line: nil, column: nil, kind: .tooManyCentres)])
        }

        var problems = [CentreImportError.Problem]()
        var rows = [Row]()
        var lineByCode = [String: Int]()
        for record in records.dropFirst() {
            if problems.count >= maxProblems {
                throw CentreImportError(problems: Array(problems.prefix(maxProblems)), truncated: true)
            }
            guard record.fields.count == header.count else {
                problems.append(.init(line: record.line, column: nil, kind: .wrongFieldCount))
                continue
            }
            var rowProblems = [CentreImportError.Problem]()
            func fail(_ column: String, _ kind: CentreImportError.Problem.Kind, other: Int? = nil) {
                rowProblems.append(.init(line: record.line, column: column, kind: kind, otherLine: other))
            }
            let f = Dictionary(uniqueKeysWithValues: zip(header, record.fields.map(CSV.trimmed)))

            let code = self.code(f["code"]!)
            if let code {
                if let earlier = lineByCode[code] { fail("code", .duplicateCode, other: earlier) }
                else { lineByCode[code] = record.line }
            } else {
                fail("code", .badCode)
            }
            var texts = [String: String]()
            for column in ["name", "region", "city", "address", "opening_hours"] {
                if let value = plainText(f[column]!, maxLength: maxLengths[column]!) { texts[column] = value }
                else { fail(column, .badText) }
            }
            var coordinates = [String: Double]()
            for (column, limit) in [("latitude", 90.0), ("longitude", 180.0)] where !f[column]!.isEmpty {
                if let value = decimal(f[column]!) {
                    if abs(value) <= limit { coordinates[column] = value } else { fail(column, .coordinateOutOfRange) }
                } else {
                    fail(column, .badCoordinate)
                }
            }
            if f["latitude"]!.isEmpty != f["longitude"]!.isEmpty {
                fail(f["latitude"]!.isEmpty ? "latitude" : "longitude", .incompleteCoordinates)
            }

            if rowProblems.isEmpty, let code {
                rows.append(Row(line: record.line, centre: ServiceCentre(
                    id: code, name: texts["name"]!, region: texts["region"]!, city: texts["city"]!, address: texts["address"]!,
                    openingHours: texts["opening_hours"]!, latitude: coordinates["latitude"], longitude: coordinates["longitude"])))
            }
            problems += rowProblems
        }
        guard problems.isEmpty else {
            throw CentreImportError(problems: Array(problems.prefix(maxProblems)), truncated: problems.count > maxProblems)
        }
        return rows
    }

    /// A code in upper case, or nil unless it is 1–32 of A–Z, 0–9 and '-'.
    static func code(_ text: String) -> String? {
        let upper = text.uppercased()
        guard (1...maxCodeLength).contains(upper.utf8.count),
              upper.utf8.allSatisfy({ (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains($0)
                  || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) || $0 == UInt8(ascii: "-") }) else { return nil }
        return upper
    }

    /// Non-empty text without control characters (line breaks included), inner runs of spaces collapsed; nil otherwise.
    static func plainText(_ value: String, maxLength: Int) -> String? {
        guard !value.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else { return nil }
        let collapsed = value.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ")
        guard !collapsed.isEmpty, collapsed.count <= maxLength else { return nil }
        return collapsed
    }

    /// A plain decimal such as "-33.8688": optional minus, digits, optionally '.' and digits. No exponents,
    /// no comma separator, no "nan" or "inf", which `Double(_:)` would accept.
    static func decimal(_ text: String) -> Double? {
        var body = Substring(text)
        if body.hasPrefix("-") { body = body.dropFirst() }
        let parts = body.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        guard let whole = parts.first, !whole.isEmpty, whole.count <= 3,
              whole.allSatisfy({ ("0"..."9").contains($0) }) else { return nil }
        if parts.count == 2 {
            guard !parts[1].isEmpty, parts[1].count <= 12, parts[1].allSatisfy({ ("0"..."9").contains($0) }) else { return nil }
        }
        return Double(text)
    }
}
