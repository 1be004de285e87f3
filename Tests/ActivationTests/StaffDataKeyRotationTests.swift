@testable import Activation
import Citizens
import Crypto
import Storage
import Testing

@Suite struct StaffDataKeyRotationTests {
    @Test func rotationReSealsTOTPSecretsAndSNILSUnderTheNewKey() throws {
        try withStaffFixture { f in
            let (ivan, secret) = try f.add("ivan", .operator, centre: "MSK-001", snils: "112-233-445 95")
            let (olga, _) = try f.add("olga", .operator, centre: "MSK-001")
            let k1 = try #require(f.vault.keys.key(id: "k1"))
            let k2 = SymmetricKey.random()
            let vault = PersonalDataVault(keys: try DataKeyRing(currentID: "k2", keys: ["k1": k1, "k2": k2]), indexKey: .random())
            let rotated = StaffDirectory(database: f.database, vault: vault, audit: f.audit, sessions: f.sessions,
                                         throttle: LoginThrottle(database: f.database, clock: f.clock), hashKey: .random(), clock: f.clock)
            #expect(try rotated.resealSecrets() == 2)
            for id in [ivan.id, olga.id] {
                let row = try #require(try f.database.read { try StaffDirectory.row(id: id, $0) })
                #expect(row.totpKeyID == "k2")
                // Only the new key opens it now.
                let opened = try AESGCM.open(row.totpSecretSealed, key: k2, associatedData: StaffDirectory.totpContext(id))
                if id == ivan.id { #expect(opened == secret) }
                #expect(throws: (any Error).self) { try AESGCM.open(row.totpSecretSealed, key: k1, associatedData: StaffDirectory.totpContext(id)) }
            }
            let ivanRow = try #require(try f.database.read { try StaffDirectory.row(id: ivan.id, $0) })
            #expect(ivanRow.snilsKeyID == "k2")
            #expect(try rotated.snils(staffID: ivan.id) == "11223344595")
            #expect(try rotated.resealSecrets() == 0)
            #expect(try f.records("keys.data-rotated").count == 1)
        }
    }
}
