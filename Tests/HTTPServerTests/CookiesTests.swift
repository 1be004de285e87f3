import Foundation
import HTTPServer
import Testing

private func cookies(_ values: String...) -> Cookies {
    var headers = HTTPHeaders()
    for value in values { headers.add("Cookie", value) }
    let head = HTTPRequestHead(method: .get, target: "/", path: "/", query: nil, version: .http1_1, headers: headers)
    return HTTPRequest(head: head).cookies()
}

private func list(_ cookies: Cookies) -> [String] { cookies.map { "\($0.name)=\($0.value)" } }

@Test func cookiesParseWithSpacesAndQuotes() {
    #expect(list(cookies("sid=abc; theme=dark")) == ["sid=abc", "theme=dark"])
    #expect(list(cookies("  sid = abc ;theme=dark;lang=\"ru\"  ")) == ["sid=abc", "theme=dark", "lang=ru"])
    #expect(list(cookies("a=b=c; empty=; q=\"\"")) == ["a=b=c", "empty=", "q="])
    #expect(cookies().isEmpty)
}

@Test func duplicateCookieNamesKeepTheirOrder() {
    let jar = cookies("sid=most-specific; sid=site-wide", "other=1")
    #expect(jar.first("sid") == "most-specific")
    #expect(jar.values("sid") == ["most-specific", "site-wide"])
    #expect(jar.first("other") == "1")
    #expect(jar.first("absent") == nil)
}

@Test func junkIsSkippedNotFatal() {
    #expect(list(cookies(";;; ; noequals; =novalue; ok=1; \u{7F}=x; \"=\"")) == ["ok=1", "\u{7F}=x", "\"=\""])
    #expect(list(cookies("")) == [])
    #expect(list(cookies("=")) == [])
    #expect(list(cookies("a=\"")) == ["a=\""])
}

@Test func setCookieRendersEveryAttribute() {
    let session = SetCookie(name: "__Host-sid", value: "abc.DEF-123", maxAge: 3600,
                            expires: Date(timeIntervalSince1970: 784_111_777), sameSite: .strict)
    #expect(session.headerValue
        == "__Host-sid=abc.DEF-123; Path=/; Max-Age=3600; Expires=Sun, 06 Nov 1994 08:49:37 GMT; Secure; HttpOnly; SameSite=Strict")

    let plain = SetCookie(name: "lang", value: "ru", path: nil, domain: "esia.example", secure: false, httpOnly: false)
    #expect(plain.headerValue == "lang=ru; Domain=esia.example; SameSite=Lax")

    let crossSite = SetCookie(name: "sso", value: "\"q\"", path: "/oauth", sameSite: .none)
    #expect(crossSite.headerValue == "sso=\"q\"; Path=/oauth; Secure; HttpOnly; SameSite=None")

    #expect(SetCookie.removal(of: "sid").headerValue
        == "sid=; Path=/; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Secure; HttpOnly; SameSite=Lax")
}

@Test func setCookieHeadersAreAppendedNotReplaced() {
    var response = HTTPResponse.text("ok")
    response.setCookie(SetCookie(name: "a", value: "1"))
    response.setCookie(SetCookie(name: "b", value: "2"))
    #expect(response.headers.values("set-cookie").map { $0.prefix(3) } == ["a=1", "b=2"])
}

@Test func invalidCookiesAreProgrammerErrors() async {
    await #expect(processExitsWith: .failure) { _ = SetCookie(name: "bad name", value: "v") }
    await #expect(processExitsWith: .failure) { _ = SetCookie(name: "n", value: "has space") }
    await #expect(processExitsWith: .failure) { _ = SetCookie(name: "n", value: "semi;colon") }
    await #expect(processExitsWith: .failure) { _ = SetCookie(name: "n", value: "v", secure: false, sameSite: .none) }
    await #expect(processExitsWith: .failure) { _ = SetCookie(name: "__Host-n", value: "v", domain: "example.org") }
    await #expect(processExitsWith: .failure) { _ = SetCookie(name: "n", value: "v", path: "/a;b") }
}
