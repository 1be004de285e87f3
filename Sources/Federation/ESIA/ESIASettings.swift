import Foundation

/// The ESIA dialect's settings; from the `federation` and `service` configuration sections.
public struct ESIASettings: Sendable, Equatable {
    /// `iss` of the dialect's tokens. ESIA's own is `http://esia.gosuslugi.ru/` (http, trailing slash); OpenESIA's
    /// default is the service's public URL with a trailing slash, `http://127.0.0.1:8080/`.
    public var issuer = "http://127.0.0.1:8080/"
    /// The service's public URL without a trailing slash: element URLs of the person resources start with it.
    public var baseURL = "http://127.0.0.1:8080"
    /// How far a request's `timestamp` may be from the server's clock, either way, in seconds. Default 300.
    public var timestampWindow: TimeInterval = 300
    /// How long used `state` values are remembered, in seconds. Default 86400.
    public var stateRetention: TimeInterval = 86_400

    /// The defaults.
    public init() {}
}
