import CLinuxSys
import Foundation
import Glibc
import Support
import Synchronization

/// A worker's answer travelling back to the loop that owns the connection.
struct Completion: Sendable {
    let fd: Int32
    let generation: UInt64
    let response: HTTPResponse
}

/// One thread, one epoll instance, one listening socket, and the connections it accepted.
///
/// Everything but `post` and `requestShutdown` runs on the loop's own thread.
final class EventLoop: @unchecked Sendable {
    let index: Int
    let context: ServerContext
    private let epollFD: Int32
    private let wakeFD: Int32
    private var listenerFD: Int32
    private var listenerPaused = false
    private var connections: [Connection?] = []
    private(set) var connectionCount = 0
    private var nextGeneration: UInt64 = 0
    private let inbox = Locked<[Completion]>([])
    private let shutdownFlag = Atomic<Bool>(false)
    private var draining = false
    private var drainDeadline: UInt64 = 0
    private var lastTick: UInt64 = 0
    private(set) var now: UInt64 = MonotonicTime.nanoseconds()
    private var dateSecond = 0
    private(set) var dateBytes: [UInt8] = []
    var requestIDs = RequestIDGenerator()
    let accessLog: AccessLog?
    let metrics: LoopMetrics
    /// Shared scratch space for reads, so idle connections hold no read buffer of their own.
    let readScratch = UnsafeMutableRawBufferPointer.allocate(byteCount: 64 * 1024, alignment: 16)

    private static let tickNanoseconds: UInt64 = 100_000_000

    init(index: Int, context: ServerContext, listenerFD: Int32) throws {
        self.index = index
        self.context = context
        self.listenerFD = listenerFD
        metrics = context.metrics.loops[index]
        accessLog = context.accessLogSink.map { AccessLog(sink: $0) }
        epollFD = try SystemCall.retrying("epoll_create1") { epoll_create1(clinux_EPOLL_CLOEXEC()) }
        wakeFD = try SystemCall.retrying("eventfd") { eventfd(0, clinux_EFD_NONBLOCK() | clinux_EFD_CLOEXEC()) }
        try register(wakeFD, events: EPOLLIN.rawValue)
        try register(listenerFD, events: EPOLLIN.rawValue)
        refreshDate()
    }

    deinit {
        readScratch.deallocate()
        close(epollFD)
        close(wakeFD)
    }

    // MARK: Cross-thread entry points

    /// Hands a worker's response to this loop (any thread).
    func post(_ completion: Completion) {
        let wasEmpty = inbox.withLock { box in
            box.append(completion)
            return box.count == 1
        }
        if wasEmpty { wake() }
    }

    /// Asks the loop to stop accepting and finish in-flight requests (any thread).
    func requestShutdown() {
        shutdownFlag.store(true, ordering: .releasing)
        wake()
    }

    private func wake() {
        var one: UInt64 = 1
        _ = Glibc.write(wakeFD, &one, 8)
    }

    // MARK: The loop

    /// Runs until shutdown has drained every connection or the grace period ran out.
    func run() {
        var events = [epoll_event](repeating: epoll_event(), count: 256)
        while true {
            let timeout = Int32(Self.tickNanoseconds / 1_000_000)
            let n = events.withUnsafeMutableBufferPointer { epoll_wait(epollFD, $0.baseAddress, Int32($0.count), timeout) }
            now = MonotonicTime.nanoseconds()
            if n < 0 {
                if errno == EINTR { continue }
                context.logger.error("epoll_wait failed", ["errno": String(errno)])
                break
            }
            refreshDate()
            for i in 0..<Int(n) {
                let event = events[i]
                let fd = event.data.fd
                if fd == wakeFD {
                    drainWake()
                } else if fd == listenerFD {
                    acceptConnections()
                } else if fd >= 0, fd < connections.count, let connection = connections[Int(fd)] {
                    connection.handle(events: event.events)
                }
            }
            if now &- lastTick >= Self.tickNanoseconds {
                lastTick = now
                tick()
            }
            if draining && (connectionCount == 0 || now >= drainDeadline) { break }
        }
        for case let connection? in connections { connection.close() }
        accessLog?.flush()
    }

    private func drainWake() {
        var value: UInt64 = 0
        _ = Glibc.read(wakeFD, &value, 8)
        let completions = inbox.withLock { box -> [Completion] in
            let taken = box
            box.removeAll(keepingCapacity: true)
            return taken
        }
        for completion in completions {
            let fd = Int(completion.fd)
            guard fd < connections.count, let connection = connections[fd], connection.generation == completion.generation else {
                continue  // the connection closed while its request was on a worker
            }
            connection.complete(with: completion.response)
        }
        if shutdownFlag.load(ordering: .acquiring) && !draining { beginDraining() }
    }

    private func beginDraining() {
        draining = true
        drainDeadline = now &+ UInt64(context.limits.shutdownGracePeriod * 1e9)
        if listenerFD >= 0 {
            _ = epoll_ctl(epollFD, EPOLL_CTL_DEL, listenerFD, nil)
            close(listenerFD)
            listenerFD = -1
        }
        for case let connection? in connections { connection.drain() }
    }

    var isDraining: Bool { draining }

    private func tick() {
        accessLog?.flush()
        if listenerPaused && listenerFD >= 0 {
            listenerPaused = false
            try? register(listenerFD, events: EPOLLIN.rawValue)
        }
        for case let connection? in connections { connection.checkDeadline() }
    }

    private func refreshDate() {
        let second = time(nil)
        if second != dateSecond {
            dateSecond = second
            dateBytes = Array(Timestamp.httpDate(secondsSince1970: second).utf8)
        }
    }

    /// Wall-clock milliseconds, for log lines.
    func wallMilliseconds() -> Int {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return ts.tv_sec * 1000 + ts.tv_nsec / 1_000_000
    }

    // MARK: Connections

    private func acceptConnections() {
        for _ in 0..<64 {
            var storage = sockaddr_storage()
            var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
            let fd = withUnsafeMutablePointer(to: &storage) { ptr in
                ptr.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    accept4(listenerFD, $0, &length, clinux_SOCK_NONBLOCK() | clinux_SOCK_CLOEXEC())
                }
            }
            if fd < 0 {
                switch errno {
                case EAGAIN, EWOULDBLOCK: return
                case EINTR, ECONNABORTED, EPROTO: continue
                case EMFILE, ENFILE, ENOBUFS, ENOMEM:
                    // Out of descriptors: stop listening until the next tick instead of spinning on a level-triggered event.
                    context.logger.warning("accept paused: out of file descriptors", ["errno": String(errno)])
                    _ = epoll_ctl(epollFD, EPOLL_CTL_DEL, listenerFD, nil)
                    listenerPaused = true
                    return
                default:
                    context.logger.error("accept failed", ["errno": String(errno)])
                    return
                }
            }
            let open = context.metrics.openConnections.wrappingAdd(1, ordering: .relaxed).newValue
            if open > context.limits.maxConnections {
                context.metrics.openConnections.wrappingSubtract(1, ordering: .relaxed)
                context.metrics.refusedConnections.wrappingAdd(1, ordering: .relaxed)
                refuse(fd)
                continue
            }
            context.metrics.acceptedConnections.wrappingAdd(1, ordering: .relaxed)
            var one: Int32 = 1
            setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
            let remote = withUnsafePointer(to: &storage) { SocketAddress.describe($0) }
            let transport: any Transport
            do {
                transport = try context.transportFactory(fd)
            } catch {
                context.logger.error("transport setup failed", ["error": "\(error)"])
                close(fd)
                context.metrics.openConnections.wrappingSubtract(1, ordering: .relaxed)
                continue
            }
            nextGeneration &+= 1
            let connection = Connection(fd: fd, generation: nextGeneration, remoteAddress: remote, transport: transport, loop: self)
            if Int(fd) >= connections.count {
                connections.append(contentsOf: repeatElement(nil, count: Int(fd) + 1 - connections.count + 64))
            }
            connections[Int(fd)] = connection
            connectionCount += 1
            do {
                try register(fd, events: EPOLLIN.rawValue)
            } catch {
                connection.close()
                continue
            }
            connection.start()
            if draining { connection.drain() }
        }
    }

    /// Over the connection limit: a short 503 and close (RFC 9110 §15.6.4, Retry-After §10.2.3).
    private func refuse(_ fd: Int32) {
        if context.refusalIsPlainText {
            var scratch = [UInt8](repeating: 0, count: 4096)
            _ = recv(fd, &scratch, scratch.count, Int32(MSG_DONTWAIT))
            let body = "Too many connections; retry shortly.\n"
            let text = "HTTP/1.1 503 Service Unavailable\r\nDate: \(String(decoding: dateBytes, as: UTF8.self))\r\n"
                + "Retry-After: 1\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: \(body.utf8.count)\r\n"
                + "Connection: close\r\n\r\n" + body
            _ = text.withCString { send(fd, $0, strlen($0), Int32(MSG_NOSIGNAL | MSG_DONTWAIT)) }
            Glibc.shutdown(fd, Int32(SHUT_WR))
        }
        close(fd)
    }

    func register(_ fd: Int32, events: UInt32) throws {
        var event = epoll_event()
        event.events = events
        event.data.fd = fd
        try SystemCall.retrying("epoll_ctl(ADD)") { epoll_ctl(epollFD, EPOLL_CTL_ADD, fd, &event) }
    }

    func modify(_ fd: Int32, events: UInt32) {
        var event = epoll_event()
        event.events = events
        event.data.fd = fd
        _ = epoll_ctl(epollFD, EPOLL_CTL_MOD, fd, &event)
    }

    /// Forgets a closed connection.
    func remove(_ connection: Connection) {
        let fd = Int(connection.fd)
        if fd < connections.count, connections[fd] === connection {
            connections[fd] = nil
            connectionCount -= 1
            context.metrics.openConnections.wrappingSubtract(1, ordering: .relaxed)
        }
    }
}
