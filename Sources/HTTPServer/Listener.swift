import CLinuxSys
import Glibc

/// A listening TCP socket. Each event loop has its own on the same port (SO_REUSEPORT), so the kernel spreads connections.
enum Listener {
    /// Opens `count` listening sockets sharing one port. SO_REUSEPORT would let a second copy of the service bind the
    /// same port silently and take half the traffic, so a first bind without it proves the port is free (or picks one).
    static func openGroup(host: String, port: Int, count: Int) throws -> (fds: [Int32], port: Int) {
        let probe = try open(host: host, port: port, reusePort: false, listening: false)
        let chosen: Int
        do { chosen = try SocketAddress.boundPort(of: probe) } catch { close(probe); throw error }
        close(probe)
        var fds: [Int32] = []
        do {
            for _ in 0..<count { fds.append(try open(host: host, port: chosen)) }
        } catch {
            fds.forEach { close($0) }
            throw error
        }
        return (fds, chosen)
    }

    /// Opens a non-blocking listening socket on host:port.
    static func open(host: String, port: Int, backlog: Int32 = 1024, reusePort: Bool = true, listening: Bool = true) throws -> Int32 {
        var (family, storage, length) = try SocketAddress.resolve(host: host, port: port, passive: true)
        let fd = try SystemCall.retrying("socket") { socket(family, Int32(SOCK_STREAM.rawValue) | clinux_SOCK_CLOEXEC(), 0) }
        do {
            try SystemCall.setOption(fd, SOL_SOCKET, SO_REUSEADDR, 1)
            if reusePort { try SystemCall.setOption(fd, SOL_SOCKET, SO_REUSEPORT, 1) }
            _ = try withUnsafePointer(to: &storage) { ptr in
                try ptr.withMemoryRebound(to: sockaddr.self, capacity: 1) { sa in
                    try SystemCall.retrying("bind \(host):\(port)") { bind(fd, sa, length) }
                }
            }
            if listening { try SystemCall.retrying("listen") { listen(fd, backlog) } }
            try SystemCall.setNonBlocking(fd)
            return fd
        } catch {
            close(fd)
            throw error
        }
    }
}
