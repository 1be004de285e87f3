import Foundation
import Glibc
@testable import Citizens
import Support
import Testing

private func temporaryDirectory() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("outbox-transport-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

private func mode(_ path: String) -> mode_t {
    var info = stat()
    _ = stat(path, &info)
    return info.st_mode & 0o777
}

private let email = OutboxMessage(channel: .email, recipient: "citizen@example.org",
                                  subject: "Подтверждение адреса электронной почты на портале госуслуг",
                                  body: "Ваш код: 771204\nНикому его не сообщайте.")

@Test func fileTransportAppendsReadableBlocksWithMode0600() throws {
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let clock = FixedClock(Date(timeIntervalSince1970: 1_800_000_000))
    let transport = FileTransport(dataDirectory: directory.path, clock: clock)
    #expect(transport.path == directory.appendingPathComponent("outbox.log").path)

    try transport.deliver(codeMessage)
    #expect(mode(transport.path) == 0o600)
    clock.advance(by: 60)
    try transport.deliver(email)
    let text = try String(contentsOfFile: transport.path, encoding: .utf8)
    #expect(text == """
        --- 2027-01-15T08:00:00.000Z
        Channel: sms
        To: +79991234567
        Subject: Код подтверждения

        Ваш код: 482913

        --- 2027-01-15T08:01:00.000Z
        Channel: email
        To: citizen@example.org
        Subject: Подтверждение адреса электронной почты на портале госуслуг

        Ваш код: 771204
        Никому его не сообщайте.


        """)
}

@Test func fileTransportNarrowsAWiderExistingFile() throws {
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let path = directory.appendingPathComponent("outbox.log").path
    #expect(FileManager.default.createFile(atPath: path, contents: Data("old\n".utf8),
                                           attributes: [.posixPermissions: 0o644]))
    try FileTransport(path: path).deliver(codeMessage)
    #expect(mode(path) == 0o600)
    #expect(try String(contentsOfFile: path, encoding: .utf8).hasPrefix("old\n--- "))
}

@Test func fileTransportThrowsWhenTheFileCannotBeOpened() {
    let transport = FileTransport(path: "/nonexistent-outbox-dir/outbox.log")
    #expect(throws: TransportError(.io(errno: ENOENT))) { try transport.deliver(codeMessage) }
}

@Test func commandTransportFeedsEmailAsMailTextWithEnvironment() throws {
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let out = directory.appendingPathComponent("mail.txt").path
    let transport = try CommandTransport(arguments: [
        "/bin/sh", "-c", "cat >> \"$0\"; printf '\\n[%s %s]\\n' \"$OPENESIA_CHANNEL\" \"$OPENESIA_RECIPIENT\" >> \"$0\"", out,
    ])
    try transport.deliver(email)
    let text = try String(contentsOfFile: out, encoding: .utf8)
    let lines = text.components(separatedBy: "\n")
    #expect(lines[0] == "To: citizen@example.org")
    #expect(lines[1].hasPrefix("Subject: =?UTF-8?B?"))
    #expect(lines[2].hasPrefix(" =?UTF-8?B?"))
    #expect(text.contains("Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\nВаш код: 771204\nНикому его не сообщайте.\n[email citizen@example.org]\n"))
    // The encoded words decode back to the subject and stay within RFC 2047's 75 characters.
    var decoded = [UInt8]()
    for line in lines[1...] where line.contains("=?UTF-8?B?") {
        let word = line.split(separator: " ").last!
        #expect(word.count <= 75)
        decoded += Data(base64Encoded: String(word.dropFirst(10).dropLast(2)))!
    }
    #expect(String(decoding: decoded, as: UTF8.self) == email.subject)
}

@Test func commandTransportFeedsSMSAsRecipientThenBody() throws {
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let out = directory.appendingPathComponent("sms.txt").path
    let transport = try CommandTransport(arguments: ["/bin/sh", "-c", "cat > \"$0\"; echo \"|$OPENESIA_CHANNEL\" >> \"$0\"", out])
    try transport.deliver(codeMessage)
    #expect(try String(contentsOfFile: out, encoding: .utf8) == "+79991234567\nВаш код: 482913|sms\n")
}

@Test func commandTransportThrowsTheExitStatusWithStderr() throws {
    let transport = try CommandTransport(arguments: ["/bin/sh", "-c", "cat > /dev/null; echo 'gateway said no' >&2; exit 3"])
    do {
        try transport.deliver(codeMessage)
        Issue.record("a failing command counted as delivered")
    } catch let error as TransportError {
        #expect(error.reason == .exited(status: 3))
        #expect(error.stderr == "gateway said no")
        #expect(error.summary == "the command exited with status 3")
        #expect(!error.summary.contains("gateway"))
    }
}

@Test func commandTransportTruncatesStderr() throws {
    let transport = try CommandTransport(arguments: ["/bin/sh", "-c", "head -c 100000 /dev/zero | tr '\\0' x >&2; exit 1"])
    do {
        try transport.deliver(codeMessage)
        Issue.record("a failing command counted as delivered")
    } catch let error as TransportError {
        #expect(error.reason == .exited(status: 1))
        #expect(error.stderr.count == CommandTransport.stderrLimit)
    }
}

@Test func commandTransportKillsACommandPastItsTimeout() throws {
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let pidFile = directory.appendingPathComponent("pid").path
    // The shell starts sleep as a child; the timeout must take both down.
    let transport = try CommandTransport(arguments: ["/bin/sh", "-c", "sleep 10 & echo $! > \"$0\"; wait", pidFile],
                                         timeoutSeconds: 0.5)
    let start = MonotonicTime.nanoseconds()
    #expect(throws: TransportError(.timedOut)) { try transport.deliver(codeMessage) }
    let elapsed = Double(MonotonicTime.nanoseconds() - start) / 1e9
    #expect(elapsed >= 0.5 && elapsed < 3, "took \(elapsed) s")
    let sleepPID = pid_t(try String(contentsOfFile: pidFile, encoding: .utf8)
        .trimmingCharacters(in: .whitespacesAndNewlines))!
    // Killed but not yet reaped (a zombie, whose parent shell is gone too) counts as gone: it runs nothing.
    func isZombie(_ pid: pid_t) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return false }
        return stat[stat.index(after: close)...].trimmingCharacters(in: .whitespaces).hasPrefix("Z")
    }
    var gone = false
    for _ in 0..<250 where !gone {
        gone = kill(sleepPID, 0) != 0 || isZombie(sleepPID)
        if !gone { usleep(20_000) }
    }
    #expect(gone, "the grandchild sleep survived the timeout")
}

@Test func commandTransportSurvivesACommandThatIgnoresStdin() throws {
    // 1 MB does not fit in a pipe: writing it to a program that exits at once raises SIGPIPE.
    let big = OutboxMessage(channel: .email, recipient: "a@example.org", subject: "big",
                            body: String(repeating: "x", count: 1_000_000))
    try CommandTransport(arguments: ["/bin/true"]).deliver(big)
    #expect(throws: TransportError(.exited(status: 1))) {
        try CommandTransport(arguments: ["/bin/false"]).deliver(big)
    }
}

@Test func commandTransportReportsAMissingProgram() throws {
    #expect(throws: TransportError(.launchFailed(errno: ENOENT))) {
        try CommandTransport(arguments: ["/nonexistent/sendmail", "-t"]).deliver(email)
    }
    #expect(throws: OutboxError.invalidCommand) { try CommandTransport(arguments: []) }
    #expect(throws: OutboxError.invalidCommand) { try CommandTransport(arguments: ["/bin/true"], timeoutSeconds: 0) }
}

@Test func commandTransportRefusesAnInjectedRecipient() throws {
    let message = OutboxMessage(channel: .email, recipient: "a@example.org\nBcc: x@example.org", subject: "s", body: "b")
    #expect(throws: OutboxError.invalidRecipient) { try CommandTransport(arguments: ["/bin/true"]).deliver(message) }
}
