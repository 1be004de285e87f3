import Citizens
@testable import Federation
import Foundation
import Storage
import Support
import Testing

@Suite struct PortalRegistryTests {
    @Test func addStoresThePortalAndReturnsTheSecretOnce() throws {
        try withHarness { h in
            let added = try h.registry.add(draft { $0.scopes = ["openid", "fullname"]; $0.minimumLevel = "standard" }, actor: "operator")
            let secret = try #require(added.secret)
            #expect(Base64URL.decode(secret)?.count == 32 && secret.count == 43)
            #expect(added.portal.hasSecret && added.portal.enabled)
            #expect(added.portal.createdAt == h.clock.now())
            let found = try #require(try h.registry.portal(clientID: "portal-1"))
            #expect(found == added.portal)
            #expect(found.settings.allowedScopes == [.openid, .fullname])
            #expect(try h.registry.list().map(\.clientID) == ["portal-1"])
            // Only the keyed hash is stored: the secret's text appears nowhere in the row.
            let row = try h.database.read { try $0.queryOne("SELECT * FROM portals")! }
            for value in row.values {
                if case .text(let text) = value { #expect(!text.contains(secret)) }
            }
            #expect(try h.database.read { try $0.queryOne("SELECT secret_hash FROM portals")!.blob(0) }
                == ClientSecret.hash(clientID: "portal-1", secret: secret, key: h.secretKey))
        }
    }

    @Test func portalsWithoutASecretMethodGetNoSecret() throws {
        try withHarness { h in
            let public_ = try h.registry.add(draft("spa") { $0.authMethods = ["none"] }, actor: "operator")
            #expect(public_.secret == nil && !public_.portal.hasSecret)
            let esia = try h.registry.add(draft("INSP03211") { $0.dialect = "esia"; $0.certificate = testCertificateDER }, actor: "operator")
            #expect(esia.secret == nil)
            #expect(try h.registry.list().map(\.clientID) == ["INSP03211", "spa"])
        }
    }

    @Test func clientIDsAreUniqueWithoutRegardToCase() throws {
        try withHarness { h in
            _ = try h.registry.add(draft("INSP03211") { $0.authMethods = ["none"] }, actor: "operator")
            #expect(throws: PortalError.clientIDTaken) { try h.registry.add(draft("INSP03211"), actor: "operator") }
            #expect(throws: PortalError.clientIDTaken) { try h.registry.add(draft("insp03211"), actor: "operator") }
            #expect(try h.portalRows() == 1)
            #expect(try h.auditKinds() == ["portal.added"])
            // Lookups are exact: OAuth client ids are case-sensitive.
            #expect(try h.registry.portal(clientID: "insp03211") == nil)
        }
    }

    @Test func invalidInputChangesNothing() throws {
        try withHarness { h throws in
            let found = fieldErrors { _ = try h.registry.add(draft { $0.redirectURIs = ["http://portal.example/cb"] }, actor: "operator") }
            #expect(found == ["redirectUris[0]: httpsRequired"])
            #expect(try h.portalRows() == 0)
            #expect(try h.auditKinds() == [])
        }
    }

    @Test func updateReplacesTheSettingsAndKeepsTheSecret() throws {
        try withHarness { h in
            let added = try h.registry.add(draft(), actor: "operator")
            h.clock.advance(by: 60)
            let updated = try h.registry.update(clientID: "portal-1", with: draft {
                $0.name = "Новое имя"
                $0.redirectURIs = ["https://portal.example/cb2"]
                $0.authMethods = ["client_secret_post"]
            }, actor: "staff:7")
            #expect(updated.secret == nil)
            #expect(updated.portal.settings.name == "Новое имя")
            #expect(updated.portal.settings.authMethods == [.clientSecretPost])
            #expect(updated.portal.updatedAt == h.clock.now() && updated.portal.createdAt == added.portal.createdAt)
            #expect(h.registry.verifySecret(clientID: "portal-1", presented: added.secret!))
            #expect(try h.auditText().last?.hasPrefix("portal.updated staff:7 portal:portal-1") == true)
            #expect(try h.auditText().last?.contains(#""changed":"name,redirectUris,authMethods""#) == true)
        }
    }

    @Test func updateMakesASecretForTheFirstSecretMethodAndDropsItWithTheLast() throws {
        try withHarness { h in
            _ = try h.registry.add(draft { $0.authMethods = ["none"] }, actor: "operator")
            let withSecret = try h.registry.update(clientID: "portal-1", with: draft(), actor: "operator")
            let secret = try #require(withSecret.secret)
            #expect(h.registry.verifySecret(clientID: "portal-1", presented: secret))
            let public_ = try h.registry.update(clientID: "portal-1", with: draft { $0.authMethods = ["none"] }, actor: "operator")
            #expect(public_.secret == nil && !public_.portal.hasSecret)
            #expect(!h.registry.verifySecret(clientID: "portal-1", presented: secret))
        }
    }

    @Test func updateRefusesUnknownPortalsRenamesAndBadInput() throws {
        try withHarness { h in
            #expect(throws: PortalError.notFound) { try h.registry.update(clientID: "nobody", with: draft("nobody"), actor: "operator") }
            _ = try h.registry.add(draft(), actor: "operator")
            #expect(fieldErrors { _ = try h.registry.update(clientID: "portal-1", with: draft("portal-2"), actor: "operator") }
                == ["clientId: notAllowed"])
            #expect(fieldErrors { _ = try h.registry.update(clientID: "portal-1", with: draft { $0.scopes = ["all"] }, actor: "operator") }
                == ["scopes[0]: unknownValue"])
            // Changing nothing records nothing.
            _ = try h.registry.update(clientID: "portal-1", with: draft(), actor: "operator")
            #expect(try h.auditKinds() == ["portal.added"])
            #expect(try h.registry.portal(clientID: "portal-1")?.settings == (try PortalValidation.check(draft())))
        }
    }

    @Test func disableAndEnableAreAuditedOnlyWhenTheyChangeSomething() throws {
        try withHarness { h in
            let secret = try h.registry.add(draft(), actor: "operator").secret!
            #expect(try h.registry.disable(clientID: "portal-1", actor: "staff:3").enabled == false)
            #expect(try h.registry.portal(clientID: "portal-1")?.enabled == false)
            #expect(!h.registry.verifySecret(clientID: "portal-1", presented: secret))
            try h.registry.disable(clientID: "portal-1", actor: "staff:3")
            #expect(try h.registry.enable(clientID: "portal-1", actor: "operator").enabled)
            #expect(h.registry.verifySecret(clientID: "portal-1", presented: secret))
            #expect(throws: PortalError.notFound) { try h.registry.disable(clientID: "nobody", actor: "operator") }
            #expect(try h.auditText().map { $0.split(separator: " ").prefix(3).joined(separator: " ") }
                == ["portal.added operator portal:portal-1", "portal.disabled staff:3 portal:portal-1", "portal.enabled operator portal:portal-1"])
        }
    }

    @Test func auditRecordsHoldSettingsButNoSecrets() throws {
        try withHarness { h in
            let secret = try h.registry.add(draft { $0.scopes = ["openid", "snils"] }, actor: "operator").secret!
            let rotated = try h.registry.rotateSecret(clientID: "portal-1", graceSeconds: 3600, actor: "operator").secret
            let text = try h.auditText()
            #expect(text.count == 2)
            #expect(text[0].contains(#""scopes":"openid snils""#) && text[0].contains(#""secret":"issued""#))
            #expect(text[1].hasPrefix("portal.secret.rotated operator portal:portal-1") && text[1].contains(#""graceSeconds":"3600""#))
            #expect(!text.joined().contains(secret) && !text.joined().contains(rotated))
        }
    }

    @Test func aChangeByAnotherProcessIsSeenAfterTheRevalidationInterval() throws {
        try withHarness(revalidationInterval: 3600) { h in
            let secret = try h.registry.add(draft(), actor: "operator").secret!
            #expect(try h.registry.portal(clientID: "portal-1")?.enabled == true)
            let loads = h.registry.cache.loads.load(ordering: .relaxed)
            // Hot lookups come from memory.
            for _ in 0..<100 { _ = try h.registry.portal(clientID: "portal-1") }
            #expect(h.registry.cache.loads.load(ordering: .relaxed) == loads)

            // The command line disables the portal beside the running server.
            try h.otherProcess().disable(clientID: "portal-1", actor: "operator")
            #expect(try h.registry.portal(clientID: "portal-1")?.enabled == true, "cached until revalidated")

            let eager = h.otherProcess(revalidationInterval: 0)
            _ = try eager.portal(clientID: "portal-1")
            let eagerLoads = eager.cache.loads.load(ordering: .relaxed)
            #expect(try eager.portal(clientID: "portal-1")?.enabled == false)
            #expect(!eager.verifySecret(clientID: "portal-1", presented: secret))
            // Revalidating reads the generation only; the table is not reloaded while nothing changed.
            #expect(eager.cache.loads.load(ordering: .relaxed) == eagerLoads)
        }
    }

    @Test func aChangeThroughTheRegistryIsSeenAtOnce() throws {
        try withHarness(revalidationInterval: 3600) { h in
            #expect(try h.registry.portal(clientID: "portal-1") == nil)
            _ = try h.registry.add(draft(), actor: "operator")
            #expect(try h.registry.portal(clientID: "portal-1") != nil)
            try h.registry.disable(clientID: "portal-1", actor: "operator")
            #expect(try h.registry.portal(clientID: "portal-1")?.enabled == false)
            _ = try h.registry.update(clientID: "portal-1", with: draft { $0.name = "Другое" }, actor: "operator")
            #expect(try h.registry.portal(clientID: "portal-1")?.settings.name == "Другое")
        }
    }
}
