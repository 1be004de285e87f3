import Support

/// Where a command's output goes: standard output and error for people, a log sink for JSON log lines.
struct Console {
    /// Writes text to standard output (or a test's buffer).
    let out: (String) -> Void
    /// Writes text to standard error (or a test's buffer).
    let err: (String) -> Void
    /// Where `serve` and `migrate` write their log lines.
    let logSink: any LogSink

    /// The process's own stdout and stderr; logs go to stdout.
    static var standard: Console {
        Console(out: { FileDescriptorSink(fd: 1).write(Array($0.utf8)) },
                err: { FileDescriptorSink(fd: 2).write(Array($0.utf8)) },
                logSink: FileDescriptorSink(fd: 1))
    }
}
