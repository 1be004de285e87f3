import Foundation
import Testing
import TestSupport

@Suite struct OperationsEndpointTests {
    @Test func healthzAnswersOKWithRequestID() throws {
        let app = try TestApplication()
        defer { app.stop() }
        let client = try RawClient(port: app.port)
        try client.send("GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n")
        let response = try client.readResponse()
        #expect(response.status == 200)
        #expect(response.text == "{\"status\":\"ok\"}")
        #expect(response.header("Content-Type") == "application/json")
        #expect(response.header("X-Request-Id")?.isEmpty == false)
    }

    @Test func readyzChecksTheDatabase() throws {
        let app = try TestApplication()
        defer { app.stop() }
        let client = try RawClient(port: app.port)
        try client.send("GET /readyz HTTP/1.1\r\nHost: localhost\r\n\r\n")
        let ready = try client.readResponse()
        #expect(ready.status == 200)
        #expect(ready.text.contains("ready"))
        app.application.database.close()
        try client.send("GET /readyz HTTP/1.1\r\nHost: localhost\r\n\r\n")
        let unavailable = try client.readResponse()
        #expect(unavailable.status == 503)
        #expect(unavailable.text.contains("unreachable"))
    }

    @Test func metricsArePrometheusTextWithRequestsAndQueueDepth() throws {
        let app = try TestApplication()
        defer { app.stop() }
        let client = try RawClient(port: app.port)
        for _ in 0..<2 {
            try client.send("GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n")
            _ = try client.readResponse()
        }
        try client.send("GET /metrics HTTP/1.1\r\nHost: localhost\r\n\r\n")
        let metrics = try client.readResponse()
        #expect(metrics.header("Content-Type")?.hasPrefix("text/plain; version=0.0.4") == true)
        #expect(metrics.text.contains("openesia_http_requests_total{route=\"/healthz\",status=\"200\"} 2"))
        #expect(metrics.text.contains("# TYPE openesia_http_request_duration_seconds histogram"))
        #expect(metrics.text.contains("openesia_http_open_connections 1"))
        #expect(metrics.text.contains("openesia_worker_queue_depth 0"))
        #expect(metrics.text.contains("openesia_db_write_batches_total"))
    }

    @Test func unknownAPIPathGetsAProblemDocument() throws {
        let app = try TestApplication()
        defer { app.stop() }
        let client = try RawClient(port: app.port)
        try client.send("GET /api/v1/nothing HTTP/1.1\r\nHost: localhost\r\n\r\n")
        let response = try client.readResponse()
        #expect(response.status == 404)
        #expect(response.header("Content-Type") == "application/problem+json")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any])
        #expect(object["status"] as? Int == 404)
        #expect(object["request_id"] as? String == response.header("X-Request-Id"))
    }

    @Test func unknownPagePathGetsAnHTMLPageInTheAskedLanguage() throws {
        let app = try TestApplication()
        defer { app.stop() }
        let client = try RawClient(port: app.port)
        try client.send("GET /nothing HTTP/1.1\r\nHost: localhost\r\nAccept: text/html\r\nAccept-Language: en-GB,en\r\n\r\n")
        let response = try client.readResponse()
        #expect(response.status == 404)
        #expect(response.header("Content-Type") == "text/html; charset=utf-8")
        #expect(response.text.contains("Page not found"))
        #expect(response.header("Content-Security-Policy") != nil)
    }

    @Test func wrongMethodGets405WithAllow() throws {
        let app = try TestApplication()
        defer { app.stop() }
        let client = try RawClient(port: app.port)
        try client.send("POST /healthz HTTP/1.1\r\nHost: localhost\r\nContent-Length: 0\r\n\r\n")
        let response = try client.readResponse()
        #expect(response.status == 405)
        #expect(response.header("Allow")?.contains("GET") == true)
    }

    @Test func accessLogLinesCarryTheRequestIDAndNoQueryString() throws {
        let app = try TestApplication()
        let client = try RawClient(port: app.port)
        try client.send("GET /healthz?token=secret HTTP/1.1\r\nHost: localhost\r\n\r\n")
        let id = try #require(try client.readResponse().header("X-Request-Id"))
        app.stop()
        let line = try #require(app.logs.lines.first { $0.contains("\"msg\":\"request\"") })
        #expect(line.contains(id))
        #expect(line.contains("\"status\":200"))
        #expect(!line.contains("secret"))
    }
}
