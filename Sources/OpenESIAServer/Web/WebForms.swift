import Citizens
import HTTPServer
import WebPages

/// Turns posted forms into the service's form values, and the service's field errors back into the pages' terms.
/// The HTML names are `WebPages.Field` raw values; they equal the service's `FieldName`s except for the
/// address, which the service names `address.<part>`.
enum WebForms {
    /// Fields whose values never travel back in a page.
    static let secret: Set<Field> = [.password, .passwordRepeat, .currentPassword, .code]

    /// The registration form as typed.
    static func registration(_ form: FormFields) -> RegistrationForm {
        var result = RegistrationForm()
        result.surname = value(form, .surname)
        result.givenName = value(form, .givenName)
        result.patronymic = value(form, .patronymic)
        result.birthDate = value(form, .birthDate)
        result.gender = value(form, .gender)
        result.phone = value(form, .phone)
        result.email = value(form, .email)
        result.password = value(form, .password)
        // The page always has the second field, so a missing one is an empty repeat (a mismatch), never "no repeat".
        result.passwordRepeat = value(form, .passwordRepeat)
        result.consent = !value(form, .consent).isEmpty
        return result
    }

    /// The documents form as typed.
    static func documents(_ form: FormFields) -> DocumentsForm {
        var result = DocumentsForm()
        result.snils = value(form, .snils)
        result.passportSeries = value(form, .passportSeries)
        result.passportNumber = value(form, .passportNumber)
        result.passportIssueDate = value(form, .passportIssueDate)
        result.passportIssuer = value(form, .passportIssuer)
        result.passportIssuerCode = value(form, .passportIssuerCode)
        result.postalCode = value(form, .postalCode)
        result.region = value(form, .region)
        result.city = value(form, .city)
        result.street = value(form, .street)
        result.house = value(form, .house)
        result.building = value(form, .building)
        result.flat = value(form, .flat)
        return result
    }

    /// One field's text; absent fields are empty.
    static func value(_ form: FormFields, _ field: Field) -> String {
        form.first(field.rawValue) ?? ""
    }

    /// What was typed into `fields`, to fill the form again; never passwords or codes.
    static func refill(_ form: FormFields, _ fields: [Field]) -> [String: String] {
        var values: [String: String] = [:]
        for field in fields where !secret.contains(field) {
            if let text = form.first(field.rawValue) { values[field.rawValue] = text }
        }
        return values
    }

    /// The service's field errors as the pages want them: HTML field name → code; the first error of a field wins.
    static func errors(_ errors: [FieldError]) -> [String: String] {
        var result: [String: String] = [:]
        for error in errors {
            let name = fieldName(error.field)
            // Both modules list the same codes; an unknown one still marks the field.
            let code = WebPages.FieldErrorCode(rawValue: error.code.rawValue)?.rawValue ?? WebPages.FieldErrorCode.invalidFormat.rawValue
            if result[name] == nil { result[name] = code }
        }
        return result
    }

    /// Runs a service call; a `CitizensError` a form can show becomes the failure, anything else is thrown on.
    static func attempt<T>(_ action: () throws -> T) throws -> Result<T, FormFailure> {
        do {
            return .success(try action())
        } catch let error as CitizensError {
            guard let failure = FormFailure(error) else { throw error }
            return .failure(failure)
        }
    }

    /// The HTML name for a service field name: `address.region` → `region`; others are the same.
    static func fieldName(_ serviceName: String) -> String {
        serviceName.hasPrefix("address.") ? String(serviceName.dropFirst("address.".count)) : serviceName
    }
}

/// How a refused form shows itself: status, field errors, page-level error codes and, when throttled, the wait.
struct FormFailure: Error {
    /// The page's status: 422, 401, 409 or 429.
    var status: HTTPStatus
    /// HTML field name → `FieldErrorCode` raw value.
    var errors: [String: String] = [:]
    /// `PageErrorCode` raw values.
    var pageErrors: [String] = []
    /// Seconds to wait, for `Retry-After` and the lockout message.
    var retryAfterSeconds: Int?

    /// Minutes to tell the person to wait, rounded up.
    var lockoutMinutes: Int? { retryAfterSeconds.map { max(1, ($0 + 59) / 60) } }

    /// The failure a form page shows for a service error; nil for errors that belong to the error page instead.
    /// Statuses come from `ErrorMapping.describe`, so the pages and the JSON API answer alike.
    init?(_ error: CitizensError) {
        status = ErrorMapping.describe(error).0
        switch error.code {
        case .invalid(let list): errors = WebForms.errors(list)
        case .duplicateAccount: pageErrors = [PageErrorCode.duplicateAccount.rawValue]
        case .contactInUse: pageErrors = [PageErrorCode.contactInUse.rawValue]
        case .wrongCredentials: pageErrors = [PageErrorCode.wrongCredentials.rawValue]
        case .throttled(let seconds):
            pageErrors = [PageErrorCode.lockedOut.rawValue]
            retryAfterSeconds = seconds
        case .invalidCode: pageErrors = [PageErrorCode.invalidCode.rawValue]
        case .expiredCode: pageErrors = [PageErrorCode.expiredCode.rawValue]
        case .codeExhausted: pageErrors = [PageErrorCode.codeExhausted.rawValue]
        case .notFound, .contactNotConfirmed, .notAllowed, .noAccountForCertificate, .snilsNotVerified, .reauthenticationRequired:
            return nil
        }
    }

    /// A failure found by the web layer itself, before the service was asked.
    init(fieldErrors: [String: String]) {
        status = .unprocessableContent
        errors = fieldErrors
    }

    /// `response` with `Retry-After` when throttled.
    func apply(to response: HTTPResponse) -> HTTPResponse {
        guard let retryAfterSeconds else { return response }
        var response = response
        response.headers.set("Retry-After", String(retryAfterSeconds))
        return response
    }
}
