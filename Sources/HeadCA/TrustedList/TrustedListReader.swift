import Crypto
import Foundation
import FoundationXML
import PKI

extension HeadCA {
    /// Reads the trust store's subset of an e-trust trusted list with FoundationXML's streaming XMLParser.
    ///
    /// Everything is checked before anything is returned: `Версия` present and a whole number, dates ISO 8601,
    /// every status one of "Действует", "Приостановлена", "Прекращена", every certificate valid base64 DER
    /// that OpenSSL parses and whose `Отпечаток` (and `СерийныйНомер`, when given) match it. Other elements are
    /// ignored. External entities are never loaded.
    public enum TrustedListReader {
        /// The list in `xml`; throws `HeadCAError.invalidTrustedList` naming the first problem and its line.
        public static func read(_ xml: [UInt8]) throws -> TrustedList {
            try? GOSTEngine.load()  // real lists are GOST: load the engine before parsing their keys
            let parser = XMLParser(data: Data(xml))
            parser.shouldResolveExternalEntities = false
            let collector = Collector()
            parser.delegate = collector
            let parsed = parser.parse()
            if let problem = collector.problem { throw HeadCAError(.invalidTrustedList(problem)) }
            guard parsed else {
                let reason = parser.parserError.map { ($0 as NSError).localizedDescription } ?? "unknown error"
                throw HeadCAError(.invalidTrustedList("not well-formed XML near line \(parser.lineNumber): \(reason)"))
            }
            guard collector.sawRoot else {
                throw HeadCAError(.invalidTrustedList("the root element is not \(Names.root)"))
            }
            // libxml2 through XMLParser does not always report a document cut short: check the root was closed.
            guard collector.closedRoot else {
                throw HeadCAError(.invalidTrustedList("the document ends before \(Names.root) is closed (line \(parser.lineNumber))"))
            }
            guard let version = collector.version else { throw HeadCAError(.invalidTrustedList("\(Names.version) is missing")) }
            return TrustedList(version: version, date: collector.date, authorities: collector.authorities)
        }
    }

    /// The element names, shared by the reader and the writer.
    enum Names {
        static let root = "АккредитованныеУдостоверяющиеЦентры"
        static let version = "Версия"
        static let date = "Дата"
        static let authority = "УдостоверяющийЦентр"
        static let name = "Название"
        static let registryNumber = "РеестровыйНомер"
        static let ogrn = "ОГРН"
        static let inn = "ИНН"
        static let status = "СтатусАккредитации"
        static let statusKind = "Статус"
        static let statusFrom = "ДействуетС"
        static let statusUntil = "ДействуетДо"
        static let history = "ИсторияСтатусовАккредитации"
        static let complexes = "ПрограммноАппаратныеКомплексы"
        static let complex = "ПрограммноАппаратныйКомплекс"
        static let keys = "КлючиУполномоченныхЛиц"
        static let key = "Ключ"
        static let keyIdentifier = "ИдентификаторКлюча"
        static let crlAddresses = "АдресаСписковОтзыва"
        static let address = "Адрес"
        static let certificates = "Сертификаты"
        static let certificate = "ДанныеСертификата"
        static let thumbprint = "Отпечаток"
        static let serial = "СерийныйНомер"
        static let validFrom = "ПериодДействияС"
        static let validUntil = "ПериодДействияДо"
        static let data = "Данные"
    }
}

/// The XMLParser delegate: follows the element path and fills the list; stops at the first problem.
private final class Collector: NSObject, XMLParserDelegate {
    typealias Names = HeadCA.Names

    var sawRoot = false
    var closedRoot = false
    var version: Int?
    var date: Date?
    var authorities: [HeadCA.Authority] = []
    var problem: String?

    private var path: [String] = []
    private var text = ""
    private var fields: [String: String] = [:]          // the authority's simple fields
    private var status: [String: String] = [:]          // the status being read
    private var current: HeadCA.AccreditationStatus?
    private var history: [HeadCA.AccreditationStatus] = []
    private var keys: [HeadCA.Key] = []
    private var keyIdentifier = ""
    private var keyURLs: [String] = []
    private var keyCertificates: [Certificate] = []
    private var certificate: [String: String] = [:]

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                attributes: [String: String] = [:]) {
        if path.isEmpty {
            guard name == Names.root else {
                fail(parser, "the root element is \(name), not \(Names.root)")
                return
            }
            sawRoot = true
        }
        path.append(name)
        text = ""
        switch relative {
        case [Names.authority]:
            fields = [:]
            current = nil
            history = []
            keys = []
        case [Names.authority, Names.status], [Names.authority, Names.history, Names.status]:
            status = [:]
        case [Names.authority, Names.complexes, Names.complex, Names.keys, Names.key]:
            keyIdentifier = ""
            keyURLs = []
            keyCertificates = []
        case [Names.authority, Names.complexes, Names.complex, Names.keys, Names.key, Names.certificates, Names.certificate]:
            certificate = [:]
        default:
            break
        }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) { text += string }

    func parser(_ parser: XMLParser, foundCDATA block: Data) { text += String(decoding: block, as: UTF8.self) }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        let value = text.trimmingCharacters(in: .whitespacesAndNewlines)
        let here = relative
        text = ""
        defer { if !path.isEmpty { path.removeLast() } }
        guard problem == nil else { return }
        if path.count == 1 { closedRoot = true }
        let keyPath = [Names.authority, Names.complexes, Names.complex, Names.keys, Names.key]
        let certificatePath = keyPath + [Names.certificates, Names.certificate]
        switch here {
        case [Names.version]:
            guard let number = Int(value), number >= 0 else { return fail(parser, "\(Names.version) is not a whole number: \(value)") }
            version = number
        case [Names.date]:
            guard let parsed = HeadCA.parseDate(value) else { return fail(parser, "\(Names.date) is not an ISO 8601 date: \(value)") }
            date = parsed
        case [Names.authority, Names.name], [Names.authority, Names.registryNumber], [Names.authority, Names.ogrn],
             [Names.authority, Names.inn]:
            fields[name] = value
        case [Names.authority, Names.status, Names.statusKind], [Names.authority, Names.status, Names.statusFrom],
             [Names.authority, Names.status, Names.statusUntil],
             [Names.authority, Names.history, Names.status, Names.statusKind],
             [Names.authority, Names.history, Names.status, Names.statusFrom],
             [Names.authority, Names.history, Names.status, Names.statusUntil]:
            status[name] = value
        case [Names.authority, Names.status]:
            guard let entry = statusEntry(parser) else { return }
            current = entry
        case [Names.authority, Names.history, Names.status]:
            guard let entry = statusEntry(parser) else { return }
            history.append(entry)
        case keyPath + [Names.keyIdentifier]:
            keyIdentifier = value
        case keyPath + [Names.crlAddresses, Names.address]:
            guard value.hasPrefix("http://") || value.hasPrefix("https://"), value.utf8.count <= 2000,
                  !value.contains(where: { $0.isWhitespace })
            else { return fail(parser, "a CRL address is not an http(s) URL: \(value.prefix(200))") }
            keyURLs.append(value)
        case certificatePath + [Names.thumbprint], certificatePath + [Names.serial], certificatePath + [Names.validFrom],
             certificatePath + [Names.validUntil], certificatePath + [Names.data]:
            certificate[name] = value
        case certificatePath:
            guard let parsed = parsedCertificate(parser) else { return }
            keyCertificates.append(parsed)
        case keyPath:
            keys.append(HeadCA.Key(identifier: keyIdentifier, crlURLs: keyURLs, certificates: keyCertificates))
        case [Names.authority]:
            finishAuthority(parser)
        default:
            break
        }
    }

    /// The path below the root element.
    private var relative: [String] { Array(path.dropFirst()) }

    private func statusEntry(_ parser: XMLParser) -> HeadCA.AccreditationStatus? {
        let where_ = "\(Names.status) of \(fields[Names.name] ?? "a CA")"
        guard let kindText = status[Names.statusKind], let kind = HeadCA.AccreditationStatus.Kind(rawValue: kindText) else {
            fail(parser, "\(where_): \(Names.statusKind) must be one of "
                 + HeadCA.AccreditationStatus.Kind.allCases.map(\.rawValue).joined(separator: ", ")
                 + ", got \(status[Names.statusKind] ?? "nothing")")
            return nil
        }
        guard let fromText = status[Names.statusFrom], let from = HeadCA.parseDate(fromText) else {
            fail(parser, "\(where_): \(Names.statusFrom) is missing or not an ISO 8601 date")
            return nil
        }
        var until: Date? = nil
        if let untilText = status[Names.statusUntil], !untilText.isEmpty {
            guard let parsed = HeadCA.parseDate(untilText) else {
                fail(parser, "\(where_): \(Names.statusUntil) is not an ISO 8601 date: \(untilText)")
                return nil
            }
            until = parsed
        }
        return HeadCA.AccreditationStatus(kind: kind, from: from, until: until)
    }

    private func parsedCertificate(_ parser: XMLParser) -> Certificate? {
        let owner = fields[Names.name] ?? "a CA"
        let base64 = (certificate[Names.data] ?? "").filter { !$0.isWhitespace }
        guard !base64.isEmpty, let data = Data(base64Encoded: base64) else {
            fail(parser, "a certificate of \(owner): \(Names.data) is missing or not base64")
            return nil
        }
        let parsed: Certificate
        do {
            parsed = try Certificate(der: [UInt8](data))
        } catch {
            fail(parser, "a certificate of \(owner) does not parse: \(error)")
            return nil
        }
        if let thumbprint = certificate[Names.thumbprint], !thumbprint.isEmpty {
            let given = thumbprint.filter { !$0.isWhitespace && $0 != ":" }.uppercased()
            guard given == parsed.sha1ThumbprintHex else {
                fail(parser, "a certificate of \(owner): \(Names.thumbprint) \(given) is not its SHA-1 (\(parsed.sha1ThumbprintHex))")
                return nil
            }
        }
        if let serial = certificate[Names.serial], !serial.isEmpty {
            func normal(_ text: String) -> String { String(text.filter { !$0.isWhitespace && $0 != ":" }.lowercased().drop { $0 == "0" }) }
            guard normal(serial) == normal(parsed.serialNumberHex) else {
                fail(parser, "a certificate of \(owner): \(Names.serial) \(serial) is not its serial number")
                return nil
            }
        }
        for field in [Names.validFrom, Names.validUntil] {
            if let text = certificate[field], !text.isEmpty, HeadCA.parseDate(text) == nil {
                fail(parser, "a certificate of \(owner): \(field) is not an ISO 8601 date: \(text)")
                return nil
            }
        }
        return parsed
    }

    private func finishAuthority(_ parser: XMLParser) {
        guard let name = fields[Names.name], !name.isEmpty else {
            return fail(parser, "a \(Names.authority) has no \(Names.name)")
        }
        guard let current else { return fail(parser, "\(name) has no \(Names.status)") }
        authorities.append(HeadCA.Authority(name: name, registryNumber: fields[Names.registryNumber] ?? "", ogrn: fields[Names.ogrn] ?? "",
                                            inn: fields[Names.inn] ?? "", status: current, history: history, keys: keys))
    }

    private func fail(_ parser: XMLParser, _ message: String) {
        guard problem == nil else { return }
        problem = "line \(parser.lineNumber): \(message)"
        parser.abortParsing()
    }
}
