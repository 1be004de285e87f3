import Crypto
import Foundation
import PKI

/// A development CA's folder: ca.crt, ca.key (0600), state.json, and the latest CRL as crl.pem and crl.der.
struct DevCAFolder {
    let path: String

    var certificateFile: String { file("ca.crt") }
    var keyFile: String { file("ca.key") }
    var stateFile: String { file("state.json") }
    var crlPEMFile: String { file("crl.pem") }
    var crlDERFile: String { file("crl.der") }

    func file(_ name: String) -> String { (path as NSString).appendingPathComponent(name) }

    /// The files that make a CA; any of them present means a CA (or what is left of one) lives here.
    var identityFiles: [String] { [keyFile, certificateFile, stateFile] }

    /// A CA loaded from its folder, its parts checked against each other.
    struct Loaded {
        let folder: DevCAFolder
        let certificate: Certificate
        let key: PrivateKey
        var state: DevCAState
    }

    /// Reads and cross-checks the CA. A missing folder or file is `notFound`; files that do not parse or do not
    /// belong together are `inconsistent`.
    func load() throws(DevCAError) -> Loaded {
        guard DevCAFiles.isFolder(path) else {
            throw DevCAError(.notFound, "no CA folder at \(path); make one with openesia ca init-head (or init-accredited)")
        }
        for file in identityFiles where !FileManager.default.fileExists(atPath: file) {
            throw DevCAError(.notFound, "\(path) is not a CA folder: \((file as NSString).lastPathComponent) is missing")
        }
        // GOST keys and certificates only parse once the engine is loaded; RSA and ECDSA CAs work without it.
        try? GOSTEngine.load()
        let state: DevCAState
        do {
            state = try DevCAState.decode(Data(try DevCAFiles.read(stateFile, what: "CA state")))
        } catch let error as DevCAError {
            throw error
        } catch {
            throw DevCAError(.inconsistent, "\(stateFile) is not a CA state file: \(error)")
        }
        guard state.format == DevCAState.currentFormat else {
            throw DevCAError(.inconsistent, "\(stateFile) has format \(state.format); this openesia reads format \(DevCAState.currentFormat)")
        }
        let certificate: Certificate
        do {
            certificate = try Certificate(pem: String(decoding: try DevCAFiles.read(certificateFile, what: "CA certificate"), as: UTF8.self))
        } catch let error as DevCAError {
            throw error
        } catch {
            throw DevCAError(.inconsistent, "\(certificateFile) is not a PEM certificate: \(error)")
        }
        let key: PrivateKey
        do {
            key = try PrivateKey(pem: String(decoding: try DevCAFiles.read(keyFile, what: "CA key"), as: UTF8.self))
        } catch let error as DevCAError {
            throw error
        } catch {
            throw DevCAError(.inconsistent, "\(keyFile) is not an unencrypted PEM private key: \(error)")
        }
        guard certificate.subjectDescription == state.subject else {
            throw DevCAError(.inconsistent, "\(certificateFile) is for \(certificate.subjectDescription) but state.json says \(state.subject)")
        }
        guard DevCAAlgorithm(family: key.family) == state.algorithm else {
            throw DevCAError(.inconsistent, "\(keyFile) is a \(key.algorithmName) key but state.json says \(state.algorithm.rawValue)")
        }
        guard state.nextSerial >= 1, state.crlNumber >= 0 else {
            throw DevCAError(.inconsistent, "\(stateFile): nextSerial and crlNumber must not be negative")
        }
        return Loaded(folder: self, certificate: certificate, key: key, state: state)
    }
}
