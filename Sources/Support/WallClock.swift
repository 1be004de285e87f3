import Foundation
import Synchronization

/// Where the current time comes from. Injected wherever time matters, so tests can fix it.
public protocol WallClock: Sendable {
    /// The current instant.
    func now() -> Date
}

/// The operating system's clock.
public struct SystemClock: WallClock {
    public init() {}
    public func now() -> Date { Date() }
}

/// A clock that only moves when told to; for tests.
public final class FixedClock: WallClock {
    private let current: Mutex<Date>

    public init(_ start: Date = Date(timeIntervalSince1970: 1_800_000_000)) {
        current = Mutex(start)
    }

    public func now() -> Date { current.withLock { $0 } }

    /// Moves the clock forward (or backward, for a negative interval).
    public func advance(by seconds: TimeInterval) {
        current.withLock { $0 = $0.addingTimeInterval(seconds) }
    }

    /// Sets the clock to an instant.
    public func set(_ date: Date) {
        current.withLock { $0 = date }
    }
}

/// Monotonic time in nanoseconds, for durations and deadlines that must not jump with the wall clock.
public enum MonotonicTime {
    public static func nanoseconds() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return UInt64(ts.tv_sec) &* 1_000_000_000 &+ UInt64(ts.tv_nsec)
    }
}
