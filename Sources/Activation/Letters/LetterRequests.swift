import Citizens
import Foundation
import Storage

extension ActivationService {
    /// Orders a registered letter with a code to the postal address on file; returns the order's id.
    ///
    /// No code exists yet: it is made when the order is exported, so its lifetime counts from printing. The order keeps
    /// only the citizen id; name and address are read (decrypted) at export time, so the queue holds no personal data.
    /// Replaces the live code and any order not yet printed (issue 4: "a new request invalidates the previous code").
    /// Refused with `letterLimit` once `LetterLimit.letters` letters were printed for the citizen in `LetterLimit.days`
    /// days: every printed letter is paid postage, and a citizen who never receives them should go to a centre.
    public func requestLetter(citizenID: Int64, source: RequestSource?) throws -> Int64 {
        try requireStandardLevel(citizenID: citizenID)
        let now = Millis.from(clock.now())
        let actor = "citizen:\(citizenID)"
        return try database.write { db in
            if let retryAfter = try LetterLimit.retryAfter(citizenID: citizenID, now: now, using: db) {
                throw ActivationError(.letterLimit(retryAfterSeconds: retryAfter))
            }
            return try self.insertLetter(citizenID: citizenID, actor: actor, now: now, source: source, using: db)
        }
    }

    /// Orders letters for many citizens at once, in writes of `pageSize`; for development seeding and the export benchmark.
    /// Citizens not at the standard level are skipped. Returns how many orders were made.
    public func requestLetters(citizenIDs: [Int64], actor: String, pageSize: Int = 1_000) throws -> Int {
        var made = 0
        var start = 0
        while start < citizenIDs.count {
            let page = Array(citizenIDs[start..<min(start + pageSize, citizenIDs.count)])
            start += page.count
            let eligible = page.filter { (try? self.citizens.profile(citizenID: $0).level) == .standard }
            let now = Millis.from(clock.now())
            try database.write { db in
                for id in eligible { _ = try self.insertLetter(citizenID: id, actor: actor, now: now, source: nil, using: db) }
            }
            made += eligible.count
        }
        return made
    }

    private func insertLetter(citizenID: Int64, actor: String, now: Int64, source: RequestSource?, using db: any SQLExecutor) throws -> Int64 {
        try endPrevious(citizenID: citizenID, reason: "replaced", actor: actor, source: source, using: db)
        let id = try LetterRow.insert(citizenID: citizenID, now: now, using: db)
        try record("activation.letter.requested", actor: actor, citizenID: citizenID, source: source, details: ["letter": String(id)], using: db)
        return id
    }
}
