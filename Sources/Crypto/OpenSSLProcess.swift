import COpenSSL

/// Process-wide OpenSSL set-up for the executable.
public enum OpenSSLProcess {
    /// Turns off OpenSSL's clean-up at process exit. Call first thing in `main`: threads that are still finishing (a
    /// worker, a measurement thread) would otherwise use OpenSSL's locks after the atexit handler freed them, which
    /// crashes the process on its way out. The operating system reclaims everything at exit anyway.
    public static func skipCleanupAtExit() {
        _ = shim_OPENSSL_init_no_atexit()
    }
}
