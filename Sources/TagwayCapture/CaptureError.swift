/// A capture file that cannot be read: where, what is wrong, and what was expected there.
public struct CaptureError: Error, Hashable, Sendable, CustomStringConvertible {
    public var file: String
    /// 1-based; 0 when the problem is the whole file (empty, unreadable).
    public var line: Int
    public var message: String
    public var expected: String

    public init(file: String, line: Int, message: String, expected: String) {
        self.file = file
        self.line = line
        self.message = message
        self.expected = expected
    }

    public var description: String {
        let place = line > 0 ? "\(file):\(line)" : file
        return "\(place): \(message); expected \(expected)"
    }
}
