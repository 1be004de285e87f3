import Glibc

/// A value behind a plain glibc mutex, for state that request threads read on every request.
///
/// Not `Synchronization.Mutex`, because on Linux that is a priority-inheritance futex: a contended unlock hands the
/// lock to a sleeping waiter, so with more threads than cores (the worker pool) every contended lookup turned into a
/// wait for the scheduler. Measured on introspection: 36 % of the server's time in `Mutex._lockSlow` on a cache
/// lookup. glibc's default mutex lets a running thread take a free lock. Keep the closures short: no I/O inside.
public final class Locked<Value: Sendable>: @unchecked Sendable {
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    private var value: Value

    public init(_ value: Value) {
        self.value = value
        mutex = .allocate(capacity: 1)
        mutex.initialize(to: pthread_mutex_t())
        pthread_mutex_init(mutex, nil)
    }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }

    /// Runs `body` with the value, holding the lock.
    public func withLock<Result, Failure: Error>(_ body: (inout Value) throws(Failure) -> Result) throws(Failure) -> Result {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body(&value)
    }
}
