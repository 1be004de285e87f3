import CLinuxSys
import Glibc

/// A listening TCP socket. Each event loop has its own on the same port (SO_REUSEPORT), so the kernel spreads connections.
enum Listener {
    /// Opens a non-blocking listening socket on host:port.
    static func open(host: String, port: Int, backlog: Int32 = 1024) throws -> Int32 {
        var (family, storage, length) = try SocketAddress.resolve(host: host, port: port, passive: true)
        let fd = try SystemCall.retrying("socket") { socket(family, Int32(SOCK_STREAM.rawValue) | clinux_SOCK_CLOEXEC(), 0) }
        do {
            try SystemCall.setOption(fd, SOL_SOCKET, SO_REUSEADDR, 1)
            try SystemCall.setOption(fd, SOL_SOCKET, SO_REUSEPORT, 1)
            _ = try withUnsafePointer(to: &storage) { ptr in
                try ptr.withMemoryRebound(to: sockaddr.self, capacity: 1) { sa in
                    try SystemCall.retrying("bind \(host):\(port)") { bind(fd, sa, length) }
                }
            }
            try SystemCall.retrying("listen") { listen(fd, backlog) }
            try SystemCall.setNonBlocking(fd)
            return fd
        } catch {
            close(fd)
            throw error
        }
    }
}
