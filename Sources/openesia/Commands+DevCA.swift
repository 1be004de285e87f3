import Foundation
import OpenESIAServer
import Support

extension Commands {
    /// Runs a development CA command with the process clock; prints what it made, or the error and its exit status.
    static func runDevCA(_ command: DevCACommand, console: Console, currentDirectory: String, now: Date = Date()) -> Int32 {
        func path(_ text: String) -> String {
            ((text.hasPrefix("/") ? text : currentDirectory + "/" + text) as NSString).standardizingPath
        }
        func describe(_ issued: DevCAIssued) -> String {
            "  subject    \(issued.subject)\n  serial     \(issued.serial)\n"
                + "  valid      \(Timestamp.iso8601(issued.notBefore)) to \(Timestamp.iso8601(issued.notAfter))\n"
        }
        do {
            switch command {
            case .initHead(var request):
                request.directory = path(request.directory)
                let made = try DevCACommands.initHead(request, now: now)
                console.out("Head CA in \(request.directory)\n" + describe(made))
            case .initAccredited(var request, let head):
                request.directory = path(request.directory)
                let made = try DevCACommands.initAccredited(request, headDirectory: path(head), now: now)
                console.out("Accredited CA in \(request.directory), certified by \(path(head))\n" + describe(made))
            case .issue(var request):
                request.caDirectory = path(request.caDirectory)
                request.outputPrefix = path(request.outputPrefix)
                let made = try DevCACommands.issue(request, now: now)
                console.out("Issued \(request.profile.rawValue) certificate \(made.certificateFile) (key \(made.keyFile))\n" + describe(made))
            case .revoke(let ca, let file, let reason, let at):
                let revoked = try DevCACommands.revoke(caDirectory: path(ca), certificateFile: path(file), reason: reason, at: at, now: now)
                console.out("Revoked serial \(revoked.serial) (\(revoked.subject)) at \(Timestamp.iso8601(revoked.revokedAt))"
                    + (revoked.reason.map { ", reason \($0.rawValue)" } ?? "") + ".\nRun 'openesia ca crl --ca \(ca)' to publish it.\n")
            case .crl(let ca, let days, let output):
                let written = try DevCACommands.crl(caDirectory: path(ca), days: days, output: output.map(path), now: now)
                console.out("CRL number \(written.number) with \(written.entries) revoked, next update \(Timestamp.iso8601(written.nextUpdate)):\n"
                    + written.files.map { "  \($0)\n" }.joined())
            case .trustedList(let directories, let version, let from, let output):
                let count = try DevCACommands.trustedList(caDirectories: directories.map(path), version: version, from: from ?? now,
                                                          output: path(output), now: now)
                console.out("Trusted list version \(version) naming \(count) accredited CA(s): \(path(output))\n")
            }
            return ExitCode.ok.rawValue
        } catch {
            console.err("openesia: \(error.message)\n")
            switch error.code {
            case .alreadyExists: return ExitCode.cannotCreate.rawValue
            case .notFound: return ExitCode.noInput.rawValue
            case .invalidInput, .inconsistent: return ExitCode.dataError.rawValue
            case .fileSystem: return ExitCode.ioError.rawValue
            default: return ExitCode.software.rawValue
            }
        }
    }
}
