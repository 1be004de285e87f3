import Foundation
import Storage

extension CitizenService {
    /// Re-encrypts every document row sealed under an older data key with the current one, in batches, each batch
    /// one write with its audit record. Safe to run while serving and to interrupt: rows not yet done keep working
    /// under their old key (which must stay in the key ring until this finishes).
    /// - Returns: the number of rows re-encrypted.
    @discardableResult
    public func reencryptDocuments(batchSize: Int = 500) throws -> Int {
        let current = vault.keys.currentID
        var total = 0
        while true {
            let ids: [Int64] = try database.read { db in
                try db.query("SELECT citizen_id FROM citizen_documents WHERE key_id <> ? ORDER BY citizen_id LIMIT ?",
                             [.text(current), .integer(Int64(batchSize))]).map { try $0.int64(0) }
            }
            if ids.isEmpty { return total }
            let vault = self.vault
            let done: Int = try database.write { db in
                var count = 0
                for id in ids {
                    guard var row = try self.store.documents(citizenID: id, using: db), row.keyID != current else { continue }
                    func reseal(_ bytes: [UInt8], _ field: String) throws -> [UInt8] {
                        let context = PersonalDataVault.context(citizenID: id, field: field)
                        let plain = try vault.open(.init(keyID: row.keyID, bytes: bytes), context: context)
                        return try vault.seal(plain, context: context).bytes
                    }
                    let snils = try reseal(row.snilsSealed, "snils")
                    let passport = try row.passportSealed.map { try reseal($0, "passport") }
                    let inn = try row.innSealed.map { try reseal($0, "inn") }
                    let address = try row.addressSealed.map { try reseal($0, "address") }
                    row.snilsSealed = snils
                    row.passportSealed = passport
                    row.innSealed = inn
                    row.addressSealed = address
                    row.keyID = current
                    try db.execute("""
                        UPDATE citizen_documents SET key_id = ?, snils_sealed = ?, passport_sealed = ?, inn_sealed = ?, address_sealed = ?
                        WHERE citizen_id = ?
                        """, [.text(current), .blob(snils), SQLValue(passport), SQLValue(inn), SQLValue(address), .integer(id)])
                    count += 1
                }
                try self.record("keys.data-rotated", actor: "system", source: nil, details: ["rows": String(count), "key": current], using: db)
                return count
            }
            total += done
            if done == 0 { return total }
        }
    }
}
