import Support
import Citizens
import Foundation

/// JSON bodies of the citizens API (docs/api.md). Optional fields decode as absent or null; unknown fields are ignored.
enum CitizenAPI {
    struct RegisterRequest: Decodable {
        var surname: String?
        var givenName: String?
        var patronymic: String?
        var birthDate: String?
        var gender: String?
        var phone: String?
        var email: String?
        var password: String?
        var consent: Bool?

        var form: RegistrationForm {
            var form = RegistrationForm()
            form.surname = surname ?? ""
            form.givenName = givenName ?? ""
            form.patronymic = patronymic ?? ""
            form.birthDate = birthDate ?? ""
            form.gender = gender ?? ""
            form.phone = phone ?? ""
            form.email = email ?? ""
            form.password = password ?? ""
            form.consent = consent ?? false
            return form
        }
    }

    struct Passport: Decodable {
        var series: String?
        var number: String?
        var issueDate: String?
        var issuer: String?
        var issuerCode: String?
    }

    struct Address: Decodable {
        var postalCode: String?
        var region: String?
        var city: String?
        var street: String?
        var house: String?
        var building: String?
        var flat: String?
    }

    struct DocumentsRequest: Decodable {
        var snils: String?
        var passport: Passport?
        var inn: String?
        var address: Address?

        /// The service's field names (`FieldName`) of the passport as paths in this body; the address's already match.
        static let fieldNames = ["passportSeries": "passport.series", "passportNumber": "passport.number",
                                 "passportIssueDate": "passport.issueDate", "passportIssuer": "passport.issuer",
                                 "passportIssuerCode": "passport.issuerCode"]

        var form: DocumentsForm {
            var form = DocumentsForm()
            form.snils = snils ?? ""
            form.passportSeries = passport?.series ?? ""
            form.passportNumber = passport?.number ?? ""
            form.passportIssueDate = passport?.issueDate ?? ""
            form.passportIssuer = passport?.issuer ?? ""
            form.passportIssuerCode = passport?.issuerCode ?? ""
            form.inn = inn ?? ""
            form.postalCode = address?.postalCode ?? ""
            form.region = address?.region ?? ""
            form.city = address?.city ?? ""
            form.street = address?.street ?? ""
            form.house = address?.house ?? ""
            form.building = address?.building ?? ""
            form.flat = address?.flat ?? ""
            return form
        }
    }

    struct LoginRequest: Decodable {
        var login: String?
        var password: String?
    }

    struct ContactCodeRequest: Decodable {
        var kind: String?
        var code: String?
    }

    struct ContactRequest: Decodable {
        var kind: String?
        var value: String?
    }

    struct PasswordChangeRequest: Decodable {
        var currentPassword: String?
        var newPassword: String?
    }

    struct SessionBody: Encodable {
        var token: String
        var expiresAt: String
    }

    struct RegistrationResponse: Encodable {
        var id: String
        var session: SessionBody
        var contactsToConfirm: [ContactBody]
    }

    struct ContactBody: Encodable {
        var kind: String
        var value: String
        var confirmed: Bool
    }

    struct DocumentsBody: Encodable {
        var snils: String
        var passport: String?
        var snilsStatus: String
        var snilsReason: String?
        var passportStatus: String
        var passportReason: String?
        var inn: Bool
    }

    struct ProfileBody: Encodable {
        var id: String
        var surname: String
        var givenName: String
        var patronymic: String?
        var birthDate: String?
        var gender: String?
        var level: String?
        var levelMethod: String
        var levelReachedAt: String
        var contacts: [ContactBody]
        var documents: DocumentsBody?
        /// What an account made from a certificate still lacks; absent when nothing is missing.
        var missingData: [String]?

        init(_ profile: CitizenProfile) {
            id = profile.publicID
            surname = profile.surname
            givenName = profile.givenName
            patronymic = profile.patronymic
            birthDate = profile.birthDate
            gender = profile.gender
            level = profile.level?.rawValue
            levelMethod = profile.evidence.method
            levelReachedAt = Timestamp.iso8601(profile.evidence.reachedAt)
            contacts = profile.contacts.map { ContactBody(kind: $0.kind.rawValue, value: $0.value, confirmed: $0.confirmedAt != nil) }
            documents = profile.documents.map {
                DocumentsBody(snils: $0.snilsMasked, passport: $0.passportMasked, snilsStatus: $0.snilsStatus.rawValue,
                              snilsReason: $0.snilsReason, passportStatus: $0.passportStatus.rawValue,
                              passportReason: $0.passportReason, inn: $0.hasINN)
            }
            missingData = profile.missingData.isEmpty ? nil : profile.missingData.map(\.rawValue)
        }
    }

    struct SessionListBody: Encodable {
        var handle: String
        var createdAt: String
        var lastSeenAt: String
        var userAgent: String
        var sourceAddress: String
        var current: Bool
    }
}
