import Glibc

/// A failed system call, with the errno it left.
public struct SocketError: Error, CustomStringConvertible, Sendable {
    public let operation: String
    public let errnoCode: Int32

    public var description: String { "\(operation) failed: \(String(cString: strerror(errnoCode))) (errno \(errnoCode))" }
}

/// The one place that calls into the kernel for sockets: retries EINTR and turns -1 into an error.
enum SystemCall {
    /// Runs `body` until it is not interrupted; returns its result or throws with errno.
    @discardableResult
    static func retrying<T: BinaryInteger>(_ operation: String, _ body: () -> T) throws -> T {
        while true {
            let result = body()
            if result >= 0 { return result }
            let code = errno
            if code == EINTR { continue }
            throw SocketError(operation: operation, errnoCode: code)
        }
    }

    /// Sets an integer socket option.
    static func setOption(_ fd: Int32, _ level: Int32, _ name: Int32, _ value: Int32) throws {
        var v = value
        try retrying("setsockopt(\(name))") {
            setsockopt(fd, level, name, &v, socklen_t(MemoryLayout<Int32>.size))
        }
    }

    /// Makes a descriptor non-blocking.
    static func setNonBlocking(_ fd: Int32) throws {
        let flags = try retrying("fcntl(F_GETFL)") { fcntl(fd, F_GETFL) }
        try retrying("fcntl(F_SETFL)") { fcntl(fd, F_SETFL, flags | O_NONBLOCK) }
    }
}
