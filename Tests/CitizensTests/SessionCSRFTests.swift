@testable import Citizens
import Crypto
import Foundation
import Storage
import Support
import Testing

@Test func csrfTokenIsBoundToTheSession() throws {
    try withSessionDatabase { db, _ in
        let store = SessionStore(database: db, hashKey: sessionHashKey, clock: FixedClock())
        let a = try db.write { try store.create(subject: "citizen:1", method: "pwd", userAgent: "", sourceAddress: "", using: $0) }
        let b = try db.write { try store.create(subject: "citizen:1", method: "pwd", userAgent: "", sourceAddress: "", using: $0) }
        let csrfA = store.csrfToken(for: a.token)
        #expect(csrfA == Base64URL.encode(Crypto.HMAC.sha256(key: sessionHashKey, message: "csrf:" + a.token)))
        #expect(csrfA == store.csrfToken(for: a.token)) // stable for the session's life
        #expect(csrfA != a.token)
        #expect(store.verifyCSRF(csrfA, for: a.token))
        #expect(!store.verifyCSRF(csrfA, for: b.token))
        #expect(!store.verifyCSRF(store.csrfToken(for: b.token), for: a.token))
        #expect(!store.verifyCSRF("", for: a.token))
        #expect(!store.verifyCSRF(String(csrfA.dropLast()), for: a.token))
        #expect(!store.verifyCSRF(a.token, for: a.token))
        // The CSRF token never matches a stored token hash.
        let hashes = try db.read { try $0.query("SELECT token_hash FROM sessions").map { try $0.blob(0) } }
        #expect(!hashes.contains(Base64URL.decode(csrfA)!))
        // A different key gives different tokens.
        #expect(CSRF.token(hashKey: [UInt8](repeating: 1, count: 32), sessionToken: a.token) != csrfA)
        #expect(!CSRF.verify("", hashKey: sessionHashKey, sessionToken: ""))
    }
}

@Test func anonymousDoubleSubmit() {
    let value = CSRF.newAnonymousToken()
    #expect(value.utf8.count == 43)
    #expect(value != CSRF.newAnonymousToken())
    #expect(CSRF.verifyAnonymous(cookie: value, submitted: value))
    #expect(!CSRF.verifyAnonymous(cookie: value, submitted: CSRF.newAnonymousToken()))
    #expect(!CSRF.verifyAnonymous(cookie: value, submitted: nil))
    #expect(!CSRF.verifyAnonymous(cookie: nil, submitted: value))
    #expect(!CSRF.verifyAnonymous(cookie: nil, submitted: nil))
    #expect(!CSRF.verifyAnonymous(cookie: "", submitted: ""))
    #expect(!CSRF.verifyAnonymous(cookie: "short", submitted: "short"))
}
