import Audit
import Citizens
import Crypto
import Storage

extension StaffDirectory {
    /// Re-seals every staff TOTP secret and SNILS sealed under an older data key with the current one (after
    /// `keys rotate-data-key`), in one write with its audit record; staff are few. Rows not yet done keep working
    /// under their old key, which must stay in the key ring until this has run.
    /// - Returns: how many accounts were re-sealed.
    @discardableResult
    public func resealSecrets() throws -> Int {
        let vault = self.vault
        let current = vault.keys.currentID
        return try database.write { db in
            let rows = try db.query("SELECT \(StaffRow.columns) FROM staff WHERE totp_key_id <> ? OR snils_key_id <> ?",
                                    [.text(current), .text(current)]).map(StaffRow.init)
            for row in rows {
                if row.totpKeyID != current {
                    guard let old = vault.keys.key(id: row.totpKeyID) else { throw VaultError.unknownKey(row.totpKeyID) }
                    let secret = try AESGCM.open(row.totpSecretSealed, key: old, associatedData: Self.totpContext(row.id))
                    let sealed = try AESGCM.seal(secret, key: vault.keys.currentKey, associatedData: Self.totpContext(row.id))
                    try db.execute("UPDATE staff SET totp_secret_sealed = ?, totp_key_id = ? WHERE id = ?",
                                   [.blob(sealed), .text(current), .integer(row.id)])
                }
                if let sealedSNILS = row.snilsSealed, let keyID = row.snilsKeyID, keyID != current {
                    guard let old = vault.keys.key(id: keyID) else { throw VaultError.unknownKey(keyID) }
                    let context = Self.snilsContext(row.id)
                    // As `snils(staffID:)` reads it: UTF-8 under the row's context, sealed by the vault.
                    let snils = try AESGCM.open(sealedSNILS, key: old, associatedData: Array(context.utf8))
                    let sealed = try vault.seal(String(decoding: snils, as: UTF8.self), context: context)
                    try db.execute("UPDATE staff SET snils_sealed = ?, snils_key_id = ? WHERE id = ?",
                                   [.blob(sealed.bytes), .text(sealed.keyID), .integer(row.id)])
                }
            }
            if !rows.isEmpty {
                try self.audit.append(AuditEvent(kind: "keys.data-rotated", actor: "operator",
                                            details: ["staff": String(rows.count), "key": current]), using: db)
            }
            return rows.count
        }
    }
}
