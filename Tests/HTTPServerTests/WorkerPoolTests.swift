import Foundation
import HTTPServer
import Synchronization
import Testing

@Suite struct WorkerPoolTests {
    @Test func aFullQueueRefusesAtOnce() {
        let gate = Gate()
        let pool = WorkerPool(threads: 1, capacity: 1, maxQueueWait: 60)
        defer { gate.open(2); pool.stop() }
        #expect(pool.submit { gate.wait() })
        #expect(gate.waitUntilEntered())
        #expect(pool.submit {})
        #expect(!pool.submit {})
        #expect(pool.rejectedJobs == 1)
    }

    @Test func aQueueThatWouldWaitTooLongRefusesAtSubmissionOnceJobDurationsAreKnown() {
        let pool = WorkerPool(threads: 1, capacity: 100, maxQueueWait: 0.5)
        defer { pool.stop() }
        // Teach the pool that jobs take about 0.3 s.
        let learned = DispatchSemaphore(value: 0)
        #expect(pool.submit { usleep(300_000); learned.signal() })
        learned.wait()
        usleep(20_000)
        let gate = Gate()
        #expect(pool.submit { gate.wait() })
        #expect(gate.waitUntilEntered())
        // One job queued behind the busy thread projects 0.3 s: accepted. A second projects 0.6 s: refused at once.
        #expect(pool.submit {})
        #expect(!pool.submit {})
        #expect(pool.rejectedJobs == 1)
        gate.open()
    }

    @Test func idleThreadsAlwaysTakeWorkWhateverTheAverage() {
        let pool = WorkerPool(threads: 2, capacity: 10, maxQueueWait: 0.01)
        defer { pool.stop() }
        let learned = DispatchSemaphore(value: 0)
        #expect(pool.submit { usleep(100_000); learned.signal() })
        learned.wait()
        usleep(20_000)
        let done = DispatchSemaphore(value: 0)
        #expect(pool.submit { done.signal() })
        #expect(done.wait(timeout: .now() + 2) == .success)
    }
}
