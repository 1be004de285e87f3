import Foundation
import PKI

extension HeadCA {
    /// The part of an e-trust trusted list (`АккредитованныеУдостоверяющиеЦентры`) the trust store reads;
    /// element by element in docs/headca.md.
    public struct TrustedList: Sendable {
        /// `Версия`: grows with every published list.
        public var version: Int
        /// `Дата`: when the list was published.
        public var date: Date?
        /// Every `УдостоверяющийЦентр`.
        public var authorities: [Authority]

        /// A list.
        public init(version: Int, date: Date?, authorities: [Authority]) {
            self.version = version
            self.date = date
            self.authorities = authorities
        }
    }

    /// An accreditation status entry (`СтатусАккредитации`).
    public struct AccreditationStatus: Sendable, Equatable {
        /// `Статус`.
        public enum Kind: String, Sendable, CaseIterable {
            /// "Действует": accredited.
            case active = "Действует"
            /// "Приостановлена": suspended.
            case suspended = "Приостановлена"
            /// "Прекращена": terminated.
            case terminated = "Прекращена"
        }

        /// What the status is.
        public var kind: Kind
        /// `ДействуетС`: since when.
        public var from: Date
        /// `ДействуетДо`: until when, if it ended or has an end.
        public var until: Date?

        /// A status entry.
        public init(kind: Kind, from: Date, until: Date? = nil) {
            self.kind = kind
            self.from = from
            self.until = until
        }
    }

    /// One CA (`УдостоверяющийЦентр`) of a trusted list.
    public struct Authority: Sendable {
        /// `Название`.
        public var name: String
        /// `РеестровыйНомер`.
        public var registryNumber: String
        /// `ОГРН`.
        public var ogrn: String
        /// `ИНН`.
        public var inn: String
        /// `СтатусАккредитации`: the current status.
        public var status: AccreditationStatus
        /// `ИсторияСтатусовАккредитации`: earlier statuses.
        public var history: [AccreditationStatus]
        /// `Ключ` elements of every `ПрограммноАппаратныйКомплекс`.
        public var keys: [Key]

        /// A CA.
        public init(name: String, registryNumber: String, ogrn: String, inn: String, status: AccreditationStatus,
                    history: [AccreditationStatus] = [], keys: [Key] = []) {
            self.name = name
            self.registryNumber = registryNumber
            self.ogrn = ogrn
            self.inn = inn
            self.status = status
            self.history = history
            self.keys = keys
        }

        /// The accreditation periods the statuses describe: every "Действует" entry, current or past, from
        /// `ДействуетС` until `ДействуетДо` (open when absent); when the current status is not "Действует", an
        /// open entry ends where the current status starts. Overlapping periods are joined.
        public var periods: [AccreditationPeriod] {
            var periods: [AccreditationPeriod] = []
            for entry in history + [status] where entry.kind == .active {
                var until = entry.until
                if until == nil && status.kind != .active { until = status.from }
                // An entry that "ends" before it starts adds nothing.
                if let end = until, end <= entry.from { continue }
                periods.append(AccreditationPeriod(from: entry.from, until: until))
            }
            return AccreditationPeriod.merged(periods)
        }

        /// When the accreditation was terminated: the current status is "Прекращена".
        public var terminatedAt: Date? { status.kind == .terminated ? status.from : nil }
    }

    /// One key of a CA (`Ключ`): its identifier, CRL addresses and certificates.
    public struct Key: Sendable {
        /// `ИдентификаторКлюча`: the subject key identifier in hex.
        public var identifier: String
        /// `АдресаСписковОтзыва/Адрес`.
        public var crlURLs: [String]
        /// `Сертификаты/ДанныеСертификата/Данные`, parsed.
        public var certificates: [Certificate]

        /// A key.
        public init(identifier: String, crlURLs: [String], certificates: [Certificate]) {
            self.identifier = identifier
            self.crlURLs = crlURLs
            self.certificates = certificates
        }
    }
}
