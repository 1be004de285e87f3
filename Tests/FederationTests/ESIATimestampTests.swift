@testable import Federation
import Foundation
import Testing

@Suite struct ESIATimestampTests {
    @Test func readsTheOperatorGuideExample() throws {
        let timestamp = try ESIATimestamp(parsing: "2013.01.25 14:36:11 +0400")
        // 14:36:11 at +04:00 is 10:36:11 UTC.
        #expect(timestamp.date == Date(timeIntervalSince1970: 1_359_110_171))
        #expect(timestamp.text == "2013.01.25 14:36:11 +0400")
    }

    @Test func acceptsBothZoneFormsAndWestOffsets() throws {
        let compact = try ESIATimestamp(parsing: "2024.02.29 23:59:59 +0300")
        let colon = try ESIATimestamp(parsing: "2024.02.29 23:59:59 +03:00")
        #expect(compact.date == colon.date)
        #expect(colon.text == "2024.02.29 23:59:59 +03:00")
        #expect(try ESIATimestamp(parsing: "2024.02.29 17:59:59 -0300").date == compact.date)
        #expect(try ESIATimestamp(parsing: "2015.11.02 09:52:36 +0000").date == Date(timeIntervalSince1970: 1_446_457_956))
    }

    /// A raw `+` in a query string arrives as a space; the signed text gets its `+` back.
    @Test func aSpaceForThePlusSignIsReadAsPlus() throws {
        let decoded = try ESIATimestamp(parsing: "2013.01.25 14:36:11  0400")
        #expect(decoded.text == "2013.01.25 14:36:11 +0400")
        #expect(decoded.date == (try ESIATimestamp(parsing: "2013.01.25 14:36:11 +0400")).date)
    }

    @Test(arguments: [
        "", "2013.01.25 14:36:11", "2013-01-25 14:36:11 +0400", "2013.01.25T14:36:11 +0400", "2013.01.25 14:36:11 Z",
        "2013.01.25 14:36:11 +04", "2013.01.25 14:36:11 +04:0", "2013.13.25 14:36:11 +0400", "2013.02.29 14:36:11 +0400",
        "2013.01.32 14:36:11 +0400", "2013.01.25 24:00:00 +0400", "2013.01.25 14:60:11 +0400", "2013.01.25 14:36:60 +0400",
        "2013.01.25 14:36:11 +1500", "2013.01.25 14:36:11 +0460", "2013.01.25 14:36:11.123 +0400", "１３.01.25 14:36:11 +0400",
        "2013.01.25 14:36:11 +0400 ", "2013.1.25 14:36:11 +0400",
    ])
    func refusesAnythingElseWith007015(text: String) {
        #expect(throws: ESIAError(.wrongTimestamp, "")) { try ESIATimestamp(parsing: text) }
    }

    @Test func formatsWhatItParses() throws {
        let date = Date(timeIntervalSince1970: 1_359_110_171)
        #expect(ESIATimestamp.format(date) == "2013.01.25 10:36:11 +0000")
        #expect(ESIATimestamp.format(date, utcOffsetMinutes: 240) == "2013.01.25 14:36:11 +0400")
        #expect(ESIATimestamp.format(date, utcOffsetMinutes: -150) == "2013.01.25 08:06:11 -0230")
        for offset in [0, 180, -300, 840] {
            let text = ESIATimestamp.format(Date(timeIntervalSince1970: 1_709_251_199), utcOffsetMinutes: offset)
            #expect(try ESIATimestamp(parsing: text).date == Date(timeIntervalSince1970: 1_709_251_199), "\(text)")
        }
    }

    @Test func theWindowIsInclusiveOnBothSides() throws {
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        for offset in [-300.0, 0, 300] {
            try ESIATimestamp(parsing: ESIATimestamp.format(now.addingTimeInterval(offset))).check(now: now, window: 300)
        }
        for offset in [-301.0, 301, -86_400] {
            let stale = try ESIATimestamp(parsing: ESIATimestamp.format(now.addingTimeInterval(offset)))
            #expect(throws: ESIAError(.wrongTimestamp, "")) { try stale.check(now: now, window: 300) }
        }
        let error = #expect(throws: ESIAError.self) {
            try ESIATimestamp(parsing: ESIATimestamp.format(now.addingTimeInterval(-612))).check(now: now, window: 300)
        }
        #expect(error?.errorDescription == "ESIA-007015: timestamp is 612 seconds behind the server's clock (at most 300 accepted)")
        #expect(error?.oauthError == "invalid_request")
    }
}
