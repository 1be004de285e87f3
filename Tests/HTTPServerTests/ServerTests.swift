import Foundation
import HTTPServer
import Support
import Testing
import TestSupport

@Suite struct ServerTests {
    @Test func keepAliveServesSeveralRequestsWithFramingHeaders() throws {
        let server = try startServer()
        defer { server.stop() }
        let client = try RawClient(port: server.port)
        for _ in 0..<3 {
            try client.send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n")
            let response = try client.readResponse()
            #expect(response.status == 200)
            #expect(response.text == "hello\n")
            #expect(response.header("Content-Length") == "6")
            #expect(response.header("Connection") == "keep-alive")
            #expect(response.header("Date")?.hasSuffix(" GMT") == true)
            #expect(response.header("X-Request-Id")?.isEmpty == false)
        }
    }

    @Test func pipelinedRequestsAreAnsweredInOrderAcrossInlineAndWorkerRoutes() throws {
        let server = try startServer()
        defer { server.stop() }
        let client = try RawClient(port: server.port)
        try client.send("GET /worker?1 HTTP/1.1\r\nHost: x\r\n\r\nGET /hello HTTP/1.1\r\nHost: x\r\n\r\n"
            + "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabcGET /worker?4 HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(try client.readResponse().text == "worker 1\n")
        #expect(try client.readResponse().text == "hello\n")
        #expect(try client.readResponse().text == "abc")
        #expect(try client.readResponse().text == "worker 4\n")
    }

    @Test func perRequestExecutionRunsEachRequestWhereItsBodyChose() throws {
        let gate = Gate()
        let server = try startServer(standardResponder(gate: gate)) { $0.workerThreads = 1 }
        defer { gate.open(4); server.stop() }
        let slow = try RawClient(port: server.port)
        try slow.send("GET /slow HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(gate.waitUntilEntered())
        // The only worker is held: a request whose body chose the event loop is answered anyway...
        let inline = try RawClient(port: server.port)
        try inline.send("POST /where HTTP/1.1\r\nHost: x\r\nContent-Length: 6\r\n\r\ninline")
        #expect(try inline.readResponse().status == 200)
        // ...and one whose body chose the pool waits for that worker.
        let pooled = try RawClient(port: server.port, timeout: 0.3)
        try pooled.send("POST /where HTTP/1.1\r\nHost: x\r\nContent-Length: 6\r\n\r\nworker")
        #expect(throws: (any Error).self) { try pooled.readResponse() }
        gate.open()
        #expect(try slow.readResponse().text == "slow done\n")
    }

    @Test func chunkedBodyIsDecoded() throws {
        let server = try startServer()
        defer { server.stop() }
        let client = try RawClient(port: server.port)
        try client.send("POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6;ext=1\r\n world\r\n0\r\n\r\n")
        let response = try client.readResponse()
        #expect(response.text == "hello world")
        #expect(response.header("Content-Length") == "11")
    }

    @Test func headGetsLengthButNoBody() throws {
        let server = try startServer()
        defer { server.stop() }
        let client = try RawClient(port: server.port)
        try client.send("HEAD /hello HTTP/1.1\r\nHost: x\r\n\r\nGET /hello HTTP/1.1\r\nHost: x\r\n\r\n")
        let head = try client.readResponse(headRequest: true)
        #expect(head.header("Content-Length") == "6")
        #expect(head.body.isEmpty)
        #expect(try client.readResponse().text == "hello\n")
    }

    @Test func expectContinueGetsInterimResponseBeforeBody() throws {
        let server = try startServer()
        defer { server.stop() }
        let client = try RawClient(port: server.port)
        try client.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nExpect: 100-continue\r\n\r\n")
        let interim = try client.readResponse()
        #expect(interim.status == 100)
        try client.send("data")
        #expect(try client.readResponse().text == "data")
    }

    @Test func unknownExpectationGets417AndClose() throws {
        let server = try startServer()
        defer { server.stop() }
        let client = try RawClient(port: server.port)
        try client.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nExpect: teapot\r\n\r\ndata")
        let response = try client.readResponse()
        #expect(response.status == 417)
        #expect(response.header("Connection") == "close")
        #expect(client.waitForClose())
    }

    @Test func http10WithoutKeepAliveIsClosedAfterResponse() throws {
        let server = try startServer()
        defer { server.stop() }
        let client = try RawClient(port: server.port)
        try client.send("GET /hello HTTP/1.0\r\n\r\n")
        let response = try client.readResponse()
        #expect(response.status == 200)
        #expect(response.header("Connection") == "close")
        #expect(client.waitForClose())
    }

    @Test func handlerErrorsGoThroughTheResponderMapping() throws {
        let server = try startServer()
        defer { server.stop() }
        let client = try RawClient(port: server.port)
        try client.send("GET /throws HTTP/1.1\r\nHost: x\r\n\r\n")
        let response = try client.readResponse()
        #expect(response.status == 500)
        #expect(response.text.hasPrefix("mapped:"))
    }

    @Test func headerValuesWithLineBreaksAreNeverWritten() throws {
        let server = try startServer()
        defer { server.stop() }
        let client = try RawClient(port: server.port)
        try client.send("GET /bad-header HTTP/1.1\r\nHost: x\r\n\r\n")
        let response = try client.readResponse()
        #expect(response.header("X-Evil") == nil)
        #expect(response.header("Set-Cookie") == nil)
        #expect(response.header("X-Fine") == "ok")
    }

    @Test func halfClosedClientStillGetsItsAnswer() throws {
        let server = try startServer()
        defer { server.stop() }
        let client = try RawClient(port: server.port)
        try client.send("GET /worker?x HTTP/1.1\r\nHost: x\r\n\r\n")
        client.shutdownWrite()
        let response = try client.readResponse()
        #expect(response.text == "worker x\n")
        #expect(client.waitForClose())
    }

    @Test func acceptableIncomingRequestIDIsKeptAndBadOneReplaced() throws {
        let server = try startServer()
        defer { server.stop() }
        let client = try RawClient(port: server.port)
        try client.send("GET /hello HTTP/1.1\r\nHost: x\r\nX-Request-Id: abc-123\r\n\r\n")
        #expect(try client.readResponse().header("X-Request-Id") == "abc-123")
        try client.send("GET /hello HTTP/1.1\r\nHost: x\r\nX-Request-Id: a\"b\r\n\r\n")
        #expect(try client.readResponse().header("X-Request-Id") != "a\"b")
    }

    @Test func metricsCountRequestsByRouteAndStatus() throws {
        let server = try startServer()
        defer { server.stop() }
        let client = try RawClient(port: server.port)
        for _ in 0..<3 {
            try client.send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n")
            _ = try client.readResponse()
        }
        try client.send("GET /nowhere HTTP/1.1\r\nHost: x\r\n\r\n")
        _ = try client.readResponse()
        #expect(server.metrics.requests(route: "/hello", status: 200) == 3)
        #expect(server.metrics.requests(route: "unmatched", status: 404) == 1)
        let text = server.metrics.prometheusText()
        #expect(text.contains("openesia_http_requests_total{route=\"/hello\",status=\"200\"} 3"))
        #expect(text.contains("openesia_http_request_duration_seconds_count{route=\"/hello\"} 3"))
        #expect(text.contains("openesia_http_open_connections 1"))
    }

    @Test func accessLogWritesOneJSONLinePerRequestWithoutQuery() throws {
        let sink = MemorySink()
        let server = try startServer { $0.accessLog = sink }
        let client = try RawClient(port: server.port)
        try client.send("GET /worker?secret=1 HTTP/1.1\r\nHost: x\r\n\r\n")
        let response = try client.readResponse()
        server.stop()
        let lines = sink.lines.filter { !$0.isEmpty }
        #expect(lines.count == 1)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any])
        #expect(object["path"] as? String == "/worker")
        #expect(object["status"] as? Int == 200)
        #expect(object["request_id"] as? String == response.header("X-Request-Id"))
        #expect(object["method"] as? String == "GET")
        #expect(object["remote"] as? String != nil)
        #expect(object["duration_ms"] != nil)
        #expect(!lines[0].contains("secret"))
    }
}
