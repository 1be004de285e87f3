extension StringProtocol {
    /// Without leading and trailing spaces and tabs (HTTP's OWS, RFC 9110 §5.6.3; CSV padding).
    ///
    /// Foundation's `trimmingCharacters(in:)` goes through NSString on Linux and cost about a tenth of a token
    /// introspection, so code that runs on every request trims with this instead.
    public func trimmingSpacesAndTabs() -> Substring {
        let text = Substring(self)
        let bytes = text.utf8
        var start = bytes.startIndex, end = bytes.endIndex
        while start < end, bytes[start] == 0x20 || bytes[start] == 0x09 { start = bytes.index(after: start) }
        while end > start {
            let last = bytes.index(before: end)
            guard bytes[last] == 0x20 || bytes[last] == 0x09 else { break }
            end = last
        }
        return text[start..<end]
    }
}
