@testable import Federation
import Foundation
import Testing

@Suite struct ClientSecretTests {
    @Test func theRightSecretMatchesAndOthersDoNot() throws {
        try withHarness { h in
            let secret = try #require(try h.registry.add(draft(), actor: "operator").secret)
            #expect(h.registry.verifySecret(clientID: "portal-1", presented: secret))
            #expect(!h.registry.verifySecret(clientID: "portal-1", presented: ClientSecret.generate()))
            #expect(!h.registry.verifySecret(clientID: "portal-1", presented: ""))
            #expect(!h.registry.verifySecret(clientID: "portal-1", presented: String(secret.dropLast())))
            #expect(!h.registry.verifySecret(clientID: "portal-1", presented: secret + String(repeating: "A", count: 300)))
            // Client ids are exact: the same secret under another spelling of the id is no match.
            #expect(!h.registry.verifySecret(clientID: "PORTAL-1", presented: secret))
            #expect(!h.registry.verifySecret(clientID: "nobody", presented: secret))
        }
    }

    @Test func anotherPortalsSecretDoesNotMatch() throws {
        try withHarness { h in
            let first = try #require(try h.registry.add(draft("portal-1"), actor: "operator").secret)
            let second = try #require(try h.registry.add(draft("portal-2"), actor: "operator").secret)
            #expect(!h.registry.verifySecret(clientID: "portal-1", presented: second))
            #expect(!h.registry.verifySecret(clientID: "portal-2", presented: first))
            // The client id is in the MAC input: one secret hashes differently for two portals.
            #expect(ClientSecret.hash(clientID: "portal-1", secret: first, key: h.secretKey)
                != ClientSecret.hash(clientID: "portal-2", secret: first, key: h.secretKey))
        }
    }

    @Test func rotationWithoutGraceEndsTheOldSecretAtOnce() throws {
        try withHarness { h in
            let old = try #require(try h.registry.add(draft(), actor: "operator").secret)
            h.clock.advance(by: 10)
            let rotation = try h.registry.rotateSecret(clientID: "portal-1", actor: "operator")
            #expect(rotation.secret != old)
            #expect(rotation.portal.secretRotatedAt == h.clock.now())
            #expect(rotation.portal.previousSecretExpiresAt == nil)
            #expect(h.registry.verifySecret(clientID: "portal-1", presented: rotation.secret))
            #expect(!h.registry.verifySecret(clientID: "portal-1", presented: old))
        }
    }

    @Test func aGracePeriodKeepsTheOldSecretWorkingUntilItEnds() throws {
        try withHarness { h in
            let old = try #require(try h.registry.add(draft(), actor: "operator").secret)
            let rotation = try h.registry.rotateSecret(clientID: "portal-1", graceSeconds: 600, actor: "operator")
            #expect(rotation.portal.previousSecretExpiresAt == h.clock.now().addingTimeInterval(600))
            #expect(h.registry.verifySecret(clientID: "portal-1", presented: old))
            #expect(h.registry.verifySecret(clientID: "portal-1", presented: rotation.secret))
            h.clock.advance(by: 599)
            #expect(h.registry.verifySecret(clientID: "portal-1", presented: old))
            h.clock.advance(by: 1)
            #expect(!h.registry.verifySecret(clientID: "portal-1", presented: old))
            #expect(h.registry.verifySecret(clientID: "portal-1", presented: rotation.secret))
        }
    }

    @Test func onlyTheNewestOldSecretLingers() throws {
        try withHarness { h in
            let first = try #require(try h.registry.add(draft(), actor: "operator").secret)
            let second = try h.registry.rotateSecret(clientID: "portal-1", graceSeconds: 600, actor: "operator").secret
            let third = try h.registry.rotateSecret(clientID: "portal-1", graceSeconds: 600, actor: "operator").secret
            #expect(!h.registry.verifySecret(clientID: "portal-1", presented: first))
            #expect(h.registry.verifySecret(clientID: "portal-1", presented: second))
            #expect(h.registry.verifySecret(clientID: "portal-1", presented: third))
            // A rotation without grace ends the lingering one too.
            let fourth = try h.registry.rotateSecret(clientID: "portal-1", actor: "operator").secret
            #expect(!h.registry.verifySecret(clientID: "portal-1", presented: third))
            #expect(h.registry.verifySecret(clientID: "portal-1", presented: fourth))
        }
    }

    @Test func rotationIsRefusedWhereItMakesNoSense() throws {
        try withHarness { h in
            _ = try h.registry.add(draft { $0.authMethods = ["none"] }, actor: "operator")
            #expect(throws: PortalError.noSecret) { try h.registry.rotateSecret(clientID: "portal-1", actor: "operator") }
            #expect(throws: PortalError.notFound) { try h.registry.rotateSecret(clientID: "nobody", actor: "operator") }
            #expect(fieldErrors { _ = try h.registry.rotateSecret(clientID: "portal-1", graceSeconds: -1, actor: "operator") }
                == ["graceSeconds: outOfRange"])
            #expect(fieldErrors {
                _ = try h.registry.rotateSecret(clientID: "portal-1", graceSeconds: PortalRegistry.maxGraceSeconds + 1, actor: "operator")
            } == ["graceSeconds: outOfRange"])
            #expect(try h.auditKinds() == ["portal.added"])
        }
    }

    @Test func secretsAreRandom256BitValues() {
        let secrets = (0..<100).map { _ in ClientSecret.generate() }
        #expect(Set(secrets).count == 100)
        #expect(secrets.allSatisfy { $0.count == 43 && !$0.contains("=") })
    }
}
