import Activation
import Citizens
import Federation
import HeadCA
import HTTPServer
import Storage
import Support
import WebPages

/// The one place where errors become responses: a JSON problem document (RFC 9457) for API clients,
/// the HTML error page for browsers. Anything unrecognised is a 500 whose detail goes to the log only.
struct ErrorMapping: Sendable {
    let logger: Logger

    func response(for error: any Error, to request: HTTPRequest) -> HTTPResponse {
        if let oauth = error as? OAuthError { return Self.oauth(oauth) }
        if let refusal = Self.federationPage(error) {
            return page(.badRequest, language: Self.language(of: request), requestID: request.requestID, text: refusal)
        }
        if let response = Self.esia(error) { return response }
        if let refusal = error as? ESIAPageError {
            // ESIA's code after the sentence, so a portal's developer reading the page knows which check failed.
            return page(.badRequest, language: Self.language(of: request), requestID: request.requestID,
                        text: Self.esiaPage(refusal.error, logout: request.path == "/idp/ext/Logout"), suffix: " (\(refusal.error.code.rawValue))")
        }
        let status: HTTPStatus
        var detail: String?
        var fieldErrors: [FieldError] = []
        var portalErrors: [PortalFieldError] = []
        var signatureErrors: [(field: String, code: String)] = []
        var extraHeaders: HTTPHeaders = [:]
        switch error {
        case let citizens as CitizensError:
            (status, detail, fieldErrors) = Self.describe(citizens)
            if case .throttled(let seconds) = citizens.code { extraHeaders.set("Retry-After", String(seconds)) }
        case let activation as ActivationError:
            (status, detail, fieldErrors) = Self.describe(activation)
            if case .throttled(let seconds) = activation.code { extraHeaders.set("Retry-After", String(seconds)) }
            if case .letterLimit(let seconds) = activation.code { extraHeaders.set("Retry-After", String(seconds)) }
        case let staff as StaffError:
            (status, detail, fieldErrors) = Self.describe(staff)
            if case .throttled(let seconds) = staff { extraHeaders.set("Retry-After", String(seconds)) }
        case let portal as PortalError:
            (status, detail, portalErrors) = Self.describe(portal)
        case let challenge as ChallengeError:
            (status, detail) = Self.describe(challenge)
        case let signature as SignatureLoginError:
            (status, detail, signatureErrors) = Self.describe(signature)
            if case .throttled(let seconds) = signature { extraHeaders.set("Retry-After", String(seconds)) }
        case is APIAuthenticationError:
            status = .unauthorized
            detail = "A valid session token is required (Authorization: Bearer …)."
            extraHeaders.set("WWW-Authenticate", "Bearer")
        case let routing as RoutingError:
            status = routing.status
        case let decoding as RequestDecodingError:
            status = decoding.status
            detail = decoding.description
        case let storage as StorageError where storage.code == .busy:
            status = .serviceUnavailable
            extraHeaders.set("Retry-After", "1")
            logger.warning("database busy", ["request_id": request.requestID])
        default:
            status = .internalServerError
            // The type and request id locate the bug; the error's text might carry personal data, so it stays out.
            logger.error("unhandled error", ["request_id": request.requestID, "error_type": String(reflecting: type(of: error)),
                                             "path": request.path])
        }
        var response = Self.wantsJSON(request)
            ? problem(status, detail: detail, fieldErrors: fieldErrors.map { ($0.field, $0.code.rawValue) }
                        + portalErrors.map { ($0.path, $0.rule.rawValue) } + signatureErrors, requestID: request.requestID)
            : page(status, language: Self.language(of: request), requestID: request.requestID)
        for field in extraHeaders { response.headers.set(field.name, field.value) }
        response.headers.set("Cache-Control", "no-store")
        return response
    }

    /// Status, a sentence for the problem document, and field errors of a citizens error.
    static func describe(_ error: CitizensError) -> (HTTPStatus, String, [FieldError]) {
        switch error.code {
        case .invalid(let errors): return (.unprocessableContent, "Some fields are not valid.", errors)
        case .duplicateAccount:
            return (.conflict, "An account with these documents already exists. If it is yours, restore access to it (account recovery or a service centre).", [])
        case .contactInUse: return (.conflict, "This phone or e-mail is already confirmed on another account.", [])
        case .wrongCredentials: return (.unauthorized, "Wrong login or password.", [])
        case .throttled: return (.tooManyRequests, "Too many attempts; wait before trying again.", [])
        case .invalidCode: return (.unprocessableContent, "The code is not right.", [FieldError(field: "code", code: .mismatch)])
        case .expiredCode: return (.unprocessableContent, "The code has expired; request a new one.", [FieldError(field: "code", code: .notAllowed)])
        case .codeExhausted: return (.conflict, "Too many wrong codes; request a new one.", [])
        case .notFound: return (.notFound, "Not found.", [])
        case .contactNotConfirmed: return (.conflict, "Confirm your phone or e-mail first.", [])
        case .notAllowed: return (.conflict, "This action does not fit the account's current state.", [])
        case .noAccountForCertificate: return (.notFound, "No account holds this certificate's SNILS; you may register with the certificate.", [])
        case .snilsNotVerified:
            return (.conflict, "An account holds this SNILS, but it has not been verified there; log in with the password, or visit a service centre.", [])
        case .reauthenticationRequired: return (.forbidden, "Log in with your e-signature again to do this.", [])
        }
    }

    /// Status, sentence and field errors of an activation error. Never echoes a code.
    static func describe(_ error: ActivationError) -> (HTTPStatus, String, [FieldError]) {
        switch error.code {
        case .notFound: return (.notFound, "Not found.", [])
        case .levelNotStandard:
            return (.conflict, "Identity can be confirmed once SNILS and passport are verified (the standard level).", [])
        case .malformedCode: return (.unprocessableContent, "This is not an activation code.", [FieldError(field: "code", code: .invalidFormat)])
        case .wrongCode(let left):
            return (.unprocessableContent, "The code is not right; \(left) attempts left.", [FieldError(field: "code", code: .mismatch)])
        case .expiredCode: return (.unprocessableContent, "The code has expired; request a new one.", [FieldError(field: "code", code: .notAllowed)])
        case .codeExhausted: return (.conflict, "Too many wrong entries: this code no longer works; request a new one.", [])
        case .noActiveCode: return (.conflict, "There is no code to enter; request one first.", [])
        case .throttled: return (.tooManyRequests, "Too many attempts; wait before trying again.", [])
        case .letterLimit:
            return (.tooManyRequests, "Three letters were printed for this account in the last 30 days; order another later, "
                    + "or confirm your identity at a service centre.", [])
        case .invalidTransition(let from, let to): return (.conflict, "A letter that is \(from) cannot become \(to).", [])
        case .invalidTrackingNumber:
            return (.unprocessableContent, "The tracking number is not valid.", [FieldError(field: "trackingNumber", code: .invalidFormat)])
        case .exportInProgress: return (.conflict, "Another letter export is running.", [])
        case .exportFailed: return (.internalServerError, "The letter export failed.", [])
        }
    }

    /// Status, sentence and field errors of a staff error; one answer for every kind of failed login.
    static func describe(_ error: StaffError) -> (HTTPStatus, String, [FieldError]) {
        switch error {
        case .invalid(let errors): return (.unprocessableContent, "Some fields are not valid.", errors)
        case .loginTaken: return (.conflict, "Another staff account has this login.", [])
        case .snilsTaken: return (.conflict, "Another staff account has this SNILS.", [])
        case .unknownCentre: return (.unprocessableContent, "There is no such service centre.", [FieldError(field: "centre", code: .notAllowed)])
        case .wrongCredentials: return (.unauthorized, "Wrong login, password or code.", [])
        case .throttled: return (.tooManyRequests, "Too many attempts; wait before trying again.", [])
        case .notFound: return (.notFound, "Not found.", [])
        case .forbidden: return (.forbidden, "Your role does not allow this.", [])
        case .noStaffForCertificate: return (.forbidden, "No staff account has this certificate's SNILS on record.", [])
        case .disabled: return (.forbidden, "This staff account is disabled.", [])
        }
    }

    /// Status and sentence of a refused signature-login challenge: every one of them means "get a new challenge".
    static func describe(_ error: ChallengeError) -> (HTTPStatus, String) {
        switch error {
        case .unknown: return (.notFound, "No such challenge; request a new one.")
        case .wrongBinding, .wrongPurpose: return (.forbidden, "This challenge was issued to another session or for another login.")
        case .exhausted, .alreadyUsed: return (.gone, "This challenge was used up; request a new one and sign it.")
        case .expired: return (.gone, "This challenge has expired; request a new one and sign it.")
        case .emptyBinding: return (.internalServerError, "The challenge could not be issued.")
        }
    }

    /// Status, sentence and errors of a refused e-signature submission. The errors name the `signature` field; an untrusted
    /// certificate lists one per trust failure with its code (`revoked`, `ca_not_accredited`, …), and the sentence gives them
    /// in words. Bad input is a 4xx, never a 500.
    static func describe(_ error: SignatureLoginError) -> (HTTPStatus, String, [(field: String, code: String)]) {
        switch error {
        case .emptyUpload: return (.badRequest, "No signature was sent.", [("signature", "required")])
        case .malformed(let reason): return (.badRequest, "This is not a CMS signature: \(reason).", [("signature", "malformed")])
        case .signatureInvalid(let reason):
            return (.badRequest, "The signature does not verify over the challenge: \(reason). Sign a new challenge.",
                    [("signature", "signature_invalid")])
        case .unsupportedAlgorithm(let name):
            return (.badRequest, "The signature uses an algorithm that is not accepted: \(name).", [("signature", "unsupported_algorithm")])
        case .untrusted(let failures):
            let reasons = failures.map { Self.trustWording($0) }.joined(separator: "; ")
            return (.forbidden, "The signing certificate is not trusted: \(reasons).", failures.map { ("signature", $0.code) })
        case .noSNILS: return (.unprocessableContent, "The certificate holds no valid SNILS.", [("signature", "no_snils")])
        case .throttled: return (.tooManyRequests, "Too many challenges from this address; wait before asking again.", [])
        }
    }

    /// A trust failure in a few words, its code first: "certificate revoked (revoked: … since 2026-01-01T00:00:00Z …)".
    static func trustWording(_ failure: TrustFailure) -> String {
        let short = switch failure.code {
        case "revoked": "certificate revoked"
        case "expired": "certificate expired"
        case "not_yet_valid": "certificate not valid yet"
        case "ca_not_accredited": "issuing CA not accredited at issue time"
        case "ca_accreditation_ended": "issuing CA not accredited now"
        case "ca_terminated": "issuing CA terminated"
        case "issuer_not_accredited": "issuing CA not accredited"
        case "unknown_issuer": "unknown issuer"
        case "crl_missing": "no revocation list"
        case "crl_stale": "revocation list out of date"
        default: failure.code.replacingOccurrences(of: "_", with: " ")
        }
        return "\(short) (\(failure.code): \(failure.description))"
    }

    /// What an e-signature page shows for an error of the verification step, the challenges, or the services it
    /// calls, with the page's status; nil for errors that belong on the general error page.
    static func signatureProblem(_ error: any Error) -> (HTTPStatus, SignatureProblem)? {
        switch error {
        case let signature as SignatureLoginError:
            let status = describe(signature).0
            switch signature {
            case .emptyUpload: return (status, SignatureProblem(code: "empty"))
            case .malformed: return (status, SignatureProblem(code: "malformed"))
            case .signatureInvalid: return (status, SignatureProblem(code: "signatureInvalid"))
            case .unsupportedAlgorithm: return (status, SignatureProblem(code: "unsupportedAlgorithm"))
            case .untrusted(let failures): return (status, SignatureProblem(code: "untrusted", failures: failures.map(\.code)))
            case .noSNILS: return (status, SignatureProblem(code: "noSNILS"))
            case .throttled: return (status, SignatureProblem(code: "throttled"))
            }
        case let challenge as ChallengeError:
            let status = describe(challenge).0
            switch challenge {
            case .unknown: return (status, SignatureProblem(code: "challengeUnknown"))
            case .expired: return (status, SignatureProblem(code: "challengeExpired"))
            case .alreadyUsed: return (status, SignatureProblem(code: "challengeUsed"))
            case .wrongBinding, .wrongPurpose, .exhausted: return (status, SignatureProblem(code: "challengeForeign"))
            case .emptyBinding: return nil
            }
        case let citizens as CitizensError:
            let status = describe(citizens).0
            switch citizens.code {
            case .snilsNotVerified: return (status, SignatureProblem(code: "snilsNotVerified"))
            case .duplicateAccount: return (status, SignatureProblem(code: "duplicate"))
            case .invalid(let errors):
                // The SNILS was checked before; what the certificate can still get wrong is its names.
                return (status, SignatureProblem(code: errors.contains { $0.field == FieldName.snils } ? "noSNILS" : "nameInvalid"))
            default: return nil
            }
        case let staff as StaffError:
            let status = describe(staff).0
            switch staff {
            case .noStaffForCertificate: return (status, SignatureProblem(code: "noStaff"))
            case .disabled: return (status, SignatureProblem(code: "staffDisabled"))
            case .invalid: return (status, SignatureProblem(code: "noSNILS"))
            default: return nil
            }
        default:
            return nil
        }
    }

    /// Status, sentence and field errors of a portal error; list fields are named with the entry, `redirectUris[1]`.
    static func describe(_ error: PortalError) -> (HTTPStatus, String, [PortalFieldError]) {
        switch error {
        case .invalid(let errors): return (.unprocessableContent, "Some fields are not valid.", errors)
        case .clientIDTaken: return (.conflict, "Another portal has this client id.", [PortalFieldError(PortalField.clientID, .duplicate)])
        case .notFound: return (.notFound, "Not found.", [])
        case .noSecret: return (.conflict, "This portal authenticates without a client secret; there is none to rotate.", [])
        }
    }

    /// An OAuth error as the token, userinfo, introspection and revocation endpoints answer it (RFC 6749 §5.2,
    /// RFC 6750 §3): `{"error", "error_description"}`, never cached; 401 with the challenge for the scheme the client used.
    static func oauth(_ error: OAuthError) -> HTTPResponse {
        let status: HTTPStatus = switch error.code {
        case .invalidClient, .invalidToken: .unauthorized
        case .insufficientScope: .forbidden
        case .serverError: .internalServerError
        default: .badRequest
        }
        let body: JSONValue = ["error": .string(error.code.rawValue), "error_description": .string(error.detail)]
        var response = HTTPResponse.json(bytes: body.encoded(), status: status)
        response.headers.set("Cache-Control", "no-store")
        response.headers.set("Pragma", "no-cache")
        if error.code == .invalidClient && error.triedBasic { response.headers.set("WWW-Authenticate", "Basic realm=\"openesia\"") }
        if error.code == .invalidToken || error.code == .insufficientScope {
            response.headers.set("WWW-Authenticate",
                                 "Bearer realm=\"openesia\", error=\"\(error.code.rawValue)\", error_description=\"\(error.detail)\"")
        }
        return response
    }

    /// The ESIA dialect's machine answers (docs/esia.md): token errors as `{error, error_description: "ESIA-0070xx: …",
    /// state}` (401 for a failed client signature, 500 for ESIA-007007, else 400); person resources refuse a bad token with
    /// 401 and a `Bearer` challenge, missing scopes with 403 `{"code":"ESIA-005029","message":"scopeNotAllowed…"}`.
    static func esia(_ error: any Error) -> HTTPResponse? {
        let status: HTTPStatus
        let body: JSONValue
        var challenge: String?
        switch error {
        case let failure as ESIATokenFailure:
            status = switch failure.error.code {
            case .invalidClientSecret, .unknownClient: .unauthorized
            case .internalError: .internalServerError
            default: .badRequest
            }
            body = failure.json
        case is ESIAInvalidToken:
            status = .unauthorized
            body = ["error": "invalid_token", "error_description": "The access token is invalid, expired or revoked."]
            challenge = "Bearer realm=\"openesia\", error=\"invalid_token\""
        case let refusal as ESIAResourceError:
            switch refusal {
            case .scopeNotAllowed(let scopes):
                status = .forbidden
                body = ["code": "ESIA-005029", "message": .string("scopeNotAllowed: this resource needs the scope \(scopes)")]
            case .wrongSubject:
                status = .forbidden
                body = ["code": "accessDenied", "message": "the oid in the path is not the access token's subject"]
            case .notFound:
                status = .notFound
                body = ["code": "notFound", "message": "no such resource"]
            }
        default:
            return nil
        }
        var response = HTTPResponse.json(bytes: body.encoded(), status: status)
        response.headers.set("Cache-Control", "no-store")
        response.headers.set("Pragma", "no-cache")
        if let challenge { response.headers.set("WWW-Authenticate", challenge) }
        return response
    }

    /// The page wording of an ESIA authorization or logout refusal.
    static func esiaPage(_ error: ESIAError, logout: Bool) -> (OAuthText, OAuthText) {
        let title: OAuthText = logout ? .logoutTitle : .badRequestTitle
        return switch error.code {
        case .unknownClient: (title, .unknownClient)
        case .redirectURINotAllowed: (title, logout ? .unregisteredLogoutRedirect : .unregisteredRedirect)
        case .invalidParameter: (title, .duplicateParameter)
        default: (title, error.detail.contains("redirect_uri") ? .missingRedirect : .missingClient)
        }
    }

    /// The wording of the pages an authorization or logout request gets when it cannot be answered with a redirect.
    static func federationPage(_ error: any Error) -> (OAuthText, OAuthText)? {
        if let refusal = error as? AuthorizationPageError {
            return switch refusal {
            case .missingClientID: (.badRequestTitle, .missingClient)
            case .unknownClient: (.badRequestTitle, .unknownClient)
            case .missingRedirectURI: (.badRequestTitle, .missingRedirect)
            case .unregisteredRedirectURI: (.badRequestTitle, .unregisteredRedirect)
            case .duplicateParameter: (.badRequestTitle, .duplicateParameter)
            case .unknownRequest: (.badRequestTitle, .unknownRequest)
            }
        }
        if let refusal = error as? LogoutPageError {
            return switch refusal {
            case .invalidIDTokenHint: (.logoutTitle, .badLogoutHint)
            case .unknownClient: (.logoutTitle, .unknownClient)
            case .unregisteredRedirectURI: (.logoutTitle, .unregisteredLogoutRedirect)
            case .duplicateParameter: (.logoutTitle, .duplicateParameter)
            }
        }
        return nil
    }

    /// API paths and clients that ask for JSON get problem documents; everyone else gets a page.
    static func wantsJSON(_ request: HTTPRequest) -> Bool {
        if request.path.hasPrefix("/api/") || request.path.hasPrefix("/staff/api/") || request.path.hasPrefix("/.well-known/") { return true }
        let accept = request.headers["Accept"] ?? ""
        return accept.contains("json") && !accept.contains("text/html")
    }

    /// The same choice as the pages make: `?lang=`, the `lang` cookie, Accept-Language, else Russian.
    static func language(of request: HTTPRequest) -> Language {
        WebContext(request).language
    }

    private func problem(_ status: HTTPStatus, detail: String?, fieldErrors: [(field: String, code: String)], requestID: String) -> HTTPResponse {
        var fields = ["\"type\":\"about:blank\"", "\"title\":\(JSONText.quoted(status.reason))", "\"status\":\(status.code)",
                      "\"request_id\":\(JSONText.quoted(requestID))"]
        if let detail { fields.append("\"detail\":\(JSONText.quoted(detail))") }
        if !fieldErrors.isEmpty {
            let items = fieldErrors.map { "{\"field\":\(JSONText.quoted($0.field)),\"code\":\(JSONText.quoted($0.code))}" }
            fields.append("\"errors\":[\(items.joined(separator: ","))]")
        }
        var response = HTTPResponse(status: status, body: Array("{\(fields.joined(separator: ","))}".utf8))
        response.headers.set("Content-Type", "application/problem+json")
        return response
    }

    private func page(_ status: HTTPStatus, language: Language, requestID: String, text: (OAuthText, OAuthText)? = nil,
                      suffix: String = "") -> HTTPResponse {
        let s = Strings(language)
        let (title, message) = text.map { (s[oauth: $0.0], s[oauth: $0.1]) } ?? Self.wording(status.code, language)
        let html = ErrorPage.render(ErrorPageModel(statusCode: status.code, title: title, message: message + suffix, requestID: requestID,
                                                   language: language))
        var response = HTTPResponse(status: status, body: Array(html.utf8))
        for header in PageHeaders.all { response.headers.set(header.name, header.value) }
        return response
    }

    private static func wording(_ code: Int, _ language: Language) -> (String, String) {
        let ru = language == .ru
        switch code {
        case 400: return ru ? ("Неверный запрос", "Запрос не удалось разобрать. Проверьте введённые данные.")
                            : ("Bad request", "The request could not be understood. Check what was entered.")
        case 404: return ru ? ("Страница не найдена", "Такой страницы нет. Проверьте адрес.")
                            : ("Page not found", "There is no such page. Check the address.")
        case 405: return ru ? ("Действие недоступно", "Этот адрес не поддерживает такое действие.")
                            : ("Not allowed", "This address does not support that action.")
        case 413: return ru ? ("Слишком большой запрос", "Отправленные данные превышают допустимый размер.")
                            : ("Request too large", "What was sent is larger than allowed.")
        case 415: return ru ? ("Неподдерживаемый формат", "Данные отправлены в неподдерживаемом формате.")
                            : ("Unsupported format", "The data was sent in a format that is not supported.")
        case 503: return ru ? ("Сервис перегружен", "Попробуйте ещё раз через несколько секунд.")
                            : ("Service busy", "Please try again in a few seconds.")
        default: return ru ? ("Ошибка сервиса", "Что-то пошло не так. Мы уже знаем об этом; попробуйте позже.")
                           : ("Service error", "Something went wrong on our side. Please try again later.")
        }
    }
}
