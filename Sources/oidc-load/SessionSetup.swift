import HTTPServer

/// Before the measured phases: logs seeded citizens in through the login page (the only scrypt of the run) and
/// allows the portal once on the consent page, so that later authorizations answer at once with a code.
struct SessionSetup {
    let writer: RequestWriter
    let portal: FlowPortal
    let port: Int

    /// The `Cookie` header of a logged-in session for `login`, with consent to the portal on file.
    func session(login: String, password: String) throws -> String {
        let connection = try LoadConnection(port: port)
        var jar = CookieJar()
        func exchange(_ request: [UInt8]) throws -> LoadResponse {
            try connection.send(request)
            let response = try connection.receiveBlocking()
            jar.take(response)
            return response
        }
        let loginPage = try exchange(writer.get("/login"))
        guard loginPage.status == 200, let csrf = Self.hiddenValue("csrf", in: loginPage.text) else {
            throw LoadError("login page: status \(loginPage.status)")
        }
        let loggedIn = try exchange(writer.postForm("/login", [("csrf", csrf), ("login", login), ("password", password)],
                                                    headers: [("Cookie", jar.header)], asPortal: false))
        guard loggedIn.status == 303, jar.cookies["sid"] != nil else { throw LoadError("login of \(login): status \(loggedIn.status)") }
        let session = "sid=" + jar.cookies["sid"]!

        let authorize = try exchange(writer.get(portal.authorizeTarget(state: "setup"), headers: [("Cookie", jar.header)]))
        guard authorize.status == 303, let location = authorize.headers["Location"] else {
            throw LoadError("authorize: status \(authorize.status)")
        }
        if location.hasPrefix(portal.redirectURI + "?code=") { return session }  // consent already on file
        guard location.hasPrefix("/oauth2/resume?") else { throw LoadError("authorize went to \(location)") }
        let consentPage = try exchange(writer.get(location, headers: [("Cookie", jar.header)]))
        guard consentPage.status == 200, let consentCSRF = Self.hiddenValue("csrf", in: consentPage.text),
              let request = Self.hiddenValue("request", in: consentPage.text) else {
            throw LoadError("consent page: status \(consentPage.status)")
        }
        let allowed = try exchange(writer.postForm("/oauth2/consent", [("csrf", consentCSRF), ("request", request), ("decision", "allow")],
                                                   headers: [("Cookie", jar.header)], asPortal: false))
        guard allowed.status == 303, allowed.headers["Location"]?.hasPrefix(portal.redirectURI + "?code=") == true else {
            throw LoadError("consent: status \(allowed.status) to \(allowed.headers["Location"] ?? "-")")
        }
        return session
    }

    /// The value of `<input type="hidden" name="NAME" value="…">` as the server's pages write it.
    static func hiddenValue(_ name: String, in html: String) -> String? {
        guard let start = html.range(of: "name=\"\(name)\" value=\"") else { return nil }
        let rest = html[start.upperBound...]
        guard let end = rest.firstIndex(of: "\"") else { return nil }
        return String(rest[..<end]).replacingOccurrences(of: "&amp;", with: "&")
    }
}

/// Cookies by name from Set-Cookie, sent back as one Cookie header; enough for one site on loopback.
struct CookieJar {
    var cookies: [String: String] = [:]

    mutating func take(_ response: LoadResponse) {
        for value in response.headers.values("Set-Cookie") {
            let pair = value.split(separator: ";", maxSplits: 1)[0].split(separator: "=", maxSplits: 1)
            guard pair.count == 2 else { continue }
            let name = pair[0].trimmingCharacters(in: .whitespaces)
            if pair[1].isEmpty { cookies[name] = nil } else { cookies[name] = String(pair[1]) }
        }
    }

    var header: String { cookies.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: "; ") }
}
