import Foundation
import Glibc
import Support

/// Hands a message on towards the citizen: a mail program, an SMS gateway script, a file.
public protocol MessageTransport: Sendable {
    /// Delivers one message; throwing means "not delivered, try again later".
    func deliver(_ message: OutboxMessage) throws
}

/// Why a transport could not deliver a message.
///
/// `summary` never holds message text and is what logs show; `description` adds the start of the
/// command's stderr and goes only to the outbox row's `last_error`.
public struct TransportError: Error, Equatable, Sendable, CustomStringConvertible {
    /// What went wrong.
    public enum Reason: Equatable, Sendable {
        /// The program could not be started (posix_spawn's errno).
        case launchFailed(errno: Int32)
        /// The program exited with a non-zero status.
        case exited(status: Int32)
        /// The program was ended by a signal it did not get from us.
        case signaled(Int32)
        /// The program ran past its timeout and was killed.
        case timedOut
        /// Reading, writing or creating a pipe or file failed (errno).
        case io(errno: Int32)
    }

    /// What went wrong.
    public let reason: Reason
    /// The start of the command's stderr, control characters replaced; empty for other transports.
    public let stderr: String

    /// Makes an error.
    public init(_ reason: Reason, stderr: String = "") {
        self.reason = reason
        self.stderr = stderr
    }

    /// The reason alone, safe for logs.
    public var summary: String {
        switch reason {
        case .launchFailed(let code): "could not start the command (errno \(code))"
        case .exited(let status): "the command exited with status \(status)"
        case .signaled(let signal): "the command was killed by signal \(signal)"
        case .timedOut: "the command timed out and was killed"
        case .io(let code): "i/o error (errno \(code))"
        }
    }

    public var description: String { stderr.isEmpty ? summary : "\(summary): \(stderr)" }
}

// MARK: - File

/// Appends each message as a readable block to a file: the development default (`data/outbox.log`),
/// so a person can read the confirmation code.
///
/// This is the only place that keeps message text after delivery; the file is created with mode 0600
/// and set back to 0600 on every write. Not for production: codes stay in the file.
public struct FileTransport: MessageTransport {
    /// The development default's file name inside the data folder.
    public static let defaultFileName = "outbox.log"

    /// The file appended to.
    public let path: String
    private let clock: any WallClock

    /// A transport appending to the file at `path`.
    public init(path: String, clock: any WallClock = SystemClock()) {
        self.path = path
        self.clock = clock
    }

    /// The development default: `outbox.log` in the data folder.
    public init(dataDirectory: String, clock: any WallClock = SystemClock()) {
        self.init(path: (dataDirectory as NSString).appendingPathComponent(Self.defaultFileName), clock: clock)
    }

    public func deliver(_ message: OutboxMessage) throws {
        let block = """
            --- \(Timestamp.iso8601(clock.now()))
            Channel: \(message.channel.rawValue)
            To: \(message.recipient)
            Subject: \(message.subject)

            \(message.body)


            """
        let fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw TransportError(.io(errno: errno)) }
        defer { close(fd) }
        // An existing file may have been created with a wider mode by hand.
        guard fchmod(fd, 0o600) == 0 else { throw TransportError(.io(errno: errno)) }
        // One write per block: with O_APPEND, blocks from several processes do not interleave.
        let bytes = Array(block.utf8)
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw TransportError(.io(errno: errno))
            }
            offset += n
        }
    }
}

// MARK: - Command

/// Runs a configured command per message, the message on its stdin: `/usr/sbin/sendmail -t` for
/// e-mail, a script for an SMS gateway.
///
/// The command is an argv array run without a shell; `arguments[0]` is the program's path (no PATH
/// search). Stdin gets, for e-mail, the message as RFC 5322 text (To:, Subject:, MIME headers, a blank
/// line, the body); for SMS, the recipient on the first line and the body after it. The environment is
/// the server's plus `OPENESIA_CHANNEL` and `OPENESIA_RECIPIENT`. Stdout is discarded; the start of
/// stderr goes into the error. A command still running after the timeout is killed with its whole
/// process group. Exit status 0 means delivered; anything else throws `TransportError`.
///
/// For sendmail pass `-i` as well (`/usr/sbin/sendmail -t -i`): without it a body line holding a
/// single dot ends the message early.
public struct CommandTransport: MessageTransport {
    /// The program's path and its arguments.
    public let arguments: [String]
    /// Seconds before the command is killed.
    public let timeoutSeconds: Double

    /// How much of stderr is kept.
    static let stderrLimit = 512

    /// A transport running `arguments`; throws `.invalidCommand` for an empty list or a non-positive timeout.
    public init(arguments: [String], timeoutSeconds: Double = 30) throws(OutboxError) {
        guard let program = arguments.first, !program.isEmpty, timeoutSeconds > 0 else { throw .invalidCommand }
        self.arguments = arguments
        self.timeoutSeconds = timeoutSeconds
    }

    public func deliver(_ message: OutboxMessage) throws {
        // Checked again here: a header injected through a recipient would reach sendmail -t.
        try message.validate()
        var environment = ProcessInfo.processInfo.environment
        environment["OPENESIA_CHANNEL"] = message.channel.rawValue
        environment["OPENESIA_RECIPIENT"] = message.recipient
        try ChildProcess.run(arguments: arguments, environment: environment,
                             input: Array(Self.input(for: message).utf8), timeoutSeconds: timeoutSeconds,
                             stderrLimit: Self.stderrLimit)
    }

    /// What the command reads on stdin.
    static func input(for message: OutboxMessage) -> String {
        switch message.channel {
        case .sms:
            return "\(message.recipient)\n\(message.body)"
        case .email:
            return """
                To: \(message.recipient)
                Subject: \(encodedHeader(message.subject))
                MIME-Version: 1.0
                Content-Type: text/plain; charset=utf-8
                Content-Transfer-Encoding: 8bit

                \(message.body)
                """
        }
    }

    /// A header value as is when it is ASCII, otherwise as RFC 2047 encoded words of at most 75 characters.
    static func encodedHeader(_ value: String) -> String {
        if value.utf8.allSatisfy({ $0 < 0x80 }) { return value }
        // 45 bytes of UTF-8 make 60 characters of base64; with `=?UTF-8?B?` and `?=` that is 72.
        var words = [String]()
        var chunk = [UInt8]()
        for character in value {
            let bytes = Array(String(character).utf8)
            if chunk.count + bytes.count > 45, !chunk.isEmpty {
                words.append("=?UTF-8?B?\(Data(chunk).base64EncodedString())?=")
                chunk = []
            }
            chunk += bytes
        }
        if !chunk.isEmpty { words.append("=?UTF-8?B?\(Data(chunk).base64EncodedString())?=") }
        // Folded: each word on its own continuation line.
        return words.joined(separator: "\n ")
    }
}

/// Runs one program to completion with posix_spawn, feeding stdin and collecting stderr through
/// non-blocking pipes under a deadline, so a program that never reads or never exits cannot hang the
/// caller.
enum ChildProcess {
    static func run(arguments: [String], environment: [String: String], input: [UInt8],
                    timeoutSeconds: Double, stderrLimit: Int) throws(TransportError) {
        var stdinPipe: [Int32] = [-1, -1]
        var stderrPipe: [Int32] = [-1, -1]
        guard pipe(&stdinPipe) == 0 else { throw TransportError(.io(errno: errno)) }
        guard pipe(&stderrPipe) == 0 else {
            let code = errno
            close(stdinPipe[0]); close(stdinPipe[1])
            throw TransportError(.io(errno: code))
        }
        // Close-on-exec, so the child gets only the ends dup2'ed onto 0 and 2: if it inherited the
        // write end of its own stdin, it would never see end-of-file. (Glibc's Swift module lacks
        // pipe2; between pipe and fcntl another thread's fork could copy them, and nothing else in
        // the server spawns programs.)
        for fd in stdinPipe + stderrPipe { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        var stdinFD: Int32 = stdinPipe[1]
        var stderrFD: Int32 = stderrPipe[0]
        defer {
            if stdinFD >= 0 { close(stdinFD) }
            if stderrFD >= 0 { close(stderrFD) }
        }

        let pid: pid_t
        do {
            defer { close(stdinPipe[0]); close(stderrPipe[1]) }
            pid = try spawn(arguments: arguments, environment: environment,
                            stdinRead: stdinPipe[0], stderrWrite: stderrPipe[1])
        }
        _ = fcntl(stdinFD, F_SETFL, O_NONBLOCK)
        _ = fcntl(stderrFD, F_SETFL, O_NONBLOCK)

        // A child that exits without reading its stdin turns our write into SIGPIPE, which would end the
        // whole server unless it ignores the signal. Blocked on this thread, it stays pending; it is
        // taken back below, and the write fails with EPIPE instead.
        var pipeSignal = sigset_t()
        sigemptyset(&pipeSignal)
        sigaddset(&pipeSignal, SIGPIPE)
        var previousMask = sigset_t()
        pthread_sigmask(SIG_BLOCK, &pipeSignal, &previousMask)
        defer {
            var zero = timespec(tv_sec: 0, tv_nsec: 0)
            while sigtimedwait(&pipeSignal, nil, &zero) > 0 {}
            pthread_sigmask(SIG_SETMASK, &previousMask, nil)
        }

        let deadline = MonotonicTime.nanoseconds() + UInt64(timeoutSeconds * 1_000_000_000)
        var written = 0
        var stderr = [UInt8]()
        var status: Int32 = 0
        var timedOut = false
        if input.isEmpty { close(stdinFD); stdinFD = -1 }

        while true {
            let reaped = waitpid(pid, &status, WNOHANG)
            if reaped == pid { break }
            let now = MonotonicTime.nanoseconds()
            if now >= deadline {
                // The whole group: `sh -c 'sleep 10'` leaves the sleep behind if only sh is killed.
                kill(-pid, SIGKILL)
                kill(pid, SIGKILL)
                while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
                timedOut = true
                break
            }
            var fds = [pollfd]()
            if stdinFD >= 0 { fds.append(pollfd(fd: stdinFD, events: Int16(POLLOUT), revents: 0)) }
            if stderrFD >= 0 { fds.append(pollfd(fd: stderrFD, events: Int16(POLLIN), revents: 0)) }
            // Short waits, so an exit is noticed soon even while a grandchild keeps a pipe open.
            let waitMilliseconds = Int32(min(50, (deadline - now) / 1_000_000 + 1))
            _ = poll(&fds, nfds_t(fds.count), waitMilliseconds)

            if stdinFD >= 0 {
                let n = input[written...].withUnsafeBytes { write(stdinFD, $0.baseAddress, $0.count) }
                if n > 0 { written += n }
                // EPIPE: the program stopped reading; its exit status says whether that was fine.
                if written == input.count || (n < 0 && errno != EAGAIN && errno != EINTR) {
                    close(stdinFD)
                    stdinFD = -1
                }
            }
            if stderrFD >= 0 && !readStderr(stderrFD, into: &stderr, limit: stderrLimit) {
                close(stderrFD)
                stderrFD = -1
            }
        }
        if stderrFD >= 0 { _ = readStderr(stderrFD, into: &stderr, limit: stderrLimit) }

        let text = printable(stderr)
        if timedOut { throw TransportError(.timedOut, stderr: text) }
        let signal = status & 0x7f
        if signal != 0 { throw TransportError(.signaled(signal), stderr: text) }
        let exitStatus = (status >> 8) & 0xff
        if exitStatus != 0 { throw TransportError(.exited(status: exitStatus), stderr: text) }
    }

    /// Reads what stderr has now; keeps at most `limit` bytes but drains the rest, so the program
    /// never blocks on a full pipe. Returns false at end-of-file or on an error.
    private static func readStderr(_ fd: Int32, into buffer: inout [UInt8], limit: Int) -> Bool {
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n > 0 {
                buffer += chunk[0..<min(n, max(0, limit - buffer.count))]
                continue
            }
            if n == 0 { return false }
            return errno == EAGAIN || errno == EINTR
        }
    }

    private static func spawn(arguments: [String], environment: [String: String],
                              stdinRead: Int32, stderrWrite: Int32) throws(TransportError) -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, stdinRead, 0)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, stderrWrite, 2)
        // Other descriptors reach the child only if opened without close-on-exec; SQLite and the
        // HTTP server set it (posix_spawn_file_actions_addclosefrom_np is missing from Glibc's module).

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // The child starts with no blocked signals and SIGPIPE at its default, whatever the server set
        // for itself, and in its own process group so a timeout can kill everything it started.
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        sigaddset(&defaults, SIGPIPE)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(&attributes,
                                 Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETPGROUP))

        let argv = arguments.map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, arguments[0], &actions, &attributes, argv, envp)
        guard result == 0 else { throw TransportError(.launchFailed(errno: result)) }
        return pid
    }

    /// Stderr as one line of text: invalid UTF-8 repaired, control characters shown as spaces.
    private static func printable(_ bytes: [UInt8]) -> String {
        let text = String(decoding: bytes, as: UTF8.self)
        return String(String.UnicodeScalarView(text.unicodeScalars.map {
            $0.value < 0x20 || $0.value == 0x7F ? " " : $0
        })).trimmingCharacters(in: .whitespaces)
    }
}
