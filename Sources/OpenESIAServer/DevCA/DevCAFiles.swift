import Foundation
import Glibc
import Support

/// The few file operations the development CA needs: new files with their mode set from the start, atomic
/// replacement, and undoing what a failed command made.
struct DevCAFiles {
    /// Files and folders made so far, newest last; `undo()` removes them.
    private(set) var made: [String] = []

    /// Makes a folder (mode 0700) and its missing parents; records only what it made.
    mutating func makeFolder(_ path: String) throws(DevCAError) {
        guard !path.isEmpty else { return }  // the current directory
        var missing: [String] = []
        var cursor = path
        while !cursor.isEmpty, cursor != "/", !FileManager.default.fileExists(atPath: cursor) {
            missing.insert(cursor, at: 0)
            cursor = (cursor as NSString).deletingLastPathComponent
        }
        for folder in missing {
            guard mkdir(folder, 0o700) == 0 || errno == EEXIST else {
                throw DevCAError(.fileSystem, "cannot create folder \(folder): \(String(cString: strerror(errno)))")
            }
            made.append(folder)
        }
        guard isFolder(path) else { throw DevCAError(.fileSystem, "\(path) exists and is not a folder") }
    }

    /// Writes a file that must not exist yet (O_EXCL: never through an existing file or link), with `mode` from the start.
    mutating func createNew(_ path: String, _ bytes: [UInt8], mode: mode_t) throws(DevCAError) {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
        guard fd >= 0 else {
            if errno == EEXIST { throw DevCAError(.alreadyExists, "\(path) already exists; nothing was changed") }
            throw DevCAError(.fileSystem, "cannot create \(path): \(String(cString: strerror(errno)))")
        }
        made.append(path)
        defer { close(fd) }
        // The umask may have taken bits away; the mode is part of the contract (keys 0600, the rest 0644).
        guard fchmod(fd, mode) == 0 else { throw DevCAError(.fileSystem, "cannot set the mode of \(path)") }
        try writeAll(fd, bytes, path)
    }

    /// Replaces a file atomically: a temporary file beside it, renamed over it.
    func replace(_ path: String, _ bytes: [UInt8], mode: mode_t) throws(DevCAError) {
        let folder = (path as NSString).deletingLastPathComponent
        let temporary = (folder as NSString).appendingPathComponent(".\((path as NSString).lastPathComponent).\(Hex.encode(SecureRandom.bytes(6)))")
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
        guard fd >= 0 else { throw DevCAError(.fileSystem, "cannot create \(temporary): \(String(cString: strerror(errno)))") }
        var renamed = false
        defer { if !renamed { unlink(temporary) } }
        do {
            defer { close(fd) }
            guard fchmod(fd, mode) == 0 else { throw DevCAError(.fileSystem, "cannot set the mode of \(temporary)") }
            try writeAll(fd, bytes, temporary)
            guard fsync(fd) == 0 else { throw DevCAError(.fileSystem, "cannot flush \(temporary)") }
        }
        guard rename(temporary, path) == 0 else {
            throw DevCAError(.fileSystem, "cannot rename \(temporary) to \(path): \(String(cString: strerror(errno)))")
        }
        renamed = true
    }

    /// Removes everything made, newest first (files before the folders holding them).
    func undo() {
        for path in made.reversed() { _ = remove(path) }
    }

    /// The whole file, or a `notFound` / `fileSystem` error naming it.
    static func read(_ path: String, what: String) throws(DevCAError) -> [UInt8] {
        guard FileManager.default.fileExists(atPath: path) else { throw DevCAError(.notFound, "\(what) \(path) not found") }
        guard let data = FileManager.default.contents(atPath: path) else { throw DevCAError(.fileSystem, "cannot read \(what) \(path)") }
        return [UInt8](data)
    }

    /// Whether `path` is a folder (following links).
    static func isFolder(_ path: String) -> Bool {
        var folder: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &folder) && folder.boolValue
    }

    private func isFolder(_ path: String) -> Bool { Self.isFolder(path) }

    private func writeAll(_ fd: Int32, _ bytes: [UInt8], _ path: String) throws(DevCAError) {
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            if written < 0 && errno == EINTR { continue }
            guard written > 0 else { throw DevCAError(.fileSystem, "cannot write \(path): \(String(cString: strerror(errno)))") }
            offset += written
        }
    }
}
