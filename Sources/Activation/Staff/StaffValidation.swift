import Citizens

/// The rules for the fields of a new staff account.
enum StaffValidation {
    /// Login length bounds, in characters.
    static let loginLength = 3...64
    /// The longest display name, in characters.
    static let maxDisplayNameLength = 100
    /// Staff passwords guard more than one person's data, so they are longer than citizens' (10).
    static let minimumPasswordLength = 12

    /// A login as stored and looked up: trimmed and lower-cased.
    static func normalisedLogin(_ text: String) -> String {
        Whitespace.trimmed(text).lowercased()
    }

    /// Whether a normalised login is 3–64 of a–z, 0–9, '.', '_' and '-', starting with a letter or digit.
    static func isValidLogin(_ login: String) -> Bool {
        let bytes = Array(login.utf8)
        guard loginLength.contains(bytes.count), let first = bytes.first, isLetterOrDigit(first) else { return false }
        return bytes.allSatisfy { isLetterOrDigit($0) || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: "-") }
    }

    private static func isLetterOrDigit(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }

    /// The fields of a new account, checked together so a form can mark every bad field at once.
    struct NewMember {
        var login: String
        var displayName: String
        var role: StaffRole
        var centreID: String?
        var snils: SNILS?
    }

    /// Checks every field; throws `.invalid` listing all problems.
    static func check(login: String, displayName: String, role: StaffRole, centreID: String?, snils: String?,
                      password: String) throws(StaffError) -> NewMember {
        var errors = [FieldError]()
        let login = normalisedLogin(login)
        if login.isEmpty {
            errors.append(FieldError(field: StaffField.login, code: .required))
        } else if login.count > loginLength.upperBound {
            errors.append(FieldError(field: StaffField.login, code: .tooLong))
        } else if login.count < loginLength.lowerBound {
            errors.append(FieldError(field: StaffField.login, code: .tooShort))
        } else if !isValidLogin(login) {
            errors.append(FieldError(field: StaffField.login, code: .invalidCharacters))
        }

        let name = Whitespace.trimmed(displayName).split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ")
        if name.isEmpty {
            errors.append(FieldError(field: StaffField.displayName, code: .required))
        } else if name.count > maxDisplayNameLength {
            errors.append(FieldError(field: StaffField.displayName, code: .tooLong))
        } else if name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
            errors.append(FieldError(field: StaffField.displayName, code: .invalidCharacters))
        }

        let centre = centreID.map(Whitespace.trimmed).flatMap { $0.isEmpty ? nil : $0.uppercased() }
        if role.needsCentre && centre == nil {
            errors.append(FieldError(field: StaffField.centre, code: .required))
        } else if !role.needsCentre && centre != nil {
            errors.append(FieldError(field: StaffField.centre, code: .notAllowed))
        }

        var parsedSNILS: SNILS?
        if let snils, !Whitespace.trimmed(snils).isEmpty {
            do { parsedSNILS = try SNILS(parsing: snils, field: StaffField.snils) } catch { errors.append(error) }
        }

        errors += passwordProblems(password).map { FieldError(field: StaffField.password, code: $0) }
        guard errors.isEmpty else { throw .invalid(errors) }
        return NewMember(login: login, displayName: name, role: role, centreID: centre, snils: parsedSNILS)
    }

    /// The citizens' policy with no personal context (common passwords, the upper bound), and 12 characters at least.
    static func passwordProblems(_ password: String) -> [FieldErrorCode] {
        var codes = PasswordPolicy.check(password, context: PasswordContext()).filter { $0 != .tooShort }
        if !password.isEmpty && password.count < minimumPasswordLength { codes.insert(.tooShort, at: 0) }
        return codes
    }
}

/// Trimming of typed fields: any Unicode whitespace at either end (a pasted login may bring a newline).
enum Whitespace {
    static func trimmed(_ text: String) -> String {
        let scalars = text.unicodeScalars
        guard let start = scalars.firstIndex(where: { !$0.properties.isWhitespace }) else { return "" }
        let end = scalars.lastIndex(where: { !$0.properties.isWhitespace })!
        return String(scalars[start...end])
    }
}
