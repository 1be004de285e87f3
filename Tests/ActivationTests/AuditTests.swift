@testable import Activation
import Audit
import Citizens
import Foundation
import Storage
import Support
import Testing

@Test func noCodeReachesTheAuditLogOrTheLogs() throws {
    try withHarness { h in
        var issued: [String] = []
        let a = try h.standardCitizen()
        let b = try h.standardCitizen()
        let c = try h.standardCitizen()
        issued.append(try h.service.issueCentreCode(citizenID: a, staff: "staff:1", centre: "centre:1", source: home).code)
        issued.append(try h.service.issueCentreCode(citizenID: a, staff: "staff:1", centre: "centre:1", source: home).code)
        _ = try h.service.requestLetter(citizenID: b, source: home)
        _ = try h.service.requestLetter(citizenID: c, source: home)
        let batch = try #require(try h.service.exportBatch(outputDirectory: h.directory.appendingPathComponent("out").path))
        let text = try String(contentsOfFile: batch.csvFile, encoding: .utf8)
        issued += text.components(separatedBy: "\r\n").dropFirst().filter { !$0.isEmpty }.map { String($0.split(separator: ",", omittingEmptySubsequences: false)[9]) }
        #expect(issued.count == 4)
        try? h.service.enterCode(citizenID: b, code: "2222-2222-2222", source: home)
        h.clock.advance(by: 60)
        try h.service.enterCode(citizenID: b, code: issued[2], source: home)
        try h.service.enterCode(citizenID: a, code: issued[1].lowercased(), source: home)

        #expect(try h.audit.verify(database: h.database) == .intact(records: Int64(try h.auditKinds().count)))
        let records = try h.auditText().joined(separator: "\n")
        let logs = h.log.lines.joined(separator: "\n")
        for code in issued {
            let bare = code.replacingOccurrences(of: "-", with: "")
            for form in [code, bare, bare.lowercased()] {
                #expect(!records.contains(form))
                #expect(!logs.contains(form))
            }
            let hits = try h.database.read { db in
                try db.queryOne("SELECT COUNT(*) FROM audit_log WHERE details LIKE ? OR details LIKE ?", [.text("%\(code)%"), .text("%\(bare)%")])!.int(0)
            }
            #expect(hits == 0)
        }
        #expect(logs.contains("letters exported"))
        for kind in ["activation.code.issued", "activation.code.used", "activation.code.failed", "activation.code.invalidated",
                     "activation.letter.requested", "activation.letter.printed", "activation.batch.started", "activation.batch.completed"] {
            #expect(try h.auditKinds().contains(kind), "missing \(kind)")
        }
    }
}

@Test func auditRecordsNameActorSubjectAndSource() throws {
    try withHarness { h in
        let citizen = try h.standardCitizen()
        _ = try h.service.issueCentreCode(citizenID: citizen, staff: "staff:9", centre: "centre:4", source: RequestSource(address: "203.0.113.5"))
        let record = try #require(try h.database.read { db in
            try h.audit.records(subject: "citizen:\(citizen)", limit: 1, using: db).first
        })
        #expect(record.event.kind == "activation.code.issued" && record.event.actor == "staff:9")
        #expect(record.event.sourceAddress == "203.0.113.5" && record.event.details["centre"] == "centre:4")
        #expect(record.event.details["channel"] == "centre" && record.event.details["code"] != nil)
    }
}
