import Activation
import Audit
import Citizens
import Crypto
import Foundation
import Storage
import Support

/// The operator's commands for staff accounts and the service-centre directory (`openesia staff …`,
/// `openesia centres …`). Like `AdminCommands`, each opens the database (applying migrations), does one job, and closes it.
public enum StaffCommands {
    /// The role names `staff add --role` accepts.
    public static let roleNames = StaffRole.allCases.map(\.rawValue)

    /// Creates a staff account; returns its id and the otpauth URI to enrol an authenticator with (print it once).
    /// `role` must be one of `roleNames`; field problems, a taken login or SNILS, or an unknown centre throw `StaffError`.
    public static func addStaff(configuration: Configuration, logger: Logger, login: String, displayName: String, role: String,
                                centreID: String?, snils: String?, password: String) throws -> StaffEnrolment {
        guard let role = StaffRole(rawValue: role) else { throw StaffError.invalid([FieldError(field: StaffField.role, code: .notAllowed)]) }
        return try withDirectories(configuration, logger) { staff, _ in
            try staff.add(login: login, displayName: displayName, role: role, centreID: centreID, snils: snils, password: password)
        }
    }

    /// Replaces the service-centre directory with a CSV file's centres; returns how many. Throws `CentreImportError`
    /// (nothing changed) when a row is invalid or a removed centre still has staff.
    public static func importCentres(configuration: Configuration, logger: Logger, csvFile: String) throws -> Int {
        let text = try String(contentsOfFile: csvFile, encoding: .utf8)
        return try withDirectories(configuration, logger) { _, centres in try centres.importCSV(text) }
    }

    /// What a `StaffError` means to the person at the terminal.
    public static func explain(_ error: StaffError) -> String {
        switch error {
        case .invalid(let problems):
            return "the account was not created:\n" + problems.map { "  --\(optionName($0.field)): \(explain($0.code))" }.joined(separator: "\n")
        case .loginTaken: return "another staff account already has this login"
        case .snilsTaken: return "another staff account already has this SNILS"
        case .unknownCentre: return "no service centre has this id; import the centres first (openesia centres import)"
        case .wrongCredentials, .throttled, .notFound, .forbidden, .noStaffForCertificate, .disabled: return "refused: \(error)"
        }
    }

    private static func optionName(_ field: String) -> String {
        switch field {
        case StaffField.displayName: "name"
        case StaffField.password: "password (standard input)"
        default: field
        }
    }

    private static func explain(_ code: FieldErrorCode) -> String {
        switch code {
        case .required: "required"
        case .tooShort: "too short (logins 3+ characters, passwords 12+)"
        case .tooLong: "too long"
        case .invalidCharacters: "invalid characters (logins: a-z, 0-9, '.', '_', '-', starting with a letter or digit)"
        case .invalidFormat: "not in the expected format"
        case .badChecksum: "the check number is wrong"
        case .notAllowed: "not allowed here (service-admin takes no --centre; --role is operator, centre-admin or service-admin)"
        case .commonPassword: "a commonly used password"
        default: code.rawValue
        }
    }

    static func withDirectories<T>(_ configuration: Configuration, _ logger: Logger,
                                           _ body: (StaffDirectory, CentreDirectory) throws -> T) throws -> T {
        var options = Database.Options()
        options.readers = configuration.database.readers
        options.busyTimeoutMilliseconds = configuration.database.busyTimeoutMilliseconds
        let database = try Database(path: configuration.database.path, options: options, logger: logger)
        defer { database.close() }
        try database.migrate(Migrations.all)
        let keys = configuration.keys.directory
        let clock = SystemClock()
        let audit = try AuditLog(key: try KeyDirectory.secret(.audit, in: keys).bytes, clock: clock)
        let tokenKey = try KeyDirectory.secret(.tokenHash, in: keys)
        let vault = PersonalDataVault(keys: try DataKeyRing.load(directory: keys), indexKey: try KeyDirectory.secret(.blindIndex, in: keys))
        var settings = StaffSettings()
        settings.passwordParameters = ScryptParameters(logN: configuration.citizens.passwordCostLog2, r: 8, p: 1)
        let staff = StaffDirectory(database: database, vault: vault, audit: audit,
                                   sessions: SessionStore(database: database, hashKey: tokenKey.bytes, policy: .staff, clock: clock),
                                   throttle: LoginThrottle(database: database, clock: clock), hashKey: tokenKey, settings: settings, clock: clock)
        return try body(staff, CentreDirectory(database: database, audit: audit))
    }
}
