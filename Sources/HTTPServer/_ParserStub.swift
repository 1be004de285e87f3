public struct HTTPParseError: Error, Equatable, Sendable { public var detail: String; public var status: HTTPStatus }
package enum BodyFraming: Equatable, Sendable { case none, contentLength(Int), chunked, untilClose }
package struct HTTPRequestHeadParser {
    package init(limits: HTTPLimits) {}
    package mutating func parse(_ bytes: UnsafeRawBufferPointer) -> HeadParseResult { fatalError() }
    package mutating func reset() {}
}
package enum HeadParseResult { case needMore; case head(HTTPRequestHead, framing: BodyFraming, consumed: Int); case failure(HTTPParseError) }
package struct HTTPBodyDecoder {
    package init(framing: BodyFraming, maxBodyBytes: Int, limits: HTTPLimits) {}
    package mutating func decode(_ bytes: UnsafeRawBufferPointer, into body: inout [UInt8]) -> BodyDecodeResult { fatalError() }
}
package enum BodyDecodeResult: Equatable { case needMore(consumed: Int), complete(consumed: Int), failure(HTTPParseError) }
