import TagwayDecoders

/// Why bytes from a reader could not be read as LLRP. Framing errors (`header`, `overlong`) lose
/// the stream's alignment: LLRP has no resync marker, so the connection is closed and opened
/// again. Content errors lose one message, whose length is known, and the stream goes on.
public enum LLRPError: Error, Hashable, Sendable, CustomStringConvertible {
    /// A header whose length is below the 10-byte header, or a version other than 1 or 2.
    case header(String)
    /// A message longer than the bound this side accepts (its length field says `length`).
    case overlong(length: UInt32, limit: Int)
    /// A message whose body is not what its type says (a parameter overrunning its message, a
    /// missing required parameter, a field out of range): `type`, and what was wrong.
    case malformed(LLRPMessageType, String)

    public var description: String {
        switch self {
        case .header(let why): "bad LLRP header: \(why)"
        case .overlong(let length, let limit): "LLRP message of \(length) bytes exceeds the \(limit)-byte limit"
        case .malformed(let type, let why): "malformed \(type): \(why)"
        }
    }

    /// True when the byte stream can no longer be framed.
    public var losesFraming: Bool {
        switch self {
        case .header, .overlong: true
        case .malformed: false
        }
    }
}

/// One framed message: header fields and the undecoded body.
public struct LLRPFrame: Hashable, Sendable {
    public var version: UInt8
    public var type: LLRPMessageType
    public var id: UInt32
    public var body: [UInt8]

    public init(version: UInt8, type: LLRPMessageType, id: UInt32, body: [UInt8]) {
        self.version = version
        self.type = type
        self.id = id
        self.body = body
    }
}
