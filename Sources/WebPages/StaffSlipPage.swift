import Foundation

/// A freshly issued service-centre activation code, for printing.
public struct StaffSlipModel: Sendable {
    public var language: Language
    public var currentPath: String
    public var bar: StaffBar
    /// The citizen's name as on the slip ("Surname Given Patronymic").
    public var citizenName: String
    /// The code, `XXXX-XXXX-XXXX`; shown only on this page, once.
    public var code: String
    public var expiresAt: Date
    /// The centre's name, printed at the foot of the slip.
    public var centreName: String

    /// A slip page.
    public init(language: Language = .ru, currentPath: String = PagePath.staffHome, bar: StaffBar, citizenName: String,
                code: String, expiresAt: Date, centreName: String) {
        self.language = language
        self.currentPath = currentPath
        self.bar = bar
        self.citizenName = citizenName
        self.code = code
        self.expiresAt = expiresAt
        self.centreName = centreName
    }
}

/// The activation-code slip: the code, its expiry and short instructions; the print stylesheet hides everything else.
public enum StaffSlipPage {
    /// The page for `model`. The server must send it with `Cache-Control: no-store` (as every page) and never again.
    public static func render(_ model: StaffSlipModel) -> String {
        let s = StaffStrings(model.language)
        let main: HTMLBuilder = """
            <p class="notice no-print" role="status">\(s[.slipOnce]) \(s[.printHint])</p>
            <section class="slip">
            <h1>\(s[.slipTitle])</h1>
            <p>\(model.citizenName)</p>
            <dl class="summary">
            <dt>\(s[.slipCodeLabel])</dt><dd class="slip-code">\(model.code)</dd>
            <dt>\(s[.slipExpiresLabel])</dt><dd>\(Format.dateTime(model.expiresAt, model.language))</dd>
            </dl>
            <p>\(s[.slipInstructions])</p>
            <p>\(model.centreName)</p>
            </section>
            """
        return StaffChrome.page(title: s[.slipTitle], language: model.language, currentPath: model.currentPath, bar: model.bar,
                                main: main.html)
    }
}
