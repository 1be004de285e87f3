import COpenSSL

/// A growable in-memory BIO, for PEM and text going in and out of OpenSSL; freed on deinit.
package final class MemoryBIO {
    /// The BIO*.
    package let pointer: OpaquePointer

    /// An empty BIO to write into.
    package init() throws {
        guard let bio = BIO_new(BIO_s_mem()) else { throw OpenSSLError.drain("BIO_new") }
        pointer = bio
    }

    /// A BIO holding a copy of `bytes` to read from (BIO_new_mem_buf would not copy, so the
    /// bytes are written in and need not outlive the call).
    package convenience init<Bytes: Collection>(bytes: Bytes) throws where Bytes.Element == UInt8 {
        try self.init()
        let array = Array(bytes)
        let written = array.withUnsafeBytes { BIO_write(pointer, $0.baseAddress, Int32($0.count)) }
        if !array.isEmpty && written != Int32(array.count) { throw OpenSSLError.drain("BIO_write") }
    }

    /// Everything written so far, decoded as UTF-8.
    package func string() -> String {
        var data: UnsafeMutablePointer<CChar>? = nil
        let length = shim_BIO_get_mem_data(pointer, &data)
        guard let data, length > 0 else { return "" }
        return data.withMemoryRebound(to: UInt8.self, capacity: length) {
            String(decoding: UnsafeBufferPointer(start: $0, count: length), as: UTF8.self)
        }
    }

    deinit { BIO_free(pointer) }
}
