import Citizens
import Foundation
import Storage
import Support

/// What one export produced.
public struct LetterBatch: Sendable, Equatable {
    /// `20270115-083000-a1b2`: the export's UTC time and a random suffix; names the files.
    public var id: String
    /// Letters in the batch, each with its code in the files.
    public var letters: Int
    /// `letters-<id>.csv` for the print house.
    public var csvFile: String
    /// `letters-<id>.html`, one A4 letter per page.
    public var htmlFile: String
    /// Letters cancelled (a new request, a centre code) while their page was being written: they are in the files
    /// with a code that was never stored, so it works nowhere. Do not post them.
    public var voided: [Int64]
    /// Orders skipped because the citizen has no postal address on file; they are cancelled.
    public var withoutAddress: Int
    /// Letters of unfinished earlier exports put back into the queue (and so into this batch) with new codes.
    public var requeued: Int
}

extension ActivationService {
    /// A batch not completed whose last page committed longer ago than this is a crashed export.
    static let staleBatchSeconds: Double = 120

    /// Exports every pending letter order as one batch: makes each letter's code now (its lifetime counts from here),
    /// writes `letters-<batch>.csv` and `letters-<batch>.html` (mode 0600) into `outputDirectory`, and marks the orders
    /// printed. Returns nil when nothing is pending.
    ///
    /// Streams in pages of `settings.exportPageSize`: for each page the rows are written and fsynced first, then one
    /// write stores the code hashes and marks the page printed. So no letter is ever marked printed without its code
    /// on disk. Files carry a `.partial` suffix until the batch is complete.
    ///
    /// Recovery rule (docs/activation.md): a batch that was never completed (the export crashed) is found by the next
    /// export once it has been quiet for two minutes; its letters are invalidated (reason `reissued`), put back to
    /// pending and printed again in the new batch with fresh codes. Its `.partial` files in `outputDirectory` are
    /// deleted; a `.partial` file of a batch that did complete is renamed to its final name.
    public func exportBatch(outputDirectory: String, actor: String = "operator") throws -> LetterBatch? {
        try exportBatch(outputDirectory: outputDirectory, actor: actor, stopAfterPages: nil)
    }

    /// `stopAfterPages` lets tests leave a batch unfinished, as a crash would.
    func exportBatch(outputDirectory: String, actor: String, stopAfterPages: Int?) throws -> LetterBatch? {
        try makeFolder(outputDirectory)
        let requeued = try requeueUnfinishedBatches(actor: actor)
        try tidyPartialFiles(in: outputDirectory)

        // The batch is what is pending now: orders made after this point wait for the next export.
        let last = try database.read { db in try db.queryOne("SELECT MAX(id) FROM letters WHERE state = 'pending'", [])?.optionalInt64(0) }
        guard let last else { return nil }
        let started = clock.now()
        let batchID = Self.batchID(started)
        try database.write { db in
            try db.execute("INSERT INTO letter_batches (id, started_at, updated_at) VALUES (?, ?, ?)",
                           [.text(batchID), .integer(Millis.from(started)), .integer(Millis.from(started))])
            try self.audit.append(.init(kind: "activation.batch.started", actor: actor, details: ["batch": batchID]), using: db)
        }
        let base = (outputDirectory as NSString).appendingPathComponent("letters-\(batchID)")
        let csv = try ExportFile(path: base + ".csv")
        let html = try ExportFile(path: base + ".html")
        try csv.write(Array(LetterCSV.header.utf8))
        try html.write(Array(LetterHTML.head(batchID: batchID).utf8))

        var result = LetterBatch(id: batchID, letters: 0, csvFile: csv.finalPath, htmlFile: html.finalPath, voided: [], withoutAddress: 0,
                                 requeued: requeued)
        var after: Int64 = 0
        var pages = 0
        while true {
            let orders = try database.read { db in
                try LetterRow.pendingPage(after: after, upTo: last, limit: self.settings.exportPageSize, using: db)
            }
            guard let lastOrder = orders.last else { break }
            after = lastOrder.id
            if let stopAfterPages, pages == stopAfterPages { return nil }
            try exportPage(orders, batchID: batchID, actor: actor, csv: csv, html: html, into: &result)
            pages += 1
        }

        try html.write(Array(LetterHTML.tail.utf8))
        let count = result.letters
        let voidedCount = result.voided.count
        try database.write { db in
            let now = Millis.from(self.clock.now())
            try db.execute("UPDATE letter_batches SET completed_at = ?, updated_at = ? WHERE id = ?", [.integer(now), .integer(now), .text(batchID)])
            try self.audit.append(.init(kind: "activation.batch.completed", actor: actor,
                                        details: ["batch": batchID, "letters": String(count), "voided": String(voidedCount)]), using: db)
        }
        // Completed in the database first: a crash before the renames leaves complete files under .partial names,
        // which the next export renames; the other order could leave final-looking files with codes since reissued.
        try csv.publish()
        try html.publish()
        logger?.info("activation: letters exported", ["batch": batchID, "letters": String(count)])
        return result
    }

    /// One page: resolve addresses, make codes, write and fsync the rows, then commit hashes and states in one write.
    private func exportPage(_ orders: [(id: Int64, citizenID: Int64)], batchID: String, actor: String, csv: ExportFile, html: ExportFile,
                            into result: inout LetterBatch) throws {
        let now = clock.now()
        let expires = Millis.date(Millis.from(now.addingTimeInterval(settings.letterCodeLifetime)))
        var csvBytes = [UInt8]()
        var htmlBytes = [UInt8]()
        csvBytes.reserveCapacity(orders.count * 160)
        htmlBytes.reserveCapacity(orders.count * 2_400)
        var printed: [(letterID: Int64, citizenID: Int64, normalised: String)] = []
        var withoutAddress: [(letterID: Int64, citizenID: Int64)] = []
        printed.reserveCapacity(orders.count)
        for order in orders {
            guard let recipient = try citizens.postalRecipient(citizenID: order.citizenID) else {
                withoutAddress.append((order.id, order.citizenID))
                continue
            }
            let code = ActivationCode.generate()
            let letter = PrintedLetter(letterID: order.id, fullName: recipient.fullName, address: recipient.address, code: code, expiresAt: expires)
            LetterCSV.row(letter, to: &csvBytes)
            LetterHTML.letter(letter, batchID: batchID, to: &htmlBytes)
            printed.append((order.id, order.citizenID, ActivationCode.normalise(code)!))
        }
        try csv.write(csvBytes)
        try html.write(htmlBytes)
        try csv.sync()
        try html.sync()

        let committed = printed
        let skipped = withoutAddress
        let voided: [Int64] = try database.write { db in
            let at = Millis.from(now)
            var voided: [Int64] = []
            for letter in committed {
                // The order may have been cancelled since the page was read; its row is in the file, its code nowhere.
                guard try db.queryOne("SELECT state FROM letters WHERE id = ?", [.integer(letter.letterID)])?.string(0) == "pending" else {
                    voided.append(letter.letterID)
                    continue
                }
                if let live = try CodeRow.live(citizenID: letter.citizenID, using: db) {
                    try CodeRow.invalidate(id: live.id, reason: "replaced", now: at, using: db)
                    try self.record("activation.code.invalidated", actor: actor, citizenID: letter.citizenID, source: nil,
                                    details: ["code": String(live.id), "channel": live.channel.rawValue, "reason": "replaced"], using: db)
                }
                let codeID = try CodeRow.insert(citizenID: letter.citizenID, channel: .letter, normalised: letter.normalised, key: self.codeKey,
                                                now: at, expiresAt: Millis.from(expires), letterID: letter.letterID, using: db)
                try db.execute("UPDATE letters SET state = 'printed', batch_id = ?, printed_at = ? WHERE id = ?",
                               [.text(batchID), .integer(at), .integer(letter.letterID)])
                try self.record("activation.letter.printed", actor: actor, citizenID: letter.citizenID, source: nil,
                                details: ["letter": String(letter.letterID), "batch": batchID], using: db)
                try self.record("activation.code.issued", actor: actor, citizenID: letter.citizenID, source: nil,
                                details: ["code": String(codeID), "channel": "letter", "letter": String(letter.letterID),
                                          "expiresAt": Timestamp.iso8601(expires)], using: db)
            }
            for letter in skipped {
                try LetterRow.cancel(id: letter.letterID, now: at, using: db)
                try self.record("activation.letter.cancelled", actor: actor, citizenID: letter.citizenID, source: nil,
                                details: ["letter": String(letter.letterID), "reason": "no-address"], using: db)
            }
            try db.execute("UPDATE letter_batches SET letters = letters + ?, updated_at = ? WHERE id = ?",
                           [SQLValue(committed.count - voided.count), .integer(Millis.from(self.clock.now())), .text(batchID)])
            return voided
        }
        result.letters += printed.count - voided.count
        result.voided += voided
        result.withoutAddress += withoutAddress.count
        if !voided.isEmpty {
            logger?.warning("activation: letters cancelled during export; do not post them",
                            ["batch": batchID, "letters": voided.map(String.init).joined(separator: ",")])
        }
    }

    /// Puts the letters of crashed exports back into the queue with their codes invalidated; returns how many.
    /// Throws `.exportInProgress` when an unfinished batch is still active.
    private func requeueUnfinishedBatches(actor: String) throws -> Int {
        let now = Millis.from(clock.now())
        let staleBefore = now - Millis.from(seconds: Self.staleBatchSeconds)
        return try database.write { db in
            let batches = try db.query("SELECT id, updated_at FROM letter_batches WHERE completed_at IS NULL AND abandoned_at IS NULL", [])
            var requeued = 0
            for batch in batches {
                let batchID = try batch.string("id")
                guard try batch.int64("updated_at") < staleBefore else { throw ActivationError(.exportInProgress) }
                let letters = try db.query("SELECT id, citizen_id FROM letters WHERE batch_id = ? AND state = 'printed'", [.text(batchID)])
                for row in letters {
                    let letterID = try row.int64("id")
                    let citizenID = try row.int64("citizen_id")
                    if let code = try CodeRow.forLetter(letterID, using: db), code.isLive {
                        try CodeRow.invalidate(id: code.id, reason: "reissued", now: now, using: db)
                        try self.record("activation.code.invalidated", actor: actor, citizenID: citizenID, source: nil,
                                        details: ["code": String(code.id), "channel": "letter", "reason": "reissued"], using: db)
                    }
                    try db.execute("UPDATE letters SET state = 'pending', batch_id = NULL, printed_at = NULL WHERE id = ?", [.integer(letterID)])
                    try self.record("activation.letter.requeued", actor: actor, citizenID: citizenID, source: nil,
                                    details: ["letter": String(letterID), "batch": batchID], using: db)
                    requeued += 1
                }
                try db.execute("UPDATE letter_batches SET abandoned_at = ? WHERE id = ?", [.integer(now), .text(batchID)])
                try self.audit.append(.init(kind: "activation.batch.abandoned", actor: actor,
                                            details: ["batch": batchID, "letters": String(letters.count)]), using: db)
            }
            return requeued
        }
    }

    /// `.partial` files left by a crash: complete batches get their final names, the rest (dead codes) are deleted.
    private func tidyPartialFiles(in folder: String) throws {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        for name in names where name.hasPrefix("letters-") && name.hasSuffix(".partial") {
            let finalName = String(name.dropLast(".partial".count))
            let batchID = String((finalName as NSString).deletingPathExtension.dropFirst("letters-".count))
            let completed = try database.read { db in
                try db.queryOne("SELECT completed_at FROM letter_batches WHERE id = ?", [.text(batchID)])?.optionalInt64(0)
            }
            let path = (folder as NSString).appendingPathComponent(name)
            if completed != nil {
                try? FileManager.default.moveItem(atPath: path, toPath: (folder as NSString).appendingPathComponent(finalName))
            } else {
                try? FileManager.default.removeItem(atPath: path)
                logger?.warning("activation: deleted the unfinished export file of an abandoned batch", ["file": name])
            }
        }
    }

    private func makeFolder(_ path: String) throws {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else { throw ActivationError(.exportFailed("\(path) is not a folder")) }
            return
        }
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw ActivationError(.exportFailed("cannot create \(path): \(error)"))
        }
    }

    /// `YYYYMMDD-HHMMSS-xxxx` in UTC, with 16 random bits so two exports in one second do not collide.
    static func batchID(_ date: Date) -> String {
        let iso = Array(Timestamp.iso8601(date)) // 2027-01-15T08:30:00.000Z
        let digits = String(iso[0..<4]) + String(iso[5..<7]) + String(iso[8..<10]) + "-" + String(iso[11..<13]) + String(iso[14..<16])
            + String(iso[17..<19])
        return digits + "-" + Hex.encode(SecureRandom.bytes(2))
    }
}
