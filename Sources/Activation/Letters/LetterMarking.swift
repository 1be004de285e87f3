import Citizens
import Foundation
import Storage

/// A Russian Post tracking number (ШПИ): 14 digits for domestic mail, or the UPU S10 form `RA123456785RU`.
public enum TrackingNumber {
    /// The number in upper case without spaces, or nil when it has neither form (or an S10 check digit is wrong).
    public static func normalise(_ text: String) -> String? {
        let compact = text.uppercased().filter { $0 != " " && $0 != "-" }
        let bytes = Array(compact.utf8)
        func isDigit(_ b: UInt8) -> Bool { b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") }
        func isLetter(_ b: UInt8) -> Bool { b >= UInt8(ascii: "A") && b <= UInt8(ascii: "Z") }
        // Domestic: 14 digits (post office index, month, number, check digit); only the form is checked.
        if bytes.count == 14 && bytes.allSatisfy(isDigit) { return compact }
        // UPU S10: two letters, eight digits, a check digit (weights 8 6 4 2 3 5 9 7, mod 11), two letters.
        guard bytes.count == 13, isLetter(bytes[0]), isLetter(bytes[1]), bytes[2..<11].allSatisfy(isDigit),
              isLetter(bytes[11]), isLetter(bytes[12]) else { return nil }
        let weights = [8, 6, 4, 2, 3, 5, 9, 7]
        let sum = zip(bytes[2..<10], weights).reduce(0) { $0 + Int($1.0 - UInt8(ascii: "0")) * $1.1 }
        var check = 11 - sum % 11
        if check == 10 { check = 0 } else if check == 11 { check = 5 }
        return Int(bytes[10] - UInt8(ascii: "0")) == check ? compact : nil
    }
}

extension ActivationService {
    /// Records what the post office reports: `dispatched` (with a tracking number), `delivered` or `returned`.
    ///
    /// States only move forward (`LetterState`). A returned letter's code is invalidated, so the citizen may choose
    /// again (issue 4: "a returned letter lets the citizen choose again").
    /// - Parameters:
    ///   - actor: `operator` from the command line, or `staff:<id>` from the staff API.
    public func markLetter(id: Int64, state: LetterState, trackingNumber: String?, actor: String = "operator",
                           source: RequestSource? = nil) throws {
        var tracking: String?
        if state == .dispatched {
            guard let text = trackingNumber, let number = TrackingNumber.normalise(text) else {
                throw ActivationError(.invalidTrackingNumber)
            }
            tracking = number
        } else if trackingNumber != nil {
            // A tracking number belongs to dispatch only; accepting it elsewhere would drop it silently.
            throw ActivationError(.invalidTrackingNumber)
        }
        let stamp = tracking
        try database.write { db in
            guard let letter = try LetterRow.find(id: id, using: db) else { throw ActivationError(.notFound) }
            guard letter.state.canMove(to: state) else { throw ActivationError(.invalidTransition(from: letter.state, to: state)) }
            let now = Millis.from(self.clock.now())
            switch state {
            case .dispatched:
                try db.execute("UPDATE letters SET state = 'dispatched', dispatched_at = ?, tracking_number = ? WHERE id = ?",
                               [.integer(now), SQLValue(stamp), .integer(id)])
            case .delivered:
                try db.execute("UPDATE letters SET state = 'delivered', delivered_at = ? WHERE id = ?", [.integer(now), .integer(id)])
            case .returned:
                try db.execute("UPDATE letters SET state = 'returned', returned_at = ? WHERE id = ?", [.integer(now), .integer(id)])
            default:
                throw ActivationError(.invalidTransition(from: letter.state, to: state))
            }
            // The tracking number stays in the letters table: it leads to the recipient's address on the post's site.
            try self.record("activation.letter.\(state.rawValue)", actor: actor, citizenID: letter.citizenID, source: source,
                            details: ["letter": String(id), "from": letter.state.rawValue], using: db)
            if state == .returned, let code = try CodeRow.forLetter(id, using: db), code.isLive {
                try CodeRow.invalidate(id: code.id, reason: "returned", now: now, using: db)
                try self.record("activation.code.invalidated", actor: actor, citizenID: letter.citizenID, source: source,
                                details: ["code": String(code.id), "channel": "letter", "reason": "returned"], using: db)
            }
        }
    }
}
