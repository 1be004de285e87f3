/// Why a CSV text could not be split into records; `line` is 1-based.
public struct CSVSyntaxError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What is wrong.
    public enum Kind: String, Sendable {
        /// A quoted field is never closed.
        case unterminatedQuote
        /// A quote inside an unquoted field, or text after a closing quote.
        case strayQuote
    }

    /// The physical line where the problem is (for an unclosed quote, where the field opened).
    public let line: Int
    /// What is wrong.
    public let kind: Kind

    /// Makes an error.
    public init(line: Int, kind: Kind) {
        self.line = line
        self.kind = kind
    }

    /// "line 4: a quoted field is never closed".
    public var description: String {
        switch kind {
        case .unterminatedQuote: "line \(line): a quoted field is never closed"
        case .strayQuote: "line \(line): a quote inside an unquoted field or text after a closing quote"
        }
    }
}

/// RFC 4180 CSV records, for files operators import (reference registry, service centres).
public enum CSV {
    /// One record and the line it starts on (a quoted field may span lines).
    public struct Record: Sendable, Equatable {
        /// The 1-based physical line where the record starts.
        public var line: Int
        /// The fields, unquoted, not trimmed.
        public var fields: [String]

        /// Makes a record.
        public init(line: Int, fields: [String]) {
            self.line = line
            self.fields = fields
        }
    }

    /// Splits text into records: comma-separated fields, double quotes around fields holding commas,
    /// quotes or line breaks, a doubled quote for a quote. Accepts a UTF-8 BOM and LF, CRLF or CR line
    /// ends; skips blank lines.
    public static func records(_ text: String) throws(CSVSyntaxError) -> [Record] {
        let comma = UInt8(ascii: ","), quote = UInt8(ascii: "\""), cr = UInt8(ascii: "\r"), lf = UInt8(ascii: "\n")
        var bytes = Array(text.utf8)[...]
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = bytes.dropFirst(3) }

        var records = [Record]()
        var fields = [String]()
        var field = [UInt8]()
        var quoted = false       // the current field began with a quote
        var inQuotes = false     // between a field's opening and closing quotes
        var line = 1             // the physical line at `i`
        var recordLine = 1       // the line the current record started on
        var quoteLine = 1        // where the open quoted field started, for the error

        func endField() {
            // Splitting valid UTF-8 at ASCII bytes leaves valid UTF-8.
            fields.append(String(decoding: field, as: UTF8.self))
            field = []
            quoted = false
        }
        func endRecord() {
            endField()
            let blank = fields.count == 1 && fields[0].isEmpty
            if !blank { records.append(Record(line: recordLine, fields: fields)) }
            fields = []
        }

        var i = bytes.startIndex
        while i < bytes.endIndex {
            let b = bytes[i]
            let next: UInt8? = bytes.index(after: i) < bytes.endIndex ? bytes[bytes.index(after: i)] : nil
            if inQuotes {
                if b == quote {
                    if next == quote {
                        field.append(quote)
                        i += 2
                        continue
                    }
                    inQuotes = false
                    if let next, next != comma, next != cr, next != lf {
                        throw CSVSyntaxError(line: line, kind: .strayQuote)
                    }
                } else {
                    // Line breaks inside quotes belong to the field but still advance the line count.
                    if b == lf || (b == cr && next != lf) { line += 1 }
                    field.append(b)
                }
                i += 1
                continue
            }
            switch b {
            case comma:
                endField()
            case cr, lf:
                endRecord()
                if b == cr && next == lf { i += 1 }
                line += 1
                recordLine = line
            case quote:
                guard field.isEmpty && !quoted else { throw CSVSyntaxError(line: line, kind: .strayQuote) }
                inQuotes = true
                quoted = true
                quoteLine = line
            default:
                field.append(b)
            }
            i += 1
        }
        if inQuotes { throw CSVSyntaxError(line: quoteLine, kind: .unterminatedQuote) }
        if !field.isEmpty || quoted || !fields.isEmpty { endRecord() }
        return records
    }

    /// `text` without leading and trailing spaces and tabs.
    public static func trimmed(_ text: String) -> String {
        String(text.trimmingSpacesAndTabs())
    }
}
