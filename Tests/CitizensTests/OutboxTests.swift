import Foundation
@testable import Citizens
import Storage
import Support
import Testing

// MARK: - Helpers shared by the Outbox*Tests files

/// A temporary folder with a migrated database, removed by `remove()`.
final class OutboxFixture {
    let directory: URL
    let database: Database
    let clock = FixedClock(Date(timeIntervalSince1970: 1_800_000_000))
    let logs = MemorySink()
    var outbox: Outbox { Outbox(clock: clock) }
    var logger: Logger { Logger(minimumLevel: .debug, sink: logs, clock: clock) }

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("outbox-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        database = try Database(path: directory.appendingPathComponent("test.sqlite").path)
        try database.migrate(Outbox.migrations)
    }

    func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    func remove() {
        database.close()
        try? FileManager.default.removeItem(at: directory)
    }

    @discardableResult
    func enqueue(_ message: OutboxMessage) throws -> Int64 {
        let outbox = self.outbox
        return try database.write { try outbox.enqueue(message, using: $0) }
    }

    func delivery(_ transport: any MessageTransport, pollInterval: Double = 1, maxAttempts: Int = 10) -> OutboxDelivery {
        OutboxDelivery(database: database, outbox: outbox, transport: transport, clock: clock, logger: logger,
                       pollInterval: pollInterval, maxAttempts: maxAttempts)
    }

    func row(_ id: Int64) throws -> SQLRow {
        try database.read { try $0.queryOne("SELECT * FROM outbox WHERE id = ?", [.integer(id)])! }
    }
}

/// Keeps what it is given; fails while `failing` is set.
final class RecordingTransport: MessageTransport, @unchecked Sendable {
    private let lock = NSLock()
    private var messages: [OutboxMessage] = []
    private var callCount = 0
    private var shouldFail: Bool
    private let delay: Double

    init(failing: Bool = false, delay: Double = 0) {
        shouldFail = failing
        self.delay = delay
    }

    var delivered: [OutboxMessage] { lock.withLock { messages } }
    /// Calls begun, delivered or not.
    var calls: Int { lock.withLock { callCount } }
    var failing: Bool {
        get { lock.withLock { shouldFail } }
        set { lock.withLock { shouldFail = newValue } }
    }

    func deliver(_ message: OutboxMessage) throws {
        lock.withLock { callCount += 1 }
        if delay > 0 { Thread.sleep(forTimeInterval: delay) }
        try lock.withLock {
            if shouldFail { throw TransportError(.exited(status: 75), stderr: "gateway unavailable") }
            messages.append(message)
        }
    }
}

struct Deliberate: Error {}

let codeMessage = OutboxMessage(channel: .sms, recipient: "+79991234567", subject: "Код подтверждения",
                                body: "Ваш код: 482913")

// MARK: - Storing

@Test func enqueueInsideAFailingWriteStoresNothing() throws {
    let fixture = try OutboxFixture()
    defer { fixture.remove() }
    let outbox = fixture.outbox
    #expect(throws: Deliberate.self) {
        try fixture.database.write { executor in
            try outbox.enqueue(codeMessage, using: executor)
            throw Deliberate()
        }
    }
    #expect(try fixture.database.read { try outbox.counts(using: $0) } == (0, 0, 0))
    #expect(try fixture.database.read { try outbox.pending(limit: 10, using: $0) }.isEmpty)
}

@Test func enqueueRefusesMessagesThatCouldInjectHeaders() throws {
    let fixture = try OutboxFixture()
    defer { fixture.remove() }
    let bad: [(OutboxMessage, OutboxError)] = [
        (OutboxMessage(channel: .email, recipient: "a@example.org\nBcc: b@example.org", subject: "s", body: "b"), .invalidRecipient),
        (OutboxMessage(channel: .email, recipient: "no-at-sign", subject: "s", body: "b"), .invalidRecipient),
        (OutboxMessage(channel: .sms, recipient: "89991234567", subject: "", body: "b"), .invalidRecipient),
        (OutboxMessage(channel: .sms, recipient: "+7999abc4567", subject: "", body: "b"), .invalidRecipient),
        (OutboxMessage(channel: .email, recipient: "a@example.org", subject: "x\r\nBcc: b@example.org", body: "b"), .invalidSubject),
        (OutboxMessage(channel: .email, recipient: "a@example.org", subject: "s", body: ""), .invalidBody),
    ]
    for (message, error) in bad {
        #expect(throws: error) { try fixture.enqueue(message) }
    }
    #expect(try fixture.database.read { try fixture.outbox.counts(using: $0) } == (0, 0, 0))
}

@Test func pendingListsDueMessagesOldestFirst() throws {
    let fixture = try OutboxFixture()
    defer { fixture.remove() }
    var ids = [Int64]()
    for n in 0..<3 {
        ids.append(try fixture.enqueue(OutboxMessage(channel: .email, recipient: "c\(n)@example.org",
                                                     subject: "Notice \(n)", body: "text \(n)")))
        fixture.clock.advance(by: 1)
    }
    let pending = try fixture.database.read { try fixture.outbox.pending(limit: 10, using: $0) }
    #expect(pending.map(\.id) == ids)
    #expect(pending[0].message.recipient == "c0@example.org")
    #expect(pending[0].attempts == 0)
    #expect(pending[0].createdAt == Date(timeIntervalSince1970: 1_800_000_000))
    #expect(pending[2].nextAttemptAt == Date(timeIntervalSince1970: 1_800_000_002))
    #expect(try fixture.database.read { try fixture.outbox.pending(limit: 2, using: $0) }.count == 2)
    #expect(try fixture.database.read { try fixture.outbox.counts(using: $0) } == (3, 0, 0))
}

// MARK: - Delivering

@Test func deliveredMessagesAreRecordedAndTheirBodyBlanked() throws {
    let fixture = try OutboxFixture()
    defer { fixture.remove() }
    let id = try fixture.enqueue(codeMessage)
    let transport = RecordingTransport()
    let delivery = fixture.delivery(transport)

    #expect(delivery.deliverDue() == 1)
    #expect(transport.delivered == [codeMessage])
    let row = try fixture.row(id)
    #expect(try row.string("body") == "")
    #expect(try row.string("delivered_at") == Timestamp.iso8601(fixture.clock.now()))
    #expect(try row.int("attempts") == 1)
    #expect(try row.isNull("failed_at"))
    #expect(try fixture.database.read { try fixture.outbox.counts(using: $0) } == (0, 1, 0))

    #expect(delivery.deliverDue() == 0)
    #expect(transport.delivered.count == 1)
    // Logs name the message, never its text or recipient.
    let logs = fixture.logs.lines.joined(separator: "\n")
    #expect(logs.contains("outbox: delivered") && logs.contains("\"id\":\"\(id)\""))
    #expect(!logs.contains("482913") && !logs.contains("+79991234567"))
}

@Test func failedDeliveriesBackOffAndAreGivenUpAfterMaxAttempts() throws {
    let fixture = try OutboxFixture()
    defer { fixture.remove() }
    let id = try fixture.enqueue(codeMessage)
    let transport = RecordingTransport(failing: true)
    let delivery = fixture.delivery(transport, maxAttempts: 4)

    var previousDelay = 0.0
    for attempt in 1...3 {
        #expect(delivery.deliverDue() == 0)
        let row = try fixture.row(id)
        #expect(try row.int("attempts") == attempt)
        #expect(try row.string("body") == codeMessage.body)
        #expect(try row.string("last_error").contains("status 75"))
        let next = Outbox.parseTimestamp(try row.string("next_attempt_at"))!
        let delay = next.timeIntervalSince(fixture.clock.now())
        let base = 5 * Double(1 << (attempt - 1))
        #expect(delay >= base * 0.8 - 0.001 && delay <= base * 1.2 + 0.001)
        #expect(delay > previousDelay)
        previousDelay = delay

        // Not due yet: nothing is tried.
        fixture.clock.advance(by: delay - 0.5)
        #expect(try fixture.database.read { try fixture.outbox.pending(limit: 10, using: $0) }.isEmpty)
        fixture.clock.advance(by: 0.5)
    }
    #expect(delivery.deliverDue() == 0)
    let row = try fixture.row(id)
    #expect(try row.int("attempts") == 4)
    #expect(try row.string("failed_at") == Timestamp.iso8601(fixture.clock.now()))
    #expect(try row.string("body") == "")
    #expect(try fixture.database.read { try fixture.outbox.counts(using: $0) } == (0, 0, 1))
    fixture.clock.advance(by: 7200)
    #expect(delivery.deliverDue() == 0)

    let logs = fixture.logs.lines
    #expect(logs.filter { $0.contains("will retry") }.count == 3)
    #expect(logs.filter { $0.contains("giving up") }.count == 1)
    // The transport's stderr may echo the message: only the reason's summary is logged.
    #expect(!logs.joined().contains("gateway unavailable") && !logs.joined().contains("482913"))
}

@Test func aMessageThatFailedOnceIsDeliveredOnRetry() throws {
    let fixture = try OutboxFixture()
    defer { fixture.remove() }
    let id = try fixture.enqueue(codeMessage)
    let transport = RecordingTransport(failing: true)
    let delivery = fixture.delivery(transport)
    #expect(delivery.deliverDue() == 0)
    transport.failing = false
    fixture.clock.advance(by: 6.01)
    #expect(delivery.deliverDue() == 1)
    let row = try fixture.row(id)
    #expect(try row.int("attempts") == 2)
    #expect(try row.isNull("last_error"))
    #expect(try row.string("body") == "")
}

@Test func retryDelayDoublesFromFiveSecondsUpToAnHourWithJitter() {
    for attempts in 1...40 {
        let base = min(3600, 5 * pow(2, Double(attempts - 1)))
        for _ in 0..<20 {
            let delay = OutboxDelivery.retryDelay(afterAttempts: attempts)
            #expect(delay >= base * 0.8 && delay <= base * 1.2, "attempt \(attempts): \(delay)")
        }
    }
}

@Test func timestampsRoundTrip() {
    let date = Date(timeIntervalSince1970: 1_800_000_123.25)
    #expect(Outbox.parseTimestamp(Timestamp.iso8601(date)) == date)
    #expect(Outbox.parseTimestamp("2027-01-15 08:00:00.000Z") == nil)
}
