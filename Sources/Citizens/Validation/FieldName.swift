/// The form/JSON field names used in `FieldError.field`: the one place that lists them.
///
/// The web layer's forms and JSON bodies use the same names, so an error points straight at its input.
/// | name | what |
/// | --- | --- |
/// | `surname`, `givenName`, `patronymic` | names as written in the internal passport (`PersonName`) |
/// | `birthDate` | `CalendarDate`, checked by `DateRules.checkBirthDate` |
/// | `gender` | `Gender` |
/// | `phone` | `PhoneNumber` (Russian mobile) |
/// | `email` | `EmailAddress` |
/// | `password`, `passwordRepeat` | `PasswordPolicy`; `mismatch` on the repeat |
/// | `snils` | `SNILS` |
/// | `inn` | `INN` (personal, 12 digits) |
/// | `passportSeries`, `passportNumber` | `PassportSeries`, `PassportNumber` |
/// | `passportIssueDate` | `CalendarDate`, checked by `DateRules.checkPassportIssueDate` |
/// | `passportIssuer`, `passportIssuerCode` | `PassportIssuer`, `IssuerCode` |
/// | `address.region`, `address.city`, `address.street`, `address.house`, `address.building`, `address.flat`, `address.postalCode` | `PostalAddress` |
public enum FieldName {
    /// Surname (фамилия).
    public static let surname = "surname"
    /// Given name (имя).
    public static let givenName = "givenName"
    /// Patronymic (отчество), optional.
    public static let patronymic = "patronymic"
    /// Birth date.
    public static let birthDate = "birthDate"
    /// Gender.
    public static let gender = "gender"
    /// Mobile phone.
    public static let phone = "phone"
    /// E-mail address.
    public static let email = "email"
    /// New password.
    public static let password = "password"
    /// The new password typed a second time.
    public static let passwordRepeat = "passwordRepeat"
    /// SNILS.
    public static let snils = "snils"
    /// Personal INN.
    public static let inn = "inn"
    /// Passport series (4 digits).
    public static let passportSeries = "passportSeries"
    /// Passport number (6 digits).
    public static let passportNumber = "passportNumber"
    /// Passport issue date.
    public static let passportIssueDate = "passportIssueDate"
    /// Passport issuer name (кем выдан).
    public static let passportIssuer = "passportIssuer"
    /// Passport issuer division code (код подразделения).
    public static let passportIssuerCode = "passportIssuerCode"
    /// Address: region (субъект РФ).
    public static let addressRegion = "address.region"
    /// Address: city or settlement.
    public static let addressCity = "address.city"
    /// Address: street.
    public static let addressStreet = "address.street"
    /// Address: house number.
    public static let addressHouse = "address.house"
    /// Address: building (корпус/строение), optional.
    public static let addressBuilding = "address.building"
    /// Address: flat, optional.
    public static let addressFlat = "address.flat"
    /// Address: postal code (6 digits).
    public static let addressPostalCode = "address.postalCode"
}
