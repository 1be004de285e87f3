import Dispatch
import HeadCA
import HTTPServer

/// Downloads CRLs with the server's HTTP client, on a Dispatch thread (the client blocks).
struct HTTPCRLFetcher: CRLFetching {
    /// A download that did not give a CRL body.
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// Seconds for the whole download, redirects included.
    var timeout: Double = 60
    /// The largest CRL taken; real ones reach tens of MiB.
    var maxBytes = 64 * 1024 * 1024

    func fetch(url: String) async throws -> [UInt8] {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(with: Result { try download(url) }) }
        }
    }

    private func download(_ url: String) throws -> [UInt8] {
        var options = HTTPClient.Options()
        options.totalTimeout = timeout
        options.connectTimeout = min(timeout, 10)
        options.maxResponseBodyBytes = maxBytes
        options.maxRedirects = 3  // CRL servers move; the CRL's own signature is what makes it trustworthy
        let response = try HTTPClient(options: options).get(url, headers: ["Accept": "application/pkix-crl, */*"])
        guard response.status.code == 200 else { throw Failure(description: "HTTP \(response.status.code)") }
        return response.body
    }
}
