/// How failed logins slow down and lock out further attempts.
public struct ThrottlePolicy: Sendable, Equatable {
    /// Failures of an account key allowed before delays start.
    public var freeFailures = 3
    /// The first delay in seconds; each further failure doubles it.
    public var baseDelay: Double = 1
    /// The longest delay in seconds.
    public var maxDelay: Double = 60
    /// Failures of an account key within `window` that lock it.
    public var lockoutAfter = 10
    /// Seconds a locked key stays locked.
    public var lockoutDuration: Double = 15 * 60
    /// Failures from one address allowed before delays start; higher than for an account, since many
    /// citizens may share one address (an office, a carrier's NAT).
    public var addressFreeFailures = 20
    /// Failures from one address within `window` that lock the address.
    public var addressLockoutAfter = 50
    /// Seconds, counted from a key's first failure, after which its failures are forgotten.
    public var window: Double = 3600

    /// A policy with the defaults.
    public init() {}

    /// Free failures for a key: address keys have their own threshold.
    func freeFailures(for key: String) -> Int {
        LoginThrottle.isAddressKey(key) ? addressFreeFailures : freeFailures
    }

    /// Failures that lock a key.
    func lockoutThreshold(for key: String) -> Int {
        LoginThrottle.isAddressKey(key) ? addressLockoutAfter : lockoutAfter
    }

    /// Seconds to wait after the last failure once a key has `failures` failures; 0 while they are free.
    func delay(failures: Int, key: String) -> Double {
        let free = freeFailures(for: key)
        guard failures >= free else { return 0 }
        // Capping the exponent keeps the shift in range; maxDelay caps the result anyway.
        let exponent = min(failures - free, 60)
        return min(maxDelay, baseDelay * Double(1 << exponent))
    }
}
