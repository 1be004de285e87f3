import HTTPServer
import Testing

@Test func headerNamesCompareIgnoringCase() {
    var headers: HTTPHeaders = ["Content-Type": "text/plain"]
    headers.add("x-a", "1")
    headers.add("X-A", "2")
    #expect(headers["content-type"] == "text/plain")
    #expect(headers.values("x-A") == ["1", "2"])
    headers.set("X-a", "3")
    #expect(headers.values("x-a") == ["3"])
    #expect(!HTTPHeaders.equalNames("a-", "A_"))
}

@Test func keepAliveFollowsVersionAndConnectionHeader() {
    #expect(HTTPRequestHead.wantsKeepAlive(version: .http1_1, headers: [:]))
    #expect(!HTTPRequestHead.wantsKeepAlive(version: .http1_1, headers: ["Connection": "Close"]))
    #expect(!HTTPRequestHead.wantsKeepAlive(version: .http1_0, headers: [:]))
    #expect(HTTPRequestHead.wantsKeepAlive(version: .http1_0, headers: ["Connection": "keep-alive"]))
}
