/// Why a service-centre CSV was refused: every problem found, each naming its line and column. Nothing changed.
public struct CentreImportError: Error, Sendable, Equatable, CustomStringConvertible {
    /// One thing wrong with the file.
    public struct Problem: Sendable, Equatable, CustomStringConvertible {
        /// What is wrong.
        public enum Kind: String, Sendable {
            /// The file is empty: not even a header row.
            case missingHeader
            /// The first row is not the expected header.
            case wrongHeader
            /// A quoted field is never closed.
            case unterminatedQuote
            /// A quote inside an unquoted field, or text after a closing quote.
            case strayQuote
            /// A row has more or fewer fields than the header.
            case wrongFieldCount
            /// The code is not 1–32 of A–Z, 0–9 and '-'.
            case badCode
            /// The same code appears on an earlier line.
            case duplicateCode
            /// A text field is empty, too long, or holds control characters.
            case badText
            /// A coordinate is not a decimal number with a '.' separator.
            case badCoordinate
            /// Latitude outside −90…90 or longitude outside −180…180.
            case coordinateOutOfRange
            /// Only one of latitude and longitude is given.
            case incompleteCoordinates
            /// A centre missing from the file still has staff bound to it (`code` names it); move or disable them first.
            case centreHasStaff
            /// The file has more centres than one import accepts.
            case tooManyCentres
        }

        /// The 1-based line where the row starts (the header is line 1); nil for a problem with no line (a missing centre).
        public var line: Int?
        /// The header name of the column at fault, nil when the whole row is.
        public var column: String?
        /// What is wrong.
        public var kind: Kind
        /// For duplicates: the earlier line with the same code.
        public var otherLine: Int?
        /// For `centreHasStaff`: the centre's code.
        public var code: String?

        /// Makes a problem.
        public init(line: Int?, column: String?, kind: Kind, otherLine: Int? = nil, code: String? = nil) {
            self.line = line
            self.column = column
            self.kind = kind
            self.otherLine = otherLine
            self.code = code
        }

        /// "line 3, column latitude: …".
        public var description: String {
            let place = switch (line, column) {
            case let (line?, column?): "line \(line), column \(column)"
            case let (line?, nil): "line \(line)"
            case let (nil, column?): "column \(column)"
            case (nil, nil): "file"
            }
            return "\(place): \(explanation)"
        }

        private var explanation: String {
            switch kind {
            case .missingHeader: "the file is empty; it needs the header row"
            case .wrongHeader: "the header must be \(CentreCSV.header.joined(separator: ","))"
            case .unterminatedQuote: "a quoted field is never closed"
            case .strayQuote: "a quote inside an unquoted field or text after a closing quote"
            case .wrongFieldCount: "expected \(CentreCSV.header.count) fields"
            case .badCode: "a code is 1–\(CentreCSV.maxCodeLength) of A–Z, 0–9 and '-'"
            case .duplicateCode: "the same code as line \(otherLine ?? 0)"
            case .badText: "empty, too long, or holding control characters"
            case .badCoordinate: "not a decimal number such as 55.7558"
            case .coordinateOutOfRange: "latitude must be −90…90 and longitude −180…180"
            case .incompleteCoordinates: "give both latitude and longitude, or neither"
            case .centreHasStaff: "centre \(code ?? "?") is not in the file but staff accounts are bound to it; move or remove them first"
            case .tooManyCentres: "more than \(CentreCSV.maxCentres) centres"
            }
        }
    }

    /// The problems in file order; at most `CentreCSV.maxProblems`.
    public var problems: [Problem]
    /// Whether checking stopped early because there were too many problems.
    public var truncated: Bool

    /// Makes the error.
    public init(problems: [Problem], truncated: Bool = false) {
        self.problems = problems
        self.truncated = truncated
    }

    /// One problem per line under a heading that says nothing was imported.
    public var description: String {
        var lines = ["the service-centre file was refused; nothing was imported:"]
        lines += problems.map { "  \($0)" }
        if truncated { lines.append("  (stopped after \(problems.count) problems)") }
        return lines.joined(separator: "\n")
    }
}
