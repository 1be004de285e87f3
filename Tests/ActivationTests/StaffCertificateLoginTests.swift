@testable import Activation
import Audit
import Citizens
import Foundation
import Storage
import Support
import Testing

/// Staff logging in to the console with a qualified certificate whose SNILS is on their record.
@Suite struct StaffCertificateLoginTests {
    static func certificate(_ f: StaffFixture, snils: String = "11223344595") -> CertificateIdentity {
        CertificateIdentity(snils: snils, inn: nil, surname: "Иванов", givenNames: "Иван Иванович", commonName: "Иванов Иван Иванович",
                            certificateSHA1: String(repeating: "cd", count: 20), issuer: "CN=Test Accredited CA,O=Test,C=RU",
                            serial: "7F01", notAfter: f.clock.now().addingTimeInterval(86400 * 365))
    }

    @Test func aStaffMemberWithTheSNILSOnRecordLogsIn() throws {
        try withStaffFixture { f in
            let (member, _) = try f.add("ivan", .operator, centre: "MSK-001", snils: "112-233-445 95")
            let login = try f.staff.loginWithCertificate(Self.certificate(f), source: StaffFixture.source)
            #expect(login.member == member)
            #expect(login.session.authenticationMethod == "signature" && login.session.subject == member.subject)
            #expect(try f.staff.member(sessionToken: login.sessionToken) == member)
            let succeeded = try #require(try f.records("staff.login.succeeded").last)
            #expect(succeeded.event.actor == member.subject && succeeded.event.sourceAddress == "192.0.2.10")
            #expect(succeeded.event.details["method"] == "signature" && succeeded.event.details["centre"] == "MSK-001")
            #expect(succeeded.event.details["certificate"] == String(repeating: "cd", count: 20) && succeeded.event.details["serial"] == "7F01")
            #expect(!succeeded.event.details.values.contains { $0.contains("11223344595") })
            // The TOTP step is untouched: the signature was the second factor.
            #expect(try f.database.read { try $0.queryOne("SELECT totp_last_step FROM staff")!.optionalInt64(0) } == nil)
        }
    }

    @Test func aDisabledAccountIsRefused() throws {
        try withStaffFixture { f in
            let (member, _) = try f.add("ivan", .operator, centre: "MSK-001", snils: "112-233-445 95")
            try f.staff.disable(staffID: member.id, by: .commandLine)
            #expect(f.staffError { _ = try f.staff.loginWithCertificate(Self.certificate(f), source: StaffFixture.source) } == .disabled)
            let failed = try #require(try f.records("staff.login.failed").last)
            #expect(failed.event.subject == member.subject && failed.event.details["reason"] == "disabled")
            #expect(try f.sessions.list(subject: member.subject).isEmpty)
        }
    }

    @Test func aSNILSNotOnAnyRecordIsRefused() throws {
        try withStaffFixture { f in
            try f.add("ivan", .operator, centre: "MSK-001")  // no SNILS on record
            try f.add("olga", .operator, centre: "MSK-001", snils: "123-456-789 64")
            #expect(f.staffError { _ = try f.staff.loginWithCertificate(Self.certificate(f), source: StaffFixture.source) }
                    == .noStaffForCertificate)
            let failed = try #require(try f.records("staff.login.failed").last)
            #expect(failed.event.subject == nil && failed.event.details["reason"] == "unknown-snils")
            #expect(f.staffError { _ = try f.staff.loginWithCertificate(Self.certificate(f, snils: "11223344596"), source: StaffFixture.source) }
                    == .invalid([FieldError(field: "snils", code: .badChecksum)]))
            #expect(try f.records("staff.login.succeeded").isEmpty)
        }
    }
}
