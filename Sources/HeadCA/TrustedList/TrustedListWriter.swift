import Foundation
import PKI

extension HeadCA {
    /// Writes a trusted list in exactly the subset `TrustedListReader` reads, for examples and tests
    /// (docs/examples/tsl-example.xml is made with it).
    public enum TrustedListWriter {
        /// One CA of the list.
        public struct Entry: Sendable {
            /// `Название`.
            public var name: String
            /// `РеестровыйНомер`.
            public var registryNumber: String
            /// `ОГРН`.
            public var ogrn: String
            /// `ИНН`.
            public var inn: String
            /// The accreditation periods; the last one becomes the current status.
            public var periods: [AccreditationPeriod]
            /// When set, the current status is "Прекращена" from this time and every period goes to the history.
            public var terminatedAt: Date?
            /// CRL addresses, listed under every key.
            public var crlURLs: [String]
            /// The CA's certificates, grouped into keys by subject key identifier.
            public var certificates: [Certificate]

            /// An entry.
            public init(name: String, registryNumber: String, ogrn: String, inn: String, periods: [AccreditationPeriod],
                        terminatedAt: Date? = nil, crlURLs: [String], certificates: [Certificate]) {
                self.name = name
                self.registryNumber = registryNumber
                self.ogrn = ogrn
                self.inn = inn
                self.periods = periods
                self.terminatedAt = terminatedAt
                self.crlURLs = crlURLs
                self.certificates = certificates
            }
        }

        /// The list as UTF-8 XML text.
        ///
        /// Statuses: a terminated CA is "Прекращена" with all periods in the history; otherwise, when the last
        /// period is open or ends after `date`, it is the current "Действует" status and the earlier ones are the
        /// history; when it ended by `date`, the CA is "Приостановлена" from that end, all periods in the history.
        public static func write(version: Int, date: Date, authorities: [Entry]) -> String {
            var out = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<\(Names.root)>\n"
            out += element(Names.version, String(version), indent: 1)
            out += element(Names.date, ISODate.format(date), indent: 1)
            for entry in authorities {
                out += "  <\(Names.authority)>\n"
                out += element(Names.name, entry.name, indent: 2)
                out += element(Names.registryNumber, entry.registryNumber, indent: 2)
                out += element(Names.ogrn, entry.ogrn, indent: 2)
                out += element(Names.inn, entry.inn, indent: 2)
                let (current, history) = statuses(entry, date: date)
                out += status(current, indent: 2)
                if !history.isEmpty {
                    out += "    <\(Names.history)>\n"
                    for item in history { out += status(item, indent: 3) }
                    out += "    </\(Names.history)>\n"
                }
                out += "    <\(Names.complexes)>\n      <\(Names.complex)>\n        <\(Names.keys)>\n"
                for (identifier, certificates) in keys(entry.certificates) {
                    out += "          <\(Names.key)>\n"
                    out += element(Names.keyIdentifier, identifier, indent: 6)
                    out += "            <\(Names.crlAddresses)>\n"
                    for url in entry.crlURLs { out += element(Names.address, url, indent: 7) }
                    out += "            </\(Names.crlAddresses)>\n"
                    out += "            <\(Names.certificates)>\n"
                    for certificate in certificates {
                        out += "              <\(Names.certificate)>\n"
                        out += element(Names.thumbprint, certificate.sha1ThumbprintHex, indent: 8)
                        out += element(Names.serial, certificate.serialNumberHex.uppercased(), indent: 8)
                        out += element(Names.validFrom, ISODate.format(certificate.notBefore), indent: 8)
                        out += element(Names.validUntil, ISODate.format(certificate.notAfter), indent: 8)
                        out += element(Names.data, Data(certificate.derBytes).base64EncodedString(), indent: 8)
                        out += "              </\(Names.certificate)>\n"
                    }
                    out += "            </\(Names.certificates)>\n"
                    out += "          </\(Names.key)>\n"
                }
                out += "        </\(Names.keys)>\n      </\(Names.complex)>\n    </\(Names.complexes)>\n"
                out += "  </\(Names.authority)>\n"
            }
            return out + "</\(Names.root)>\n"
        }

        private static func statuses(_ entry: Entry, date: Date) -> (AccreditationStatus, [AccreditationStatus]) {
            let periods = AccreditationPeriod.merged(entry.periods)
            let active = periods.map { AccreditationStatus(kind: .active, from: $0.from, until: $0.until) }
            if let terminatedAt = entry.terminatedAt {
                return (AccreditationStatus(kind: .terminated, from: terminatedAt), active)
            }
            guard let last = periods.last else { return (AccreditationStatus(kind: .suspended, from: date), []) }
            if let until = last.until, until <= date {
                return (AccreditationStatus(kind: .suspended, from: until), active)
            }
            return (active.last!, Array(active.dropLast()))
        }

        /// Certificates grouped by subject key identifier (the thumbprint stands in when there is none), in order.
        private static func keys(_ certificates: [Certificate]) -> [(String, [Certificate])] {
            var order: [String] = []
            var groups: [String: [Certificate]] = [:]
            for certificate in certificates {
                let identifier = certificate.subjectKeyIdentifierHex ?? certificate.sha1ThumbprintHex
                if groups[identifier] == nil { order.append(identifier) }
                groups[identifier, default: []].append(certificate)
            }
            return order.map { ($0, groups[$0]!) }
        }

        private static func status(_ status: AccreditationStatus, indent: Int) -> String {
            let pad = String(repeating: "  ", count: indent)
            var out = "\(pad)<\(Names.status)>\n"
            out += element(Names.statusKind, status.kind.rawValue, indent: indent + 1)
            out += element(Names.statusFrom, ISODate.format(status.from), indent: indent + 1)
            if let until = status.until { out += element(Names.statusUntil, ISODate.format(until), indent: indent + 1) }
            return out + "\(pad)</\(Names.status)>\n"
        }

        private static func element(_ name: String, _ value: String, indent: Int) -> String {
            String(repeating: "  ", count: indent) + "<\(name)>\(escaped(value))</\(name)>\n"
        }

        private static func escaped(_ text: String) -> String {
            var out = ""
            out.reserveCapacity(text.utf8.count)
            for character in text {
                switch character {
                case "&": out += "&amp;"
                case "<": out += "&lt;"
                case ">": out += "&gt;"
                case "\"": out += "&quot;"
                case "'": out += "&apos;"
                default: out.append(character)
                }
            }
            return out
        }
    }
}
