@testable import Federation
import Foundation
import Storage
import Testing

@Suite struct ESIAStateLedgerTests {
    let a = "f918e3be-664e-45db-b5a2-adbf5d6ae3f6"
    let b = "b7062082-5493-409b-b51b-c7f788136a1c"
    let now = Date(timeIntervalSince1970: 1_800_000_000)

    /// A migrated database in a temporary folder.
    func withDatabase(_ body: (Database) throws -> Void) throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("esia-states-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let database = try Database(path: directory.appendingPathComponent("test.sqlite").path)
        defer { database.close() }
        try database.migrate(ESIAMigrations.all)
        try body(database)
    }

    func use(_ ledger: ESIAStateLedger, _ database: Database, _ state: String, _ kind: ESIARequestKind, own: String? = nil,
             at time: Date? = nil) throws {
        let time = time ?? now
        try database.write { db in try ledger.use(state, kind: kind, clientID: "INSP03211", ownAuthorizationState: own, now: time, using: db) }
    }

    @Test func statesMustBeUUIDs() throws {
        #expect(try ESIAStateLedger.normalise("F918E3BE-664E-45DB-B5A2-ADBF5D6AE3F6") == a)
        #expect(throws: ESIAError(.missingParameter, "")) { try ESIAStateLedger.normalise(nil) }
        #expect(throws: ESIAError(.missingParameter, "")) { try ESIAStateLedger.normalise("") }
        for bad in ["SOME-STATE", "f918e3be664e45dbb5a2adbf5d6ae3f6", "f918e3be-664e-45db-b5a2-adbf5d6ae3fg", "{\(a)}",
                    "f918e3be-664e-45db-b5a2_adbf5d6ae3f6"] {
            #expect(throws: ESIAError(.invalidParameter, ""), "\(bad)") { try ESIAStateLedger.normalise(bad) }
        }
    }

    @Test func aStateServesOneRequestOfEachKind() throws {
        try withDatabase { database in
            let ledger = ESIAStateLedger()
            try use(ledger, database, a, .authorization)
            #expect(throws: ESIAError(.invalidParameter, "")) { try use(ledger, database, a, .authorization) }
            // The token request for this authorization's code may carry its state (esia-connector, fr05t1k)…
            try use(ledger, database, a, .token, own: a)
            // …once.
            #expect(throws: ESIAError(.invalidParameter, "")) { try use(ledger, database, a, .token, own: a) }
            // A fresh state in a token request, then the same in another token request: refused.
            try use(ledger, database, b, .token)
            let error = #expect(throws: ESIAError.self) { try use(ledger, database, b, .token) }
            #expect(error?.errorDescription.hasPrefix("ESIA-007003: state was already used") == true)
        }
    }

    @Test func aTokenRequestMayNotTakeAnotherAuthorizationsState() throws {
        try withDatabase { database in
            let ledger = ESIAStateLedger()
            try use(ledger, database, a, .authorization)
            try use(ledger, database, b, .authorization)
            // Exchanging the code of authorization `b` with the state of authorization `a`; or a refresh with it.
            #expect(throws: ESIAError(.invalidParameter, "")) { try use(ledger, database, a, .token, own: b) }
            #expect(throws: ESIAError(.invalidParameter, "")) { try use(ledger, database, a, .token, own: nil) }
            // Nothing was recorded by the refusals: the right exchange still works.
            try use(ledger, database, a, .token, own: a)
        }
    }

    @Test func statesArePurgedAfterTheirRetention() throws {
        try withDatabase { database in
            let ledger = ESIAStateLedger(retention: 3_600)
            try use(ledger, database, a, .authorization)
            try use(ledger, database, b, .token, at: now.addingTimeInterval(1_800))
            #expect(try database.write { try ledger.purge(now: now.addingTimeInterval(3_599), using: $0) } == 0)
            #expect(try database.write { try ledger.purge(now: now.addingTimeInterval(3_601), using: $0) } == 1)
            try use(ledger, database, a, .authorization, at: now.addingTimeInterval(3_601))
            #expect(throws: ESIAError(.invalidParameter, "")) { try use(ledger, database, b, .token, at: now.addingTimeInterval(3_601)) }
            // Retention never drops below the ten minutes an authorization may take.
            #expect(ESIAStateLedger(retention: 1).retention == 600)
        }
    }
}
