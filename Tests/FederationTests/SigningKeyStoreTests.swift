import Crypto
import Dispatch
import Federation
import Foundation
import Storage
import Support
import Testing

@Test func ensureKeysMakesOneKeyPerAlgorithmOnce() throws {
    try withHarness { h in
        let store = h.store()
        let made = try store.ensureKeys(at: t0)
        #expect(Set(made.map(\.algorithm)) == [.es256, .rs256, .gost3410_2012_256])
        #expect(made.allSatisfy { $0.signFrom == t0 && $0.publishFrom == t0 && $0.retireAfter == nil })
        #expect(try store.ensureKeys(at: t0.addingTimeInterval(10)).isEmpty)
        #expect(try h.store().ensureKeys(at: t0.addingTimeInterval(20)).isEmpty)
        #expect(try store.allKeys() == made.sorted { a, b in
            SigningKeyStore.algorithms.firstIndex(of: a.algorithm)! < SigningKeyStore.algorithms.firstIndex(of: b.algorithm)!
        })
        #expect(try h.auditEvents() == made.map { "signing-key.created signing-key:\($0.keyID)" })
        for algorithm in SigningKeyStore.algorithms {
            #expect(try store.currentSigner(algorithm: algorithm, at: t0).keyID == made.first { $0.algorithm == algorithm }!.keyID)
        }
    }
}

@Test func twoProcessesEnsuringKeysAtOnceStillMakeOneKeyPerAlgorithm() throws {
    try withHarness { h in
        let stores = [h.store(), h.store()]
        DispatchQueue.concurrentPerform(iterations: 2) { i in _ = try? stores[i].ensureKeys(at: t0) }
        let keys = try stores[0].allKeys()
        #expect(keys.count == 3)
        #expect(Set(keys.map(\.algorithm)).count == 3)
    }
}

@Test func keyIDsAreThumbprintsAndTheJWKSHoldsOnlyES256AndRS256() throws {
    try withHarness { h in
        let store = h.store()
        try store.ensureKeys(at: t0)
        let jwks = try store.jwks(at: t0)
        let keys = try jwks["keys"]!.arrayValue!.map { try JSONWebKey(json: $0) }
        #expect(keys.map(\.algorithm) == ["ES256", "RS256"])
        for key in keys {
            #expect(key.keyID == key.thumbprint())
            #expect(key.use == "sig")
            #expect(jwks.jsonText.contains("\"d\"") == false)
        }
        let gost = try store.currentSigner(algorithm: .gost3410_2012_256, at: t0)
        #expect(!(try store.jwksKeyIDs(at: t0)).contains(gost.keyID))
    }
}

@Test(arguments: [JWSAlgorithm.es256, .rs256, .gost3410_2012_256])
func tokensFromTheCurrentSignerVerifyWithThePublishedKey(algorithm: JWSAlgorithm) throws {
    try withHarness { h in
        let store = h.store()
        try store.ensureKeys(at: t0)
        let signer = try store.currentSigner(algorithm: algorithm, at: t0)
        let token = try JWT.sign(claims: ["sub": "1000328686", "exp": 1_800_000_600], with: signer)
        let jws = try JWS.parse(token)
        #expect(jws.algorithm == algorithm)
        if algorithm != .gost3410_2012_256 {
            let entry = try store.jwks(at: t0)["keys"]!.arrayValue!.first { $0["kid"]?.stringValue == jws.keyID }!
            try jws.verify(with: try JSONWebKey(json: entry).publicKey())
        }
        try #require(try store.verifier(keyID: jws.keyID!, at: t0)).verify(jws)
    }
}

@Test func rotationTimelinePublishesBeforeSigningAndRetiresAfterTheLastTokenExpires() throws {
    try withHarness { h in
        let lead: TimeInterval = 600, lifetime: TimeInterval = 3_600
        let store = h.store(settings(publishLead: lead, maxTokenLifetime: lifetime))
        try store.ensureKeys(at: t0)
        let old = try store.currentSigner(algorithm: .es256, at: t0).keyID
        let rotatedAt = t0.addingTimeInterval(100)
        let new = try store.rotate(algorithm: .es256, at: rotatedAt)
        let signFrom = rotatedAt.addingTimeInterval(lead)
        let retireAt = signFrom.addingTimeInterval(lifetime + 60) // + the refresh interval
        #expect(new.publishFrom == rotatedAt && new.signFrom == signFrom && new.retireAfter == nil)
        #expect(try store.allKeys().first { $0.keyID == old }?.retireAfter == retireAt)

        func check(_ time: Date, signer: String, jwks: [String], _ comment: Comment) throws {
            #expect(try store.currentSigner(algorithm: .es256, at: time).keyID == signer, comment)
            let es256 = try store.jwksKeyIDs(at: time).filter { $0 == old || $0 == new.keyID }
            #expect(es256 == jwks, comment)
        }
        // Published at once, before it signs: JWKS caches pick it up during the lead.
        try check(rotatedAt, signer: old, jwks: [old, new.keyID], "just rotated")
        try check(signFrom.addingTimeInterval(-1), signer: old, jwks: [old, new.keyID], "end of the lead")
        // Signing switches; the old key stays for the tokens it signed until they have all expired.
        try check(signFrom, signer: new.keyID, jwks: [old, new.keyID], "new key signs")
        try check(retireAt.addingTimeInterval(-1), signer: new.keyID, jwks: [old, new.keyID], "last second of the old key")
        try check(retireAt, signer: new.keyID, jwks: [new.keyID], "old key retired")

        let states = { (time: Date) in SigningKeyState.of(try store.allKeys(), at: time) }
        #expect(try states(rotatedAt)[old] == .current && states(rotatedAt)[new.keyID] == .published)
        #expect(try states(signFrom)[old] == .previous && states(signFrom)[new.keyID] == .current)
        #expect(try states(retireAt)[old] == .retired && states(retireAt)[new.keyID] == .current)
        // A previous key still verifies; a retired one no longer does.
        #expect(try store.verifier(keyID: old, at: signFrom) != nil)
        #expect(try store.verifier(keyID: old, at: retireAt) == nil)
        // Other algorithms are untouched.
        let rs256 = try store.currentSigner(algorithm: .rs256, at: t0).keyID
        #expect(try store.currentSigner(algorithm: .rs256, at: retireAt).keyID == rs256)
        #expect(try h.auditEvents().last == "signing-key.rotated signing-key:\(new.keyID)")
    }
}

@Test func rotatingTwiceDuringTheLeadKeepsEveryKeyUntilTheLastOneSigns() throws {
    try withHarness { h in
        let store = h.store(settings(publishLead: 600, maxTokenLifetime: 3_600))
        try store.ensureKeys(at: t0)
        let first = try store.currentSigner(algorithm: .rs256, at: t0).keyID
        let second = try store.rotate(algorithm: .rs256, at: t0.addingTimeInterval(10))
        let third = try store.rotate(algorithm: .rs256, at: t0.addingTimeInterval(20))
        let keys = Dictionary(uniqueKeysWithValues: try store.allKeys().map { ($0.keyID, $0) })
        // Each key retires a token lifetime after its successor starts signing: the first after the second's start,
        // the second (which signs for ten seconds) after the third's.
        #expect(keys[first]?.retireAfter == t0.addingTimeInterval(10 + 600 + 3_600 + 60))
        #expect(keys[second.keyID]?.retireAfter == t0.addingTimeInterval(20 + 600 + 3_600 + 60))
        #expect(keys[third.keyID]?.retireAfter == nil)
        #expect(try store.currentSigner(algorithm: .rs256, at: t0.addingTimeInterval(615)).keyID == second.keyID)
        #expect(try store.currentSigner(algorithm: .rs256, at: t0.addingTimeInterval(620)).keyID == third.keyID)
    }
}

@Test func rotatingAnAlgorithmWithoutKeysSignsAtOnce() throws {
    try withHarness { h in
        let store = h.store(settings(publishLead: 600))
        let key = try store.rotate(algorithm: .es256, at: t0)
        #expect(key.signFrom == t0)
        #expect(try store.currentSigner(algorithm: .es256, at: t0).keyID == key.keyID)
        #expect(throws: SigningKeyError.noCurrentKey(.rs256)) { try store.currentSigner(algorithm: .rs256, at: t0) }
    }
}

@Test func signerCacheFollowsRotationsHereAtOnceAndElsewhereAfterTheRefresh() throws {
    try withHarness { h in
        let store = h.store(settings(refresh: 60))
        try store.ensureKeys(at: t0)
        let first = try store.currentSigner(algorithm: .es256, at: t0)
        // The same signer object serves every token until something changes (no database read per token).
        #expect(try store.currentSigner(algorithm: .es256, at: t0.addingTimeInterval(1)).keyID == first.keyID)
        // A rotation through this store is seen at once.
        let loadedAt = t0.addingTimeInterval(2)
        let second = try store.rotate(algorithm: .es256, at: loadedAt)
        #expect(try store.currentSigner(algorithm: .es256, at: loadedAt).keyID == second.keyID)

        // Another process (the `keys rotate` command) rotates: this store sees it once its copy is older than the refresh.
        let third = try h.store(settings(refresh: 60)).rotate(algorithm: .es256, at: t0.addingTimeInterval(4))
        #expect(try store.currentSigner(algorithm: .es256, at: loadedAt.addingTimeInterval(59)).keyID == second.keyID)
        #expect(try store.currentSigner(algorithm: .es256, at: loadedAt.addingTimeInterval(60)).keyID == third.keyID)
        #expect(try store.jwksKeyIDs(at: loadedAt.addingTimeInterval(60)).contains(third.keyID))
    }
}

@Test func sealedPrivateKeysAreUnreadableWithoutTheirDataKey() throws {
    try withHarness { h in
        try h.store().ensureKeys(at: t0)
        let sealed = try h.database.read { db in
            try db.query("SELECT private_key_sealed, data_key_id FROM signing_keys").map { (try $0.blob(0), try $0.string(1)) }
        }
        #expect(sealed.count == 3)
        for (bytes, dataKeyID) in sealed {
            #expect(dataKeyID == "test-1")
            #expect(!String(decoding: bytes, as: UTF8.self).contains("PRIVATE KEY"))
        }
        // The same key id with other key bytes: the seal does not open.
        let impostor = try DataKeyRing(currentID: "test-1", keys: ["test-1": .random()])
        #expect {
            try h.store(dataKeys: impostor).currentSigner(algorithm: .es256, at: t0)
        } throws: { error in
            if case SigningKeyError.unreadableKey = error { return true } else { return false }
        }
        // A ring without the key at all.
        let other = try DataKeyRing(currentID: "test-2", keys: ["test-2": .random()])
        #expect {
            try h.store(dataKeys: other).jwks(at: t0)
        } throws: { error in
            if case SigningKeyError.unknownDataKey(_, "test-1") = error { return true } else { return false }
        }
    }
}

@Test func sealedKeysCannotBeSwappedBetweenRows() throws {
    try withHarness { h in
        try h.store().ensureKeys(at: t0)
        // Copy the RS256 row's sealed key into the ES256 row: the associated data names the row, so it fails to open.
        try h.database.write { db in
            try db.execute("""
                UPDATE signing_keys SET private_key_sealed = (SELECT private_key_sealed FROM signing_keys WHERE algorithm = 'RS256')
                WHERE algorithm = 'ES256'
                """)
        }
        #expect(throws: (any Error).self) { try h.store().currentSigner(algorithm: .es256, at: t0) }
    }
}

@Test func resealingMovesKeysToTheCurrentDataKey() throws {
    try withHarness { h in
        try h.store().ensureKeys(at: t0)
        let old = h.dataKeys.key(id: "test-1")!
        let newKey = SymmetricKey.random()
        let rotated = try DataKeyRing(currentID: "test-2", keys: ["test-1": old, "test-2": newKey])
        #expect(try h.store(dataKeys: rotated).resealPrivateKeys() == 3)
        #expect(try h.store(dataKeys: rotated).resealPrivateKeys() == 0)
        // Without the old data key the keys still open.
        let onlyNew = try DataKeyRing(currentID: "test-2", keys: ["test-2": newKey])
        _ = try h.store(dataKeys: onlyNew).currentSigner(algorithm: .gost3410_2012_256, at: t0)
        #expect(try h.auditEvents().last == "signing-key.resealed ")
    }
}
