import Foundation
import HTTPServer
import Support
import Testing
import TestSupport

@Suite struct ServerLimitTests {
    private func expectRejected(_ request: String, status: Int, configure: (inout HTTPServerConfiguration) -> Void = { _ in }) throws {
        let server = try startServer(configure: configure)
        defer { server.stop() }
        let client = try RawClient(port: server.port)
        try client.send(request)
        let response = try client.readResponse()
        #expect(response.status == status)
        #expect(response.header("Connection") == "close")
        #expect(client.waitForClose())
    }

    @Test func longRequestLineGets414() throws {
        try expectRejected("GET /" + String(repeating: "a", count: 9000) + " HTTP/1.1\r\nHost: x\r\n\r\n", status: 414)
    }

    @Test func largeHeaderSectionGets431() throws {
        try expectRejected("GET /hello HTTP/1.1\r\nHost: x\r\nX-Big: " + String(repeating: "b", count: 17000) + "\r\n\r\n", status: 431)
    }

    @Test func tooManyHeaderFieldsGets431() throws {
        let fields = (0..<101).map { "X-F\($0): v\r\n" }.joined()
        try expectRejected("GET /hello HTTP/1.1\r\nHost: x\r\n" + fields + "\r\n", status: 431)
    }

    @Test func bodyOverDefaultLimitGets413() throws {
        try expectRejected("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 2000\r\n\r\n", status: 413) {
            $0.limits.maxBodyBytes = 1000
        }
    }

    @Test func routeOverridesTheBodyLimit() throws {
        let server = try startServer { $0.limits.maxBodyBytes = 1000 }
        defer { server.stop() }
        let client = try RawClient(port: server.port)
        try client.send("POST /big-upload HTTP/1.1\r\nHost: x\r\nContent-Length: 3000\r\n\r\n" + String(repeating: "z", count: 3000))
        #expect(try client.readResponse().text == "3000\n")
        let second = try RawClient(port: server.port)
        try second.send("POST /big-upload HTTP/1.1\r\nHost: x\r\nContent-Length: 5000\r\n\r\n")
        #expect(try second.readResponse().status == 413)
    }

    @Test func chunkedBodyOverLimitGets413() throws {
        try expectRejected("POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n400\r\n" + String(repeating: "q", count: 1024) + "\r\n0\r\n\r\n",
                           status: 413) { $0.limits.maxBodyBytes = 1000 }
    }

    @Test func malformedRequestsGet400AndClose() throws {
        let cases = [
            "GET /hello HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
            "GET /hello HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 1\r\n\r\na",
            "GET /hello HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n",
            "GET /hello HTTP/1.1\r\nHost: x\r\n folded\r\n\r\n",
            "GET /hello HTTP/1.1\nHost: x\r\n\r\n",
            "GET /hello HTTP/1.1\r\nHost: x\u{0}\r\n\r\n",
            "G(T /hello HTTP/1.1\r\nHost: x\r\n\r\n",
            "GET /hello HTTP/9.x\r\nHost: x\r\n\r\n",
            "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
            "GET /hello HTTP/1.1\r\n\r\n",
        ]
        for request in cases {
            try expectRejected(request, status: 400)
        }
    }

    @Test func headerReadTimeoutGets408ThenClose() throws {
        let server = try startServer { $0.limits.headerReadTimeout = 0.3 }
        defer { server.stop() }
        let client = try RawClient(port: server.port)
        try client.send("GET /hello HTTP/1.1\r\nHost:")
        let response = try client.readResponse()
        #expect(response.status == 408)
        #expect(response.header("Connection") == "close")
        #expect(client.waitForClose())
    }

    @Test func idleKeepAliveTimeoutGets408ThenClose() throws {
        let server = try startServer { $0.limits.idleTimeout = 0.3 }
        defer { server.stop() }
        let client = try RawClient(port: server.port)
        try client.send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(try client.readResponse().status == 200)
        let timeout = try client.readResponse()
        #expect(timeout.status == 408)
        #expect(client.waitForClose())
    }

    @Test func connectionsOverTheLimitGet503WithRetryAfter() throws {
        let server = try startServer {
            $0.limits.maxConnections = 2
            $0.eventLoops = 1
        }
        defer { server.stop() }
        let first = try RawClient(port: server.port)
        let second = try RawClient(port: server.port)
        // Make sure both are accepted before the third arrives.
        for client in [first, second] {
            try client.send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(try client.readResponse().status == 200)
        }
        let third = try RawClient(port: server.port)
        let refused = try third.readResponse()
        #expect(refused.status == 503)
        #expect(refused.header("Retry-After") == "1")
        #expect(refused.header("Connection") == "close")
        #expect(third.waitForClose())
        #expect(server.metrics.currentConnections == 2)
    }

    @Test func fullWorkerQueueAnswers503AtOnce() throws {
        let gate = Gate()
        let server = try startServer(standardResponder(gate: gate)) {
            $0.workerThreads = 1
            $0.workerQueueCapacity = 1
        }
        defer { server.stop() }
        let running = try RawClient(port: server.port)
        try running.send("GET /slow HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(gate.waitUntilEntered())
        let queued = try RawClient(port: server.port)
        try queued.send("GET /slow HTTP/1.1\r\nHost: x\r\n\r\n")
        // Wait until the second job sits in the queue.
        for _ in 0..<200 where server.workerPool.queueDepth < 1 { usleep(5000) }
        let rejected = try RawClient(port: server.port)
        try rejected.send("GET /worker HTTP/1.1\r\nHost: x\r\n\r\n")
        let busy = try rejected.readResponse()
        #expect(busy.status == 503)
        #expect(busy.header("Retry-After") == "1")
        // The rejected connection stays usable for inline routes.
        try rejected.send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(try rejected.readResponse().status == 200)
        gate.open(2)
        #expect(try running.readResponse().text == "slow done\n")
        #expect(try queued.readResponse().text == "slow done\n")
        #expect(server.workerPool.rejectedJobs == 1)
    }

    @Test func requestsThatWaitedTooLongForAWorkerGet503InsteadOfRunning() throws {
        let gate = Gate()
        let server = try startServer(standardResponder(gate: gate)) {
            $0.workerThreads = 1
            $0.workerQueueTimeout = 0.2
        }
        defer { server.stop() }
        let running = try RawClient(port: server.port)
        try running.send("GET /slow HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(gate.waitUntilEntered())
        let waiting = try RawClient(port: server.port)
        try waiting.send("GET /slow HTTP/1.1\r\nHost: x\r\n\r\n")
        for _ in 0..<200 where server.workerPool.queueDepth < 1 { usleep(5000) }
        usleep(400_000)
        gate.open()
        #expect(try running.readResponse().text == "slow done\n")
        let shed = try waiting.readResponse()
        #expect(shed.status == 503)
        #expect(shed.header("Retry-After") == "1")
        #expect(server.workerPool.shedJobs == 1)
        // The shed job never reached the gate: nothing is left waiting there.
        #expect(!gate.waitUntilEntered(timeout: 0.2))
    }

    @Test func gracefulShutdownFinishesInFlightRequestsAndStopsAccepting() throws {
        let gate = Gate()
        let server = try startServer(standardResponder(gate: gate))
        let busy = try RawClient(port: server.port)
        try busy.send("GET /slow HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(gate.waitUntilEntered())
        let idle = try RawClient(port: server.port)
        try idle.send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(try idle.readResponse().status == 200)

        server.shutdown()
        #expect(idle.waitForClose())
        #expect(throws: (any Error).self) {
            let late = try RawClient(port: server.port, timeout: 1)
            try late.send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n")
            _ = try late.readResponse()
        }
        gate.open()
        let response = try busy.readResponse()
        #expect(response.text == "slow done\n")
        #expect(response.header("Connection") == "close")
        server.waitUntilStopped()
    }

    @Test func shutdownGivesUpOnRequestsAfterTheGracePeriod() throws {
        let gate = Gate()
        let server = try startServer(standardResponder(gate: gate)) { $0.limits.shutdownGracePeriod = 0.3 }
        let busy = try RawClient(port: server.port)
        try busy.send("GET /slow HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(gate.waitUntilEntered())
        let started = Date()
        server.shutdown()
        server.waitUntilStopped()
        #expect(Date().timeIntervalSince(started) < 5)
        #expect(busy.waitForClose())
        gate.open()
    }
}
