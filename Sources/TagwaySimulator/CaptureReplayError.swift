/// A capture that cannot be played: the socket it should be played on cannot be had.
public struct CaptureReplayError: Error, CustomStringConvertible, Sendable {
    public var description: String
    init(_ description: String) { self.description = description }
}
