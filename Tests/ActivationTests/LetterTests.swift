@testable import Activation
import Citizens
import Foundation
import Storage
import Support
import Testing

/// The codes of an exported CSV by letter id.
private func codes(in csvFile: String) throws -> [Int64: String] {
    let text = try String(contentsOfFile: csvFile, encoding: .utf8)
    var out = [Int64: String]()
    for line in text.components(separatedBy: "\r\n").dropFirst() where !line.isEmpty {
        let fields = line.split(separator: ",", omittingEmptySubsequences: false)
        out[Int64(fields[0])!] = String(fields[9])
    }
    return out
}

private func mode(_ path: String) throws -> Int {
    (try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber)?.intValue ?? -1
}

private func letterState(_ h: Harness, _ id: Int64) throws -> String? {
    try h.database.read { try $0.queryOne("SELECT state FROM letters WHERE id = ?", [.integer(id)])?.string(0) }
}

@Test func exportedLetterCodesConfirmAccounts() throws {
    try withHarness { h in
        let citizens = try (0..<3).map { _ in try h.standardCitizen() }
        var letters: [Int64: Int64] = [:]
        for citizen in citizens { letters[citizen] = try h.service.requestLetter(citizenID: citizen, source: home) }
        #expect(try h.service.status(citizenID: citizens[0]).letter?.state == .pending)
        #expect(try h.service.status(citizenID: citizens[0]).code == nil) // no code before export

        let out = h.directory.appendingPathComponent("out").path
        let batch = try #require(try h.service.exportBatch(outputDirectory: out))
        #expect(batch.letters == 3 && batch.voided.isEmpty && batch.requeued == 0)
        #expect(batch.csvFile == out + "/letters-\(batch.id).csv" && batch.htmlFile == out + "/letters-\(batch.id).html")
        #expect(try mode(batch.csvFile) == 0o600 && mode(batch.htmlFile) == 0o600)
        #expect(try FileManager.default.contentsOfDirectory(atPath: out).sorted()
            == ["letters-\(batch.id).csv", "letters-\(batch.id).html"])

        let printed = try codes(in: batch.csvFile)
        #expect(printed.count == 3)
        let html = try String(contentsOfFile: batch.htmlFile, encoding: .utf8)
        #expect(html.contains("@page { size: A4") && html.contains("page-break-after: always"))
        #expect(html.components(separatedBy: "<section class=\"letter\">").count == 4)
        for code in printed.values { #expect(html.contains(code)) }

        // Lifetime counts from the export.
        let status = try h.service.status(citizenID: citizens[0])
        #expect(status.letter?.state == .printed && status.code?.channel == .letter)
        #expect(status.letter?.codeExpiresAt == h.clock.now().addingTimeInterval(60 * 86_400))

        for citizen in citizens {
            try h.service.enterCode(citizenID: citizen, code: printed[letters[citizen]!]!, source: home)
            let profile = try h.citizens.profile(citizenID: citizen)
            #expect(profile.level == .confirmed && profile.evidence.method == "letter-code")
        }
        for id in letters.values { #expect(try letterState(h, id) == "printed") }
        // Nothing left: a second export takes nothing and writes nothing.
        #expect(try h.service.exportBatch(outputDirectory: out) == nil)
        #expect(try FileManager.default.contentsOfDirectory(atPath: out).count == 2)
    }
}

@Test func letterCodeExpiresSixtyDaysAfterExport() throws {
    try withHarness { h in
        let early = try h.standardCitizen()
        let late = try h.standardCitizen()
        _ = try h.service.requestLetter(citizenID: early, source: home)
        _ = try h.service.requestLetter(citizenID: late, source: home)
        h.clock.advance(by: 10 * 86_400) // waiting in the queue does not count
        let batch = try #require(try h.service.exportBatch(outputDirectory: h.directory.appendingPathComponent("out").path))
        let printed = Array(try codes(in: batch.csvFile).sorted { $0.key < $1.key }.map(\.value))
        h.clock.advance(by: 60 * 86_400 - 1)
        try h.service.enterCode(citizenID: early, code: printed[0], source: home)
        h.clock.advance(by: 1)
        #expect(activationError { try h.service.enterCode(citizenID: late, code: printed[1], source: home) } == .expiredCode)
        #expect(try h.level(early) == .confirmed && h.level(late) == .standard)
    }
}

@Test func lettersMoveOnlyForward() throws {
    try withHarness { h in
        let citizen = try h.standardCitizen()
        let letter = try h.service.requestLetter(citizenID: citizen, source: home)
        #expect(activationError { try h.service.markLetter(id: letter, state: .dispatched, trackingNumber: "10100012345678") }
            == .invalidTransition(from: .pending, to: .dispatched))
        _ = try h.service.exportBatch(outputDirectory: h.directory.appendingPathComponent("out").path)
        #expect(activationError { try h.service.markLetter(id: letter, state: .delivered, trackingNumber: nil) }
            == .invalidTransition(from: .printed, to: .delivered))
        #expect(activationError { try h.service.markLetter(id: letter, state: .dispatched, trackingNumber: nil) } == .invalidTrackingNumber)
        #expect(activationError { try h.service.markLetter(id: letter, state: .dispatched, trackingNumber: "12345") } == .invalidTrackingNumber)
        #expect(activationError { try h.service.markLetter(id: letter, state: .printed, trackingNumber: nil) }
            == .invalidTransition(from: .printed, to: .printed))
        #expect(activationError { try h.service.markLetter(id: 999, state: .delivered, trackingNumber: nil) } == .notFound)
        try h.service.markLetter(id: letter, state: .dispatched, trackingNumber: "ra123456785ru")
        let status = try h.service.status(citizenID: citizen)
        #expect(status.letter?.state == .dispatched && status.letter?.trackingNumber == "RA123456785RU")
        #expect(status.letter?.dispatchedAt == h.clock.now())
        #expect(activationError { try h.service.markLetter(id: letter, state: .delivered, trackingNumber: "RA123456785RU") }
            == .invalidTrackingNumber)
        try h.service.markLetter(id: letter, state: .delivered, trackingNumber: nil)
        #expect(activationError { try h.service.markLetter(id: letter, state: .returned, trackingNumber: nil) }
            == .invalidTransition(from: .delivered, to: .returned))
        #expect(activationError { try h.service.markLetter(id: letter, state: .dispatched, trackingNumber: "10100012345678") }
            == .invalidTransition(from: .delivered, to: .dispatched))
        let kinds = try h.auditKinds()
        #expect(kinds.contains("activation.letter.dispatched") && kinds.contains("activation.letter.delivered"))
        #expect(try !h.auditText().joined().contains("RA123456785RU"))
    }
}

@Test func aReturnedLetterInvalidatesItsCodeAndAllowsANewRequest() throws {
    try withHarness { h in
        let citizen = try h.standardCitizen()
        let letter = try h.service.requestLetter(citizenID: citizen, source: home)
        let out = h.directory.appendingPathComponent("out").path
        let first = try #require(try h.service.exportBatch(outputDirectory: out))
        let code = try #require(try codes(in: first.csvFile)[letter])
        try h.service.markLetter(id: letter, state: .dispatched, trackingNumber: "10100012345678")
        try h.service.markLetter(id: letter, state: .returned, trackingNumber: nil)
        #expect(activationError { try h.service.enterCode(citizenID: citizen, code: code, source: home) } == .noActiveCode)
        let status = try h.service.status(citizenID: citizen)
        #expect(status.letter?.state == .returned && status.code == nil && status.lastCodeEnded == "returned" && status.canRequest)

        let again = try h.service.requestLetter(citizenID: citizen, source: home)
        h.clock.advance(by: 1)
        let second = try #require(try h.service.exportBatch(outputDirectory: out))
        try h.service.enterCode(citizenID: citizen, code: try #require(try codes(in: second.csvFile)[again]), source: home)
        #expect(try h.level(citizen) == .confirmed)
    }
}

@Test func aNewRequestReplacesAnOrderNotYetPrinted() throws {
    try withHarness { h in
        let citizen = try h.standardCitizen()
        let first = try h.service.requestLetter(citizenID: citizen, source: home)
        let second = try h.service.requestLetter(citizenID: citizen, source: home)
        #expect(try letterState(h, first) == "cancelled")
        let batch = try #require(try h.service.exportBatch(outputDirectory: h.directory.appendingPathComponent("out").path))
        #expect(try batch.letters == 1 && Array(codes(in: batch.csvFile).keys) == [second])
    }
}

@Test func aCrashedExportIsReissuedByTheNext() throws {
    var settings = ActivationSettings()
    settings.exportPageSize = 2
    try withHarness(settings: settings) { h in
        let citizens = try (0..<5).map { _ in try h.standardCitizen() }
        for citizen in citizens { _ = try h.service.requestLetter(citizenID: citizen, source: home) }
        let out = h.directory.appendingPathComponent("out").path
        // Two pages (four letters) committed, then the process "dies".
        #expect(try h.service.exportBatch(outputDirectory: out, actor: "operator", stopAfterPages: 2) == nil)
        let partial = try FileManager.default.contentsOfDirectory(atPath: out).sorted()
        #expect(partial.count == 2 && partial.allSatisfy { $0.hasSuffix(".partial") })
        let stale = try codes(in: out + "/" + partial[0])
        #expect(stale.count == 4)
        // Every letter marked printed has its code in the (partial) file.
        let printed = try h.database.read { try $0.query("SELECT id FROM letters WHERE state = 'printed'").map { try $0.int64(0) } }
        #expect(Set(printed) == Set(stale.keys))

        // A second export at once refuses: the first might still be running.
        #expect(activationError { _ = try h.service.exportBatch(outputDirectory: out) } == .exportInProgress)
        h.clock.advance(by: 121)
        let batch = try #require(try h.service.exportBatch(outputDirectory: out))
        #expect(batch.letters == 5 && batch.requeued == 4)
        #expect(try FileManager.default.contentsOfDirectory(atPath: out).sorted() == ["letters-\(batch.id).csv", "letters-\(batch.id).html"])
        let fresh = try codes(in: batch.csvFile)
        for (index, citizen) in citizens.enumerated() {
            let letter = Int64(index + 1)
            if let old = stale[letter] {
                #expect(activationError { try h.service.enterCode(citizenID: citizen, code: old, source: home) } == .wrongCode(attemptsLeft: 4))
                h.clock.advance(by: 60)
            }
            try h.service.enterCode(citizenID: citizen, code: fresh[letter]!, source: home)
            #expect(try h.level(citizen) == .confirmed)
        }
        #expect(try h.auditKinds().filter { $0 == "activation.letter.requeued" }.count == 4)
    }
}

@Test func completedBatchFilesLeftPartialAreRenamed() throws {
    try withHarness { h in
        let citizen = try h.standardCitizen()
        _ = try h.service.requestLetter(citizenID: citizen, source: home)
        let out = h.directory.appendingPathComponent("out").path
        let batch = try #require(try h.service.exportBatch(outputDirectory: out))
        // As if the process died after committing the batch but before renaming its files.
        try FileManager.default.moveItem(atPath: batch.csvFile, toPath: batch.csvFile + ".partial")
        #expect(try h.service.exportBatch(outputDirectory: out) == nil)
        #expect(FileManager.default.fileExists(atPath: batch.csvFile))
    }
}

@Test func csvAndHTMLEscapeEveryValue() throws {
    let address = try JSONDecoder().decode(AddressData.self, from: Data("""
        {"postalCode": "101000", "region": "Москва", "city": "Москва, \\"центр\\"", "street": "=HYPERLINK(1)", "house": "1&2", "flat": "5"}
        """.utf8))
    let letter = PrintedLetter(letterID: 7, fullName: "Д'Артаньян <b>", address: address,
                               code: "K7QM-2XWD-9HTR", expiresAt: Date(timeIntervalSince1970: 1_800_000_000))
    var csv = [UInt8]()
    LetterCSV.row(letter, to: &csv)
    #expect(String(decoding: csv, as: UTF8.self)
        == "7,Д'Артаньян <b>,101000,Москва,\"Москва, \"\"центр\"\"\",'=HYPERLINK(1),1&2,,5,K7QM-2XWD-9HTR\r\n")
    var html = [UInt8]()
    LetterHTML.letter(letter, batchID: "b<1>", to: &html)
    let text = String(decoding: html, as: UTF8.self)
    #expect(text.contains("Д&#39;Артаньян &lt;b&gt;") && text.contains("1&amp;2") && text.contains("&quot;центр&quot;"))
    #expect(text.contains("партия b&lt;1&gt;") && !text.contains("<b>"))
    // 1_800_000_000 is 2027-01-15T08:00Z; the printed last full day is the day before.
    #expect(text.contains("по 14.01.2027 включительно"))
}

@Test func threeLettersPrintedInThirtyDaysAreTheLimit() throws {
    try withHarness { h in
        let citizen = try h.standardCitizen()
        let out = h.directory.appendingPathComponent("out").path
        for _ in 0..<3 {
            _ = try h.service.requestLetter(citizenID: citizen, source: home)
            h.clock.advance(by: 600)
            _ = try #require(try h.service.exportBatch(outputDirectory: out))
        }
        // A fourth letter would be paid for again: refused until the first printed one is 30 days old.
        let wait = 30 * 86_400 - 1_200
        #expect(activationError { _ = try h.service.requestLetter(citizenID: citizen, source: home) } == .letterLimit(retryAfterSeconds: wait))
        #expect(try letterCount(h, citizen) == 3)
        h.clock.advance(by: TimeInterval(wait))
        #expect(activationError { _ = try h.service.requestLetter(citizenID: citizen, source: home) } == nil)
        #expect(try letterCount(h, citizen) == 4)
    }
}

private func letterCount(_ h: Harness, _ citizen: Int64) throws -> Int {
    try h.database.read { try $0.queryOne("SELECT COUNT(*) FROM letters WHERE citizen_id = ?", [.integer(citizen)])!.int(0) }
}
