import HTTPServer
import Storage
import Support
import WebPages

/// The one place where errors become responses: a JSON problem document (RFC 9457) for API clients,
/// the HTML error page for browsers. Anything unrecognised is a 500 whose detail goes to the log only.
struct ErrorMapping: Sendable {
    let logger: Logger

    func response(for error: any Error, to request: HTTPRequest) -> HTTPResponse {
        let status: HTTPStatus
        var detail: String?
        var extraHeaders: HTTPHeaders = [:]
        switch error {
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
            ? problem(status, detail: detail, requestID: request.requestID)
            : page(status, language: Self.language(of: request), requestID: request.requestID)
        for field in extraHeaders { response.headers.set(field.name, field.value) }
        response.headers.set("Cache-Control", "no-store")
        return response
    }

    /// API paths and clients that ask for JSON get problem documents; everyone else gets a page.
    static func wantsJSON(_ request: HTTPRequest) -> Bool {
        if request.path.hasPrefix("/api/") || request.path.hasPrefix("/.well-known/") { return true }
        let accept = request.headers["Accept"] ?? ""
        return accept.contains("json") && !accept.contains("text/html")
    }

    static func language(of request: HTTPRequest) -> Language {
        (request.headers["Accept-Language"] ?? "").lowercased().hasPrefix("en") ? .en : .ru
    }

    private func problem(_ status: HTTPStatus, detail: String?, requestID: String) -> HTTPResponse {
        var fields = ["\"type\":\"about:blank\"", "\"title\":\(JSONText.quoted(status.reason))", "\"status\":\(status.code)",
                      "\"request_id\":\(JSONText.quoted(requestID))"]
        if let detail { fields.append("\"detail\":\(JSONText.quoted(detail))") }
        var response = HTTPResponse(status: status, body: Array("{\(fields.joined(separator: ","))}".utf8))
        response.headers.set("Content-Type", "application/problem+json")
        return response
    }

    private func page(_ status: HTTPStatus, language: Language, requestID: String) -> HTTPResponse {
        let (title, message) = Self.wording(status.code, language)
        let html = ErrorPage.render(ErrorPageModel(statusCode: status.code, title: title, message: message, requestID: requestID,
                                                   language: language))
        var response = HTTPResponse(status: status, body: Array(html.utf8))
        response.headers.set("Content-Type", "text/html; charset=utf-8")
        response.headers.set("Content-Security-Policy", "default-src 'none'; style-src 'self'; frame-ancestors 'none'")
        response.headers.set("X-Content-Type-Options", "nosniff")
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
