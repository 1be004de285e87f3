import COpenSSL

/// Loads Debian's GOST engine (libengine-gost-openssl) into OpenSSL, so GOST R 34.10/34.11 keys,
/// certificates and signatures work without editing the system openssl.cnf.
public enum GOSTEngine {
    /// Loads and sets the engine as default for all methods; the first call does the work, later calls
    /// return its outcome (thread-safe: Swift initialises a static `let` once).
    public static func load() throws {
        try outcome.get()
    }

    private static let outcome: Result<Void, OpenSSLError> = {
        OpenSSLError.clearQueue()
        // ENGINE_by_id also tries the dynamic loader, which finds gost.so in OpenSSL's engines directory.
        guard let engine = ENGINE_by_id("gost") else {
            let reasons = OpenSSLError.drainQueue()
            return .failure(OpenSSLError(
                operation: "ENGINE_by_id(gost)",
                reasons: ["GOST engine not found: install Debian's libengine-gost-openssl"] + reasons))
        }
        guard ENGINE_init(engine) == 1 else {
            ENGINE_free(engine)
            return .failure(OpenSSLError.drain("ENGINE_init(gost)"))
        }
        guard ENGINE_set_default(engine, shim_ENGINE_METHOD_ALL()) == 1 else {
            ENGINE_finish(engine)
            ENGINE_free(engine)
            return .failure(OpenSSLError.drain("ENGINE_set_default(gost)"))
        }
        // The references are kept on purpose: the engine stays loaded for the life of the process.
        return .success(())
    }()
}
