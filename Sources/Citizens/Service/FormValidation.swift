import Foundation
import Support

/// Turns raw form text into checked values using the validators, reporting every field problem at once as
/// `CitizensError.invalid`.
enum FormValidation {
    struct ValidRegistration: Sendable {
        var surname: String
        var givenName: String
        var patronymic: String?
        var birthDate: String
        var gender: String
        var contacts: [(ContactKind, String)]
    }

    struct ValidDocuments: Sendable {
        var snils: String
        var passportSeries: String
        var passportNumber: String
        var passportJSON: String
        var inn: String?
        var addressJSON: String
    }

    /// Today's date in Moscow time, where the service's legal day runs (UTC+3, no daylight saving since 2014).
    static func today(_ clock: any WallClock) -> CalendarDate {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(secondsFromGMT: 3 * 3600)!
        let parts = calendar.dateComponents([.year, .month, .day], from: clock.now())
        return CalendarDate(year: parts.year!, month: parts.month!, day: parts.day!)!
    }

    static func registration(_ form: RegistrationForm, today: CalendarDate) throws -> ValidRegistration {
        var errors: [FieldError] = []
        var person: PersonDetails?
        do {
            person = try PersonDetails(surname: form.surname, givenName: form.givenName, patronymic: form.patronymic,
                                       birthDate: form.birthDate, gender: form.gender, today: today)
        } catch {
            errors += error.errors
        }
        var contacts: [(ContactKind, String)] = []
        var collector = FieldErrorCollector()
        if !form.phone.trimmingCharacters(in: .whitespaces).isEmpty {
            if let phone = collector.parse({ () throws(FieldError) in try PhoneNumber(parsing: form.phone) }) { contacts.append((.phone, phone.value)) }
        }
        if !form.email.trimmingCharacters(in: .whitespaces).isEmpty {
            if let email = collector.parse({ () throws(FieldError) in try EmailAddress(parsing: form.email) }) { contacts.append((.email, email.value)) }
        }
        errors += collector.errors
        if form.phone.trimmingCharacters(in: .whitespaces).isEmpty && form.email.trimmingCharacters(in: .whitespaces).isEmpty {
            errors.append(FieldError(field: FieldName.phone, code: .required))
            errors.append(FieldError(field: FieldName.email, code: .required))
        }
        let context = person?.passwordContext ?? PasswordContext(surname: form.surname, givenName: form.givenName, patronymic: form.patronymic)
        do {
            try PasswordPolicy.validate(form.password, repeated: form.passwordRepeat ?? form.password, context: context)
        } catch {
            errors += error.errors
        }
        if !form.consent { errors.append(FieldError(field: "consent", code: .required)) }
        guard errors.isEmpty, let person else { throw CitizensError.invalid(errors) }
        return ValidRegistration(surname: person.surname.value, givenName: person.givenName.value, patronymic: person.patronymic?.value,
                                 birthDate: person.birthDate.iso8601, gender: person.gender.rawValue, contacts: contacts)
    }

    static func documents(_ form: DocumentsForm, birthDate: String, today: CalendarDate) throws -> ValidDocuments {
        var errors: [FieldError] = []
        var collector = FieldErrorCollector()
        let snils = collector.parse { () throws(FieldError) in try SNILS(parsing: form.snils) }
        let inn = form.inn.trimmingCharacters(in: .whitespaces).isEmpty ? nil
            : collector.parse { () throws(FieldError) in try INN(parsing: form.inn) }
        errors += collector.errors
        let born = try? CalendarDate(parsing: birthDate, field: FieldName.birthDate)
        var passport: Passport?
        do {
            passport = try Passport(series: form.passportSeries, number: form.passportNumber, issueDate: form.passportIssueDate,
                                    issuer: form.passportIssuer, issuerCode: form.passportIssuerCode, birthDate: born, today: today)
        } catch {
            errors += error.errors
        }
        var address: PostalAddress?
        do {
            address = try PostalAddress(region: form.region, city: form.city, street: form.street, house: form.house,
                                        building: form.building, flat: form.flat, postalCode: form.postalCode)
        } catch {
            errors += error.errors
        }
        guard errors.isEmpty, let snils, let passport, let address else { throw CitizensError.invalid(errors) }
        let passportData = PassportData(series: passport.series.digits, number: passport.number.digits, issueDate: passport.issueDate.iso8601,
                                        issuer: passport.issuer.name, issuerCode: passport.issuerCode.formatted)
        let addressData = AddressData(postalCode: address.postalCode, region: address.region, city: address.city, street: address.street,
                                      house: address.house, building: address.building, flat: address.flat)
        return ValidDocuments(snils: snils.digits, passportSeries: passport.series.digits, passportNumber: passport.number.digits,
                              passportJSON: passportData.encoded(), inn: inn.map(\.digits), addressJSON: addressData.encoded())
    }

    struct ValidCertificate: Sendable {
        var snils: String
        var surname: String
        var givenName: String
        var patronymic: String?
        /// The INN when the certificate has a valid one.
        var inn: String?
        /// `present`, `absent` or `invalid` (an INN that fails its checksum is left out, not refused).
        var innState: String
    }

    /// A certificate's holder data checked with the registration validators. `GN` holds the given name and the
    /// patronymic: the first word is the given name, the rest (which may be two words: `Гусейн оглы`) the patronymic.
    static func certificate(_ identity: CertificateIdentity) throws -> ValidCertificate {
        var collector = FieldErrorCollector()
        let snils = collector.parse { () throws(FieldError) in try SNILS(parsing: identity.snils) }
        let surname = collector.parse { () throws(FieldError) in try PersonName(parsing: identity.surname ?? "", field: FieldName.surname) }
        let names = TextRules.collapsingSpaces(identity.givenNames ?? "")
        let split = names.firstIndex(of: " ")
        let given = split.map { String(names[..<$0]) } ?? names
        let rest = split.map { String(names[names.index(after: $0)...]) } ?? ""
        let givenName = collector.parse { () throws(FieldError) in try PersonName(parsing: given, field: FieldName.givenName) }
        let patronymic = collector.parse { () throws(FieldError) in try PersonName.parseOptional(rest) }
        guard let snils, let surname, let givenName, let patronymic else { throw CitizensError.invalid(collector.errors) }
        let inn = identity.inn.flatMap { try? INN(parsing: $0).digits }
        return ValidCertificate(snils: snils.digits, surname: surname.value, givenName: givenName.value, patronymic: patronymic?.value,
                                inn: inn, innState: identity.inn == nil ? "absent" : inn == nil ? "invalid" : "present")
    }

    /// A birth date and gender added to an account that lacks them, checked as at registration.
    static func personalDetails(birthDate: String, gender: String, today: CalendarDate) throws -> (birthDate: String, gender: String) {
        var collector = FieldErrorCollector()
        let date = collector.parse { () throws(FieldError) in try DateRules.parseBirthDate(birthDate, today: today) }
        let gender = collector.parse { () throws(FieldError) in try Gender(parsing: gender) }
        guard let date, let gender else { throw CitizensError.invalid(collector.errors) }
        return (date.iso8601, gender.rawValue)
    }

    /// The 11 digits of a SNILS typed in any accepted form.
    static func snilsDigits(_ text: String) throws -> String {
        do { return try SNILS(parsing: text).digits } catch { throw CitizensError.invalid([error]) }
    }

    /// A new phone number or e-mail address, normalised.
    static func contact(_ kind: ContactKind, _ value: String) throws -> String {
        do {
            switch kind {
            case .phone: return try PhoneNumber(parsing: value).value
            case .email: return try EmailAddress(parsing: value).value
            }
        } catch {
            throw CitizensError.invalid([error])
        }
    }

    static func newPassword(_ password: String, repeat repeated: String?, surname: String, givenName: String, patronymic: String?,
                            birthDate: String?, snils: String?) throws {
        let context = PasswordContext(surname: surname, givenName: givenName, patronymic: patronymic, snilsDigits: snils,
                                      birthDate: birthDate.flatMap { try? CalendarDate(parsing: $0, field: FieldName.birthDate) })
        do {
            try PasswordPolicy.validate(password, repeated: repeated ?? password, context: context)
        } catch {
            throw CitizensError.invalid(error.errors)
        }
    }

    /// The ways a login identifier may be read: a SNILS, a phone number, an e-mail address.
    struct LoginLookup: Sendable {
        var snils: String?
        var phone: String?
        var email: String?
        /// The identifier as typed, trimmed and lower-cased: the throttling key for unknown accounts.
        var normalised: String
    }

    static func loginIdentifier(_ text: String) -> LoginLookup {
        let trimmed = String(text.trimmingCharacters(in: .whitespacesAndNewlines).prefix(256))
        var lookup = LoginLookup(normalised: trimmed.lowercased())
        if trimmed.contains("@") {
            lookup.email = try? EmailAddress(parsing: trimmed).value
        } else {
            lookup.snils = try? SNILS(parsing: trimmed).digits
            lookup.phone = try? PhoneNumber(parsing: trimmed).value
        }
        if let value = lookup.email ?? lookup.snils ?? lookup.phone { lookup.normalised = value }
        return lookup
    }
}
