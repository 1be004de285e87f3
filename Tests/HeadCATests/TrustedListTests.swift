import Crypto
import Foundation
@testable import HeadCA
import PKI
import Testing

/// The trusted-list (TSL) subset: writer → reader round trip, and imports into the trust store.
@Suite struct TrustedListTests {
    let pki: TestHierarchy
    let treasury: (certificate: Certificate, key: PrivateKey)
    let kontur: (certificate: Certificate, key: PrivateKey)
    let closed: (certificate: Certificate, key: PrivateKey)
    let stranger: (certificate: Certificate, key: PrivateKey)

    init() throws {
        pki = try TestHierarchy()
        treasury = try pki.makeCA("Казначейство & Co")
        kontur = try pki.makeCA("Контур")
        closed = try pki.makeCA("Closed CA")
        stranger = try TestHierarchy(name: "Other Root").makeCA("Stranger CA")
    }

    private func entries(konturSuspendedAt: Date? = nil) -> [HeadCA.TrustedListWriter.Entry] {
        [
            .init(name: "Казначейство & Co", registryNumber: "1", ogrn: "1027739035490", inn: "7710568760",
                  periods: [AccreditationPeriod(from: base - 400 * day, until: base - 300 * day), AccreditationPeriod(from: base - 200 * day)],
                  crlURLs: ["http://crl.example/treasury.crl", "http://crl2.example/treasury.crl"], certificates: [treasury.certificate]),
            .init(name: "Контур", registryNumber: "2", ogrn: "1026605606620", inn: "6663003127",
                  periods: [AccreditationPeriod(from: base - 100 * day, until: konturSuspendedAt)],
                  crlURLs: ["http://crl.example/kontur.crl"], certificates: [kontur.certificate, stranger.certificate]),
            .init(name: "Closed CA", registryNumber: "3", ogrn: "", inn: "", periods: [AccreditationPeriod(from: base - 50 * day, until: base - 10 * day)],
                  terminatedAt: base - 10 * day, crlURLs: [], certificates: [closed.certificate]),
        ]
    }

    private func xml(version: Int, konturSuspendedAt: Date? = nil) -> [UInt8] {
        Array(HeadCA.TrustedListWriter.write(version: version, date: base - day, authorities: entries(konturSuspendedAt: konturSuspendedAt)).utf8)
    }

    @Test func writerAndReaderRoundTrip() throws {
        let list = try HeadCA.TrustedListReader.read(xml(version: 7, konturSuspendedAt: base - 5 * day))
        #expect(list.version == 7)
        #expect(list.date == base - day)
        #expect(list.authorities.map(\.name) == ["Казначейство & Co", "Контур", "Closed CA"])
        let written = entries(konturSuspendedAt: base - 5 * day)
        for (read, entry) in zip(list.authorities, written) {
            #expect(read.registryNumber == entry.registryNumber)
            #expect(read.ogrn == entry.ogrn)
            #expect(read.inn == entry.inn)
            #expect(read.periods == entry.periods)
            #expect(read.terminatedAt == entry.terminatedAt)
            #expect(read.keys.flatMap(\.certificates).map(\.derBytes) == entry.certificates.map(\.derBytes))
            #expect(Set(read.keys.flatMap(\.crlURLs)) == Set(entry.crlURLs))
        }
        #expect(list.authorities[0].status.kind == .active)
        #expect(list.authorities[1].status == HeadCA.AccreditationStatus(kind: .suspended, from: base - 5 * day))
        #expect(list.authorities[2].status.kind == .terminated)
        #expect(list.authorities[0].keys[0].identifier == treasury.certificate.subjectKeyIdentifierHex)
    }

    @Test func importANewVersion() throws {
        let harness = try Harness(roots: [pki.root])
        let report = try harness.accreditations.importTrustedList(xml(version: 5))
        #expect(report.applied)
        #expect(report.version == 5 && report.previousVersion == nil)
        #expect(report.authorities == 3)
        #expect(report.added == 3)
        #expect(report.crlURLs == 3)
        #expect(report.warnings.count == 1)
        #expect(report.warnings.first?.contains("not issued by a configured head CA root") == true)
        #expect(try harness.accreditations.trustedListVersion() == 5)

        let cas = try harness.accreditations.list()
        #expect(cas.map(\.thumbprint) == [treasury, kontur, closed].map(\.certificate.sha1ThumbprintHex))
        #expect(cas[0].name == "Казначейство & Co" && cas[0].registryNumber == "1")
        #expect(cas[0].periods.count == 2)
        #expect(cas[0].crlURLs == ["http://crl.example/treasury.crl", "http://crl2.example/treasury.crl"])
        #expect(cas[2].state(at: base) == .terminated)
        #expect(harness.crls.refreshURLs() == ["http://crl.example/treasury.crl", "http://crl2.example/treasury.crl",
                                               "http://crl.example/kontur.crl"])
        #expect(try harness.auditKinds() == ["headca.tsl.imported"])

        // The imported periods decide trust.
        let recent = try pki.makeLeaf(by: treasury, notBefore: base - 10 * day)
        let inGap = try pki.makeLeaf(by: treasury, notBefore: base - 250 * day)
        #expect(harness.store.verify(recent, at: base, revocation: .off).isTrusted)
        #expect(harness.store.verify(inGap, at: base, revocation: .off).codes == ["ca_not_accredited"])
        #expect(harness.store.verify(try pki.makeLeaf(by: closed, notBefore: base - 20 * day), at: base, revocation: .off).codes
            == ["ca_terminated"])
    }

    @Test func sameOrOlderVersionChangesNothing() throws {
        let harness = try Harness(roots: [pki.root])
        try harness.accreditations.importTrustedList(xml(version: 5))
        let state = try harness.tableState()
        for version in [5, 4] {
            let report = try harness.accreditations.importTrustedList(xml(version: version, konturSuspendedAt: base))
            #expect(!report.applied)
            #expect(report.previousVersion == 5)
            #expect(report.summary.contains("nothing changed"))
            #expect(try harness.tableState() == state)
        }
    }

    @Test func aNewerVersionReplacesPeriods() throws {
        let harness = try Harness(roots: [pki.root])
        try harness.accreditations.importTrustedList(xml(version: 5))
        let leaf = try pki.makeLeaf(by: kontur, notBefore: base - 10 * day)
        #expect(harness.store.verify(leaf, at: base, revocation: .off).isTrusted)
        let report = try harness.accreditations.importTrustedList(xml(version: 6, konturSuspendedAt: base - 5 * day))
        #expect(report.applied && report.updated == 3 && report.added == 0)
        #expect(harness.store.verify(leaf, at: base, revocation: .off).codes == ["ca_accreditation_ended"])
    }

    @Test func aCATerminatedHereIsLeftAlone() throws {
        let harness = try Harness(roots: [pki.root])
        try harness.accreditations.accredit(kontur.certificate, from: base - 100 * day)
        try harness.accreditations.terminate(.id(1))
        let report = try harness.accreditations.importTrustedList(xml(version: 1))
        #expect(report.applied)
        #expect(report.warnings.contains { $0.contains("terminated in this store") })
        #expect(try harness.accreditations.list().first { $0.id == 1 }?.state(at: base) == .terminated)
    }

    @Test(arguments: Damage.allCases)
    func aBadListChangesNothing(_ damage: Damage) throws {
        let name = "\(damage)"
        let harness = try Harness(roots: [pki.root])
        try harness.accreditations.importTrustedList(xml(version: 5))
        let state = try harness.tableState()
        let bad = damage.apply(String(decoding: xml(version: 6, konturSuspendedAt: base), as: UTF8.self))
        guard case .invalidTrustedList(let reason)? = headCAError({ try harness.accreditations.importTrustedList(Array(bad.utf8)) }) else {
            Issue.record("\(name): not refused")
            return
        }
        #expect(!reason.isEmpty)
        #expect(try harness.tableState() == state, "\(name)")
    }
}

/// Ways to spoil a trusted list.
enum Damage: CaseIterable, Sendable {
    case unparseable, cutShort, noVersion, versionNotANumber, badBase64, certificateDoesNotParse, wrongThumbprint, unknownStatus, badDate, wrongRoot

    func apply(_ xml: String) -> String {
        switch self {
        case .unparseable: xml.replacingOccurrences(of: "</Название>", with: "</Имя>")
        case .cutShort: String(xml.dropLast(40))
        case .noVersion: xml.replacingOccurrences(of: "<Версия>6</Версия>", with: "")
        case .versionNotANumber: xml.replacingOccurrences(of: "<Версия>6</Версия>", with: "<Версия>six</Версия>")
        case .badBase64: replacingFirst(in: xml, element: "Данные", with: "%%%notbase64%%%")
        case .certificateDoesNotParse: replacingFirst(in: xml, element: "Данные", with: "AAECAwQF")
        case .wrongThumbprint: replacingFirst(in: xml, element: "Отпечаток", with: String(repeating: "0", count: 40))
        case .unknownStatus: replacingFirst(in: xml, element: "Статус", with: "Неизвестно")
        case .badDate: replacingFirst(in: xml, element: "ДействуетС", with: "вчера")
        case .wrongRoot: xml.replacingOccurrences(of: "АккредитованныеУдостоверяющиеЦентры", with: "Список")
        }
    }
}

/// `xml` with the text of the first `<element>` replaced.
private func replacingFirst(in xml: String, element: String, with value: String) -> String {
    guard let start = xml.range(of: "<\(element)>"), let end = xml.range(of: "</\(element)>", range: start.upperBound..<xml.endIndex) else {
        return xml
    }
    return xml.replacingCharacters(in: start.upperBound..<end.lowerBound, with: value)
}
