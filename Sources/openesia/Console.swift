import Glibc
import Support

/// Where a command's output goes: standard output and error for people, a log sink for JSON log lines.
struct Console {
    /// Writes text to standard output (or a test's buffer).
    let out: (String) -> Void
    /// Writes text to standard error (or a test's buffer).
    let err: (String) -> Void
    /// Writes bytes as they are to standard output (a DER signature); tests may replace it.
    var outBytes: ([UInt8]) -> Void = { FileDescriptorSink(fd: 1).write($0) }
    /// Where `serve` and `migrate` write their log lines.
    let logSink: any LogSink
    /// Reads one secret line (a password) from standard input, the prompt shown and echo off only at a terminal;
    /// nil at end of input.
    var readSecret: (String) -> String? = Console.readSecretFromStandardInput

    /// The process's own stdout and stderr; logs go to stdout.
    static var standard: Console {
        Console(out: { FileDescriptorSink(fd: 1).write(Array($0.utf8)) },
                err: { FileDescriptorSink(fd: 2).write(Array($0.utf8)) },
                logSink: FileDescriptorSink(fd: 1))
    }

    /// The first line of standard input without its line end. At a terminal the prompt goes to standard error and
    /// the typed characters are not echoed; from a pipe nothing is printed, so scripts can feed it.
    static func readSecretFromStandardInput(prompt: String) -> String? {
        guard isatty(0) == 1 else { return readLine(strippingNewline: true) }
        FileDescriptorSink(fd: 2).write(Array(prompt.utf8))
        var saved = termios()
        let canHide = tcgetattr(0, &saved) == 0
        if canHide {
            var quiet = saved
            quiet.c_lflag &= ~tcflag_t(ECHO)
            tcsetattr(0, TCSAFLUSH, &quiet)
        }
        defer {
            if canHide { tcsetattr(0, TCSAFLUSH, &saved) }
            FileDescriptorSink(fd: 2).write(Array("\n".utf8))
        }
        return readLine(strippingNewline: true)
    }
}
