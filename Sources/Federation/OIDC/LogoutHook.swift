/// A citizen's login session that ended, with the portals it served: what back-channel logout (OpenID Connect
/// Back-Channel Logout 1.0) needs to send each portal a logout token.
public struct SessionLogout: Sendable, Equatable {
    /// The session's public handle.
    public let sessionHandle: String
    /// The `sid` the portals saw in their ID tokens.
    public let sid: String
    /// The citizen's public id (`sub`), when known.
    public let subject: String?
    /// The client ids of the portals that got a code in this session, first served first.
    public let portals: [String]

    public init(sessionHandle: String, sid: String, subject: String?, portals: [String]) {
        self.sessionHandle = sessionHandle
        self.sid = sid
        self.subject = subject
        self.portals = portals
    }
}

/// Told about every session the provider sees end (RP-initiated logout, the citizen's own logout, "end this session",
/// a session replaced by a new login); `BackchannelLogout` is the one in service. Called after the
/// session is gone, on the request's worker thread: queue slow work (HTTP calls to portals) instead of doing it here.
public protocol LogoutHook: Sendable {
    /// The session ended.
    func sessionEnded(_ logout: SessionLogout)
}
