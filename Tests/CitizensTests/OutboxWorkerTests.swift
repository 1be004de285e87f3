import Foundation
@testable import Citizens
import Storage
import Support
import Testing

/// Polls `condition` for up to `seconds`.
private func eventually(_ seconds: Double = 5, _ condition: () throws -> Bool) rethrows -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
        if try condition() { return true }
        Thread.sleep(forTimeInterval: 0.01)
    }
    return try condition()
}

@Test func theWorkerDeliversOnNotifyAndStops() throws {
    let fixture = try OutboxFixture()
    defer { fixture.remove() }
    let transport = RecordingTransport()
    // A long poll interval: only notify() can make the delivery prompt.
    let delivery = fixture.delivery(transport, pollInterval: 60)
    delivery.start()
    delivery.start() // a second start is ignored
    #expect(delivery.isRunning)
    Thread.sleep(forTimeInterval: 0.1) // let the first, empty pass finish and the thread sleep

    try fixture.enqueue(codeMessage)
    delivery.notify()
    #expect(eventually { transport.delivered.count == 1 })
    #expect(try eventually { try fixture.database.read { try fixture.outbox.counts(using: $0) }.delivered == 1 })

    let start = Date()
    delivery.stop()
    #expect(Date().timeIntervalSince(start) < 2, "stop waited for the poll interval")
    #expect(!delivery.isRunning)
    delivery.stop() // stopping a stopped worker returns at once

    // Stopped: nothing more is sent, even when notified.
    try fixture.enqueue(codeMessage)
    delivery.notify()
    Thread.sleep(forTimeInterval: 0.2)
    #expect(transport.delivered.count == 1)

    // And it can be started again.
    delivery.start()
    #expect(eventually { transport.delivered.count == 2 })
    delivery.stop()
}

@Test func theWorkerPollsWithoutNotify() throws {
    let fixture = try OutboxFixture()
    defer { fixture.remove() }
    let transport = RecordingTransport()
    let delivery = fixture.delivery(transport, pollInterval: 0.05)
    delivery.start()
    defer { delivery.stop() }
    Thread.sleep(forTimeInterval: 0.1)
    try fixture.enqueue(codeMessage)
    #expect(eventually { transport.delivered.count == 1 })
}

@Test func stopFinishesTheCurrentMessageThenReturns() throws {
    let fixture = try OutboxFixture()
    defer { fixture.remove() }
    for n in 0..<5 {
        try fixture.enqueue(OutboxMessage(channel: .email, recipient: "c\(n)@example.org", subject: "s", body: "code \(n)"))
    }
    let transport = RecordingTransport(delay: 0.2)
    let delivery = fixture.delivery(transport, pollInterval: 60)
    delivery.start()
    #expect(eventually { transport.calls >= 1 }) // inside the first delivery
    delivery.stop()
    let sent = transport.delivered.count
    #expect(sent >= 1 && sent < 5)
    // Every message handed to the transport was recorded before stop returned.
    #expect(try fixture.database.read { try fixture.outbox.counts(using: $0) } == (5 - sent, sent, 0))
}
