import Foundation
import OpenESIAServer

extension Commands {
    /// Runs `sign` or a signature benchmark helper.
    static func runSignature(_ command: SignatureCommand, console: Console, currentDirectory: String) -> Int32 {
        func path(_ text: String) -> String {
            ((text.hasPrefix("/") ? text : currentDirectory + "/" + text) as NSString).standardizingPath
        }
        switch command {
        case .sign(var options):
            options.keyFile = path(options.keyFile)
            options.certificateFile = path(options.certificateFile)
            options.chainFile = options.chainFile.map(path)
            options.inputFile = path(options.inputFile)
            options.outputFile = options.outputFile.map(path)
            do {
                let signature = try SignCommand.run(options)
                if options.outputFile == nil { console.outBytes(signature) }
                return ExitCode.ok.rawValue
            } catch {
                console.err("openesia sign: \(error.description)\n")
                switch error.code {
                case .notFound: return ExitCode.noInput.rawValue
                case .invalidInput: return ExitCode.dataError.rawValue
                case .fileSystem: return ExitCode.ioError.rawValue
                }
            }
        case .measureCMSVerify(let folder, let seconds, let threads):
            return measuring("dev measure-cms-verify", console) {
                try SignatureMeasurements.cmsVerifyReference(folder: path(folder), seconds: seconds, threads: threads).json
            }
        case .measureSignatureLogins(let port, let key, let certificate, let chain, let count, let threads):
            return measuring("dev measure-signature-logins", console) {
                let signer = SignatureMeasurements.Signer(keyFile: path(key), certificateFile: path(certificate), chainFile: chain.map(path))
                let rate = try SignatureMeasurements.signatureLogins(port: port, signer: signer, count: count, threads: threads)
                guard rate.failed == 0 else { throw SignatureMeasurements.Failure("\(rate.failed) logins failed: \(rate.json)") }
                return rate.json
            }
        case .measureCRLLoad(let entries):
            return measuring("dev measure-crl-load", console) { try SignatureMeasurements.crlLoad(entries: entries).json }
        }
    }

    private static func measuring(_ name: String, _ console: Console, _ body: () throws -> String) -> Int32 {
        do {
            console.out(try body() + "\n")
            return ExitCode.ok.rawValue
        } catch {
            console.err("openesia \(name): \(error)\n")
            return ExitCode.software.rawValue
        }
    }
}
