import Dispatch
import Support
import Testing

@Suite struct LockedTests {
    @Test func concurrentIncrementsAreNotLost() {
        let counter = Locked(0)
        DispatchQueue.concurrentPerform(iterations: 8) { _ in
            for _ in 0..<10_000 { counter.withLock { $0 += 1 } }
        }
        #expect(counter.withLock { $0 } == 80_000)
    }

    @Test func errorsThrownInsideLeaveTheLockFree() {
        struct Refused: Error {}
        let value = Locked([1])
        #expect(throws: Refused.self) { try value.withLock { _ throws(Refused) in throw Refused() } }
        #expect(value.withLock { $0 } == [1])
    }
}

@Suite struct SpaceTrimmingTests {
    @Test func onlySpacesAndTabsAtTheEndsGo() {
        #expect(" \t a b \t".trimmingSpacesAndTabs() == "a b")
        #expect("   ".trimmingSpacesAndTabs() == "")
        #expect("".trimmingSpacesAndTabs() == "")
        #expect("\na\r".trimmingSpacesAndTabs() == "\na\r")
        #expect(" ключ ".trimmingSpacesAndTabs() == "ключ")
        let inner = "xx  yy  zz".split(separator: "x").last!
        #expect(inner.trimmingSpacesAndTabs() == "yy  zz")
    }
}
