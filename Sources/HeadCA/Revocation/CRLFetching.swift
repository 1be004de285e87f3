/// Downloads a CRL; the server layer implements it with its HTTP client, tests with a fake.
public protocol CRLFetching: Sendable {
    /// The body of a successful (200) GET of `url`; throws on any transport failure, another status, or a body
    /// over the implementation's size limit.
    func fetch(url: String) async throws -> [UInt8]
}
