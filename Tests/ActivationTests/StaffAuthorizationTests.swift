@testable import Activation
import Audit
import Citizens
import Crypto
import Foundation
import Storage
import Support
import Testing

private func member(_ id: Int64, _ role: StaffRole, _ centre: String?, disabled: Bool = false) -> StaffMember {
    StaffMember(id: id, login: "m\(id)", displayName: "M\(id)", role: role, centreID: centre, createdAt: Date(timeIntervalSince1970: 0),
                disabledAt: disabled ? Date(timeIntervalSince1970: 1) : nil, hasSNILS: false)
}

@Suite struct StaffAuthorizationTests {
    let admin = member(1, .serviceAdmin, nil)
    let mskAdmin = member(2, .centreAdmin, "MSK-001")
    let mskOperator = member(3, .operator, "MSK-001")
    let spbAdmin = member(4, .centreAdmin, "SPB-001")
    let spbOperator = member(5, .operator, "SPB-001")
    let otherAdmin = member(6, .serviceAdmin, nil)

    @Test func whoMayManageWhom() {
        let everyone = [admin, mskAdmin, mskOperator, spbAdmin, spbOperator, otherAdmin]
        // Rows: actor; columns: targets in `everyone` order.
        let expected: [[Bool]] = [
            [true, true, true, true, true, true],          // service admin: anyone
            [false, false, true, false, false, false],     // MSK centre admin: MSK operators only
            [false, false, false, false, false, false],    // MSK operator: nobody
            [false, false, false, false, true, false],     // SPB centre admin: SPB operators only
            [false, false, false, false, false, false],    // SPB operator: nobody
            [true, true, true, true, true, true],          // another service admin
        ]
        for (row, actor) in everyone.enumerated() {
            #expect(everyone.map { StaffAuthorization.canManage(actor: actor, target: $0) } == expected[row], "actor \(actor.login)")
        }
        // A disabled actor manages nobody.
        #expect(!StaffAuthorization.canManage(actor: member(1, .serviceAdmin, nil, disabled: true), target: mskOperator))
    }

    @Test func whoMayCreateWhat() {
        #expect(StaffAuthorization.canCreate(actor: admin, role: .serviceAdmin, centreID: nil))
        #expect(StaffAuthorization.canCreate(actor: admin, role: .centreAdmin, centreID: "SPB-001"))
        #expect(StaffAuthorization.canCreate(actor: mskAdmin, role: .operator, centreID: "MSK-001"))
        #expect(!StaffAuthorization.canCreate(actor: mskAdmin, role: .operator, centreID: "SPB-001"))
        #expect(!StaffAuthorization.canCreate(actor: mskAdmin, role: .centreAdmin, centreID: "MSK-001"))
        #expect(!StaffAuthorization.canCreate(actor: mskAdmin, role: .serviceAdmin, centreID: nil))
        #expect(!StaffAuthorization.canCreate(actor: mskOperator, role: .operator, centreID: "MSK-001"))
    }

    @Test func whoMayWorkAtACentre() {
        #expect(StaffAuthorization.canActOnCentre(actor: admin, centreID: "SPB-001"))
        #expect(StaffAuthorization.canActOnCentre(actor: mskOperator, centreID: "MSK-001"))
        // An operator of one centre cannot act at another, nor as its admin.
        #expect(!StaffAuthorization.canActOnCentre(actor: mskOperator, centreID: "SPB-001"))
        #expect(!StaffAuthorization.canActOnCentre(actor: mskAdmin, centreID: "SPB-001"))
        #expect(!StaffAuthorization.canActOnCentre(actor: member(3, .operator, "MSK-001", disabled: true), centreID: "MSK-001"))
        #expect(StaffAuthorization.canAdministerService(actor: admin))
        #expect(!StaffAuthorization.canAdministerService(actor: mskAdmin))
        #expect(!StaffAuthorization.canAdministerService(actor: mskOperator))
    }

    @Test func disableFollowsTheMatrixAndRecordsRefusals() throws {
        try withStaffFixture { f in
            let admin = try f.add("admin", .serviceAdmin).member
            let mskAdmin = try f.add("msk.admin", .centreAdmin, centre: "MSK-001").member
            let mskOp = try f.add("msk.op", .operator, centre: "MSK-001").member
            let mskOp2 = try f.add("msk.op2", .operator, centre: "MSK-001").member
            let spbAdmin = try f.add("spb.admin", .centreAdmin, centre: "SPB-001").member
            let spbOp = try f.add("spb.op", .operator, centre: "SPB-001").member
            let source = RequestSource(address: "203.0.113.9")
            func disable(_ target: StaffMember, by actor: StaffMember) -> StaffError? {
                f.staffError { try f.staff.disable(staffID: target.id, by: .staff(actor), source: source) }
            }

            #expect(disable(spbOp, by: mskAdmin) == .forbidden)       // another centre's operator
            #expect(disable(spbAdmin, by: mskAdmin) == .forbidden)    // another centre's admin
            #expect(disable(admin, by: mskAdmin) == .forbidden)       // any admin
            #expect(disable(mskOp2, by: mskOp) == .forbidden)         // operators manage nobody
            #expect(disable(mskAdmin, by: mskOp) == .forbidden)       // an operator cannot act as their own admin
            #expect(disable(mskAdmin, by: mskAdmin) == .forbidden)    // nobody disables themselves
            #expect(disable(admin, by: admin) == .forbidden)
            #expect(f.staffError { try f.staff.disable(staffID: 999, by: .staff(admin)) } == .notFound)
            #expect(try f.staff.members(visibleTo: admin).allSatisfy(\.isActive))

            try f.staff.disable(staffID: mskOp.id, by: .staff(mskAdmin), source: source)
            try f.staff.disable(staffID: spbAdmin.id, by: .staff(admin), source: source)
            #expect(try f.staff.member(id: mskOp.id)?.isActive == false)
            #expect(try f.staff.member(id: spbAdmin.id)?.disabledAt == f.clock.now())
            // Again: nothing changes and nothing more is recorded.
            try f.staff.disable(staffID: mskOp.id, by: .staff(mskAdmin), source: source)

            let disabled = try f.records("staff.disable")
            #expect(disabled.count == 2)
            #expect(disabled[0].event.actor == mskAdmin.subject && disabled[0].event.subject == mskOp.subject)
            #expect(disabled[0].event.details == ["role": "operator", "centre": "MSK-001"])
            #expect(disabled[0].event.sourceAddress == "203.0.113.9")
            let denied = try f.records("staff.denied")
            #expect(denied.count == 7)
            #expect(denied[0].event.actor == mskAdmin.subject && denied[0].event.subject == spbOp.subject)
            #expect(denied[0].event.details == ["action": "disable", "actorCentre": "MSK-001"])
            #expect(denied.allSatisfy { $0.event.sourceAddress == "203.0.113.9" })
            // The disabled centre admin can no longer manage their own operators.
            #expect(f.staffError { try f.staff.disable(staffID: spbOp.id, by: .staff(spbAdmin)) } == .forbidden)
            // The chain holds every record.
            if case .broken(let sequence, let reason) = try f.audit.verify(database: f.database) {
                Issue.record("audit chain broken at \(sequence): \(reason)")
            }
        }
    }

    @Test func resetTOTPReplacesTheSecretAndEndsSessions() throws {
        try withStaffFixture { f in
            let mskAdmin = try f.add("msk.admin", .centreAdmin, centre: "MSK-001").member
            let (op, oldSecret) = try f.add("msk.op", .operator, centre: "MSK-001")
            let spbAdmin = try f.add("spb.admin", .centreAdmin, centre: "SPB-001").member
            let session = try f.staff.login(login: "msk.op", password: StaffFixture.password, totpCode: f.code(oldSecret),
                                            source: StaffFixture.source)

            #expect(f.staffError { _ = try f.staff.resetTOTP(staffID: op.id, by: .staff(spbAdmin)) } == .forbidden)
            #expect(try f.staff.member(sessionToken: session.sessionToken) == op)

            let uri = try f.staff.resetTOTP(staffID: op.id, by: .staff(mskAdmin), source: StaffFixture.source)
            #expect(uri.hasPrefix("otpauth://totp/OpenESIA:msk.op?secret="))
            let newSecret = f.secret(of: uri)
            #expect(newSecret != oldSecret)
            #expect(try f.staff.member(sessionToken: session.sessionToken) == nil)
            let reset = try #require(try f.records("staff.totp.reset").first)
            #expect(reset.event.actor == mskAdmin.subject && reset.event.subject == op.subject && reset.event.details["centre"] == "MSK-001")

            // The stored step was cleared with the secret; the old secret's codes no longer work, the new one's do.
            f.clock.advance(by: 30)
            #expect(f.staffError { _ = try f.staff.authenticate(login: "msk.op", password: StaffFixture.password,
                                                                totpCode: f.code(oldSecret), source: StaffFixture.source) } == .wrongCredentials)
            _ = try f.staff.authenticate(login: "msk.op", password: StaffFixture.password, totpCode: f.code(newSecret), source: StaffFixture.source)

            // Staff may re-enrol their own authenticator; the command line may reset anyone's.
            _ = try f.staff.resetTOTP(staffID: op.id, by: .staff(op))
            _ = try f.staff.resetTOTP(staffID: spbAdmin.id, by: .commandLine)
            #expect(try f.records("staff.totp.reset").map(\.event.actor) == [mskAdmin.subject, op.subject, "operator"])
        }
    }

    @Test func membersAreListedWithinTheActorsReach() throws {
        try withStaffFixture { f in
            let admin = try f.add("admin", .serviceAdmin).member
            let mskAdmin = try f.add("msk.admin", .centreAdmin, centre: "MSK-001").member
            let mskOp = try f.add("msk.op", .operator, centre: "MSK-001").member
            try f.add("spb.op", .operator, centre: "SPB-001")
            #expect(try f.staff.members(visibleTo: admin).map(\.login) == ["admin", "msk.admin", "msk.op", "spb.op"])
            #expect(try f.staff.members(visibleTo: mskAdmin).map(\.login) == ["msk.admin", "msk.op"])
            #expect(try f.staff.members(visibleTo: mskOp).map(\.login) == ["msk.op"])
        }
    }
}
