@testable import Federation
import Testing

@Suite struct WebOriginsTests {
    @Test func originsAreComparedAsBrowsersSendThem() {
        #expect(WebOrigins.origin(of: "https://App.Example:443/cb?x=1") == "https://app.example")
        #expect(WebOrigins.origin(of: "http://127.0.0.1:5000/cb") == "http://127.0.0.1:5000")
        #expect(WebOrigins.origin(of: "http://[::1]:80/cb") == "http://[::1]")
        #expect(WebOrigins.origin(of: "ru.gov.app:/cb") == nil)
        #expect(WebOrigins.normalized("https://app.example") == "https://app.example")
        #expect(WebOrigins.normalized("https://app.example:8443") == "https://app.example:8443")
        // An Origin header is an origin and nothing more.
        #expect(WebOrigins.normalized("https://app.example/cb") == nil)
        #expect(WebOrigins.normalized("https://user@app.example") == nil)
        #expect(WebOrigins.normalized("null") == nil)
    }
}
