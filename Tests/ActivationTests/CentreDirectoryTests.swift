@testable import Activation
import Audit
import Citizens
import Foundation
import Storage
import Support
import Testing

/// docs/examples/service-centres.csv, found from this file's path.
private func exampleCSV() throws -> String {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    return try String(contentsOf: root.appendingPathComponent("docs/examples/service-centres.csv"), encoding: .utf8)
}

private let header = "code,name,region,city,address,opening_hours,latitude,longitude"

/// The problems an import reports, as "line:column:kind", or [] when it succeeds.
private func problems(_ f: StaffFixture, _ text: String) -> [String] {
    do {
        try f.centres.importCSV(text)
        return []
    } catch let error as CentreImportError {
        return error.problems.map { "\($0.line.map(String.init) ?? "-"):\($0.column ?? "-"):\($0.kind.rawValue)" }
    } catch {
        Issue.record("unexpected error \(error)")
        return []
    }
}

@Suite struct CentreDirectoryTests {
    @Test func theExampleFileImports() throws {
        try withStaffFixture { f in
            #expect(try f.centres.importCSV(try exampleCSV()) == 11)
            #expect(try f.centres.count() == 11)
            #expect(try f.centres.regions() == [
                "Москва", "Нижегородская область", "Новосибирская область", "Орловская область", "Приморский край",
                "Республика Татарстан", "Ростовская область", "Санкт-Петербург", "Свердловская область",
            ])
            let kazan = try #require(try f.centres.centre(id: "kzn-001"))
            #expect(kazan.name == "МФЦ \"Мои документы\" Вахитовского района")
            #expect(kazan.address == "ул. Тестовая, д. 7")
            #expect(kazan.openingHours == "пн–пт 8:00–19:00, сб 9:00–14:00")
            #expect(kazan.latitude == 55.7887 && kazan.longitude == 49.1221)
            let rostov = try #require(try f.centres.centre(id: "ROV-001"))
            #expect(rostov.latitude == nil && rostov.longitude == nil)
            let imported = try f.records("centres.imported")
            #expect(imported.last?.event.details == ["centres": "11", "added": "8", "removed": "0", "kept": "3"])
        }
    }

    @Test func searchFoldsCaseYoAndHyphensAndMatchesCityPrefixes() throws {
        try withStaffFixture { f in
            try f.centres.importCSV(try exampleCSV())
            #expect(try f.centres.search(region: "москва").map(\.id) == ["MSK-001", "MSK-002"])  // by name: Тверской, Южное Бутово
            #expect(try f.centres.search(city: "санкт").map(\.id) == ["SPB-002", "SPB-001"])
            #expect(try f.centres.search(city: "САНКТ ПЕТЕРБУРГ").count == 2)
            #expect(try f.centres.search(city: "орел").map(\.id) == ["ORL-001"])
            #expect(try f.centres.search(city: "Орёл").map(\.id) == ["ORL-001"])
            #expect(try f.centres.search(city: "  ростов-на ").map(\.id) == ["ROV-001"])
            #expect(try f.centres.search(region: "Республика Татарстан", city: "каз").map(\.id) == ["KZN-001"])
            #expect(try f.centres.search(region: "Москва", city: "каз").isEmpty)
            #expect(try f.centres.search(region: "моск").isEmpty)      // regions match whole
            #expect(try f.centres.search(city: "%").isEmpty)           // LIKE wildcards are literal
            #expect(try f.centres.search(city: "_").isEmpty)
            #expect(try f.centres.search().count == 11)
            #expect(try f.centres.search(region: " ", city: "").count == 11)
            #expect(try f.centres.search(limit: 3).count == 3)
            #expect(try f.centres.search(limit: 0).count == 1)
            #expect(try f.centres.centre(id: "NOPE") == nil)
        }
    }

    @Test func quotingBOMAndLineEndsAreRFC4180() throws {
        try withStaffFixture { f in
            let text = "\u{FEFF}" + header + "\r\n"
                + "A-1,\"Центр \"\"Один\"\"\",Регион,Город,\"ул. Длинная,\r\nд. 1\",9-18,,\r\n"
                + "\r\n"
                + "B-2, Центр  Два ,Регион,Город,Адрес,\"пн, вт\",-10.5,-170\r\n"
            // A line break inside an address is a control character: refused, with the line the record starts on.
            #expect(problems(f, text) == ["2:address:badText"])
            let fixed = text.replacingOccurrences(of: ",\r\nд. 1", with: ", д. 1")
            #expect(try f.centres.importCSV(fixed) == 2)
            let one = try #require(try f.centres.centre(id: "A-1"))
            #expect(one.name == "Центр \"Один\"" && one.address == "ул. Длинная, д. 1")
            let two = try #require(try f.centres.centre(id: "b-2"))
            #expect(two.name == "Центр Два" && two.openingHours == "пн, вт" && two.latitude == -10.5 && two.longitude == -170)
        }
    }

    @Test func errorsNameLineAndColumnAndChangeNothing() throws {
        try withStaffFixture { f in
            let before = try f.centres.search()
            #expect(problems(f, "") == ["1:-:missingHeader"])
            #expect(problems(f, "code,name\nA,B\n") == ["1:-:wrongHeader"])
            #expect(problems(f, header + "\nA,\"open\n") == ["2:-:unterminatedQuote"])
            #expect(problems(f, header + "\nA,x\"y\",R,C,Adr,H,,\n") == ["2:-:strayQuote"])
            let rows = [
                header,
                "OK-1,Name,Region,City,Address,Hours,10,20",
                "bad code!,Name,Region,City,Address,Hours,,",
                "OK-2,,Region,City,Address,Hours,,",
                "OK-3,Name,Region,City,Address,Hours,91,20",
                "OK-4,Name,Region,City,Address,Hours,1e1,20",
                "OK-5,Name,Region,City,Address,Hours,10,",
                "ok-1,Name,Region,City,Address,Hours,,",
                "OK-6,Name,Region,City,Address",
                "OK-7,Name,Region,City,\(String(repeating: "д", count: 301)),Hours,-90,180.000",
                "OK-8,Name,Region,City,Address,Hours,nan,inf",
            ]
            #expect(problems(f, rows.joined(separator: "\n")) == [
                "3:code:badCode", "4:name:badText", "5:latitude:coordinateOutOfRange", "6:latitude:badCoordinate",
                "7:longitude:incompleteCoordinates", "8:code:duplicateCode", "9:-:wrongFieldCount", "10:address:badText",
                "11:latitude:badCoordinate", "11:longitude:badCoordinate",
            ])
            do {
                try f.centres.importCSV(rows.joined(separator: "\n"))
            } catch let error as CentreImportError {
                #expect(error.description.hasPrefix("the service-centre file was refused; nothing was imported:\n  line 3, column code:"))
                #expect(error.problems[5].description == "line 8, column code: the same code as line 2")
            }
            #expect(try f.centres.search() == before)
            #expect(try f.records("centres.imported").count == 1) // the fixture's own import
        }
    }

    @Test func reimportKeepsCodesAndStaffBindings() throws {
        try withStaffFixture { f in
            let op = try f.add("msk.op", .operator, centre: "MSK-001").member
            // MSK-001 renamed, MSK-002 dropped (no staff), SPB-001 kept, NEW-1 added.
            let next = """
                \(header)
                msk-001,МФЦ Тверской (новое здание),Москва,Москва,"ул. Тверская, д. 5",пн–вс 9–21,,
                SPB-001,МФЦ Центральный,Санкт-Петербург,Санкт-Петербург,"Невский пр-т, д. 3",ежедневно 9–21,59.93,30.36
                NEW-1,МФЦ Новый,Москва,Зеленоград,"корп. 1",пн–пт 9–18,,
                """
            #expect(try f.centres.importCSV(next) == 3)
            #expect(try f.centres.centre(id: "MSK-001")?.name == "МФЦ Тверской (новое здание)")
            #expect(try f.centres.centre(id: "MSK-002") == nil)
            #expect(try f.staff.member(id: op.id)?.centreID == "MSK-001")
            #expect(try f.records("centres.imported").last?.event.details == ["centres": "3", "added": "1", "removed": "1", "kept": "2"])

            // Dropping a centre that still has staff (even disabled staff) is refused, and nothing changes.
            try f.add("spb.op", .operator, centre: "SPB-001")
            let spbAdmin = try f.add("spb.admin", .centreAdmin, centre: "SPB-001").member
            try f.staff.disable(staffID: spbAdmin.id, by: .commandLine)
            let withoutCentres = header + "\nNEW-1,МФЦ Новый,Москва,Зеленоград,\"корп. 1\",пн–пт 9–18,,\n"
            #expect(problems(f, withoutCentres) == ["-:code:centreHasStaff", "-:code:centreHasStaff"])
            do {
                try f.centres.importCSV(withoutCentres)
            } catch let error as CentreImportError {
                #expect(error.problems.map(\.code) == ["MSK-001", "SPB-001"])
                #expect(error.problems[0].description.hasPrefix("column code: centre MSK-001 is not in the file but staff accounts are bound to it"))
            }
            #expect(try f.centres.count() == 3)
            #expect(try f.centres.centre(id: "NEW-1")?.address == "корп. 1")
        }
    }

    @Test func anEmptyDirectoryIsAllowedWhenNoStaffAreBound() throws {
        try withStaffFixture { f in
            let count = try f.centres.importCSV(header + "\n")
            #expect(count == 0)
            #expect(try f.centres.regions().isEmpty)
            #expect(f.staffError { _ = try f.add("late", .operator, centre: "MSK-001") } == .unknownCentre)
        }
    }
}
