/// One LLRP message as Tagway understands it, in either direction: what the client (the
/// gateway) sends a reader, and what a reader sends back. The emulator speaks the reader's half
/// with the same types, so every message round-trips through `LLRPCodec`.
public enum LLRPMessage: Hashable, Sendable {
    // MARK: client → reader
    case getReaderCapabilities
    case setReaderConfig(ReaderConfiguration)
    /// 0 deletes every ROSpec on the reader (how a reconnect starts from scratch).
    case deleteROSpec(roSpecID: UInt32)
    case addROSpec(ROSpec)
    case enableROSpec(roSpecID: UInt32)
    case startROSpec(roSpecID: UInt32)
    case stopROSpec(roSpecID: UInt32)
    case enableEventsAndReports
    case keepaliveAck
    case closeConnection
    /// IMPINJ_ENABLE_EXTENSIONS (CUSTOM_MESSAGE, vendor 25882, subtype 21): without it an Impinj
    /// reader never sends its custom report parameters (phase angle, high-resolution RSSI).
    case impinjEnableExtensions

    // MARK: reader → client
    case readerEventNotification(ReaderEventNotification)
    case getReaderCapabilitiesResponse(LLRPStatus, ReaderCapabilities?)
    /// The answer to a request that carries only an LLRPStatus: SET_READER_CONFIG_RESPONSE,
    /// ADD/DELETE/ENABLE/START/STOP_ROSPEC_RESPONSE, CLOSE_CONNECTION_RESPONSE, and the Impinj
    /// extensions' CUSTOM_MESSAGE answer. `request` is the request's type.
    case response(to: LLRPMessageType, LLRPStatus)
    case roAccessReport([TagReport])
    case keepalive
    case errorMessage(LLRPStatus)

    /// A well-framed message of a type Tagway does not use (or a vendor's custom message): framed
    /// and skipped by its length, never mis-framed.
    case unsupported(LLRPMessageType)
}

/// A message with its header fields.
public struct LLRPEnvelope: Hashable, Sendable {
    /// 1: LLRP 1.0.1, 2: LLRP 1.1.
    public var version: UInt8
    public var id: UInt32
    public var message: LLRPMessage

    public init(version: UInt8 = 1, id: UInt32, message: LLRPMessage) {
        self.version = version
        self.id = id
        self.message = message
    }
}

/// A timestamp as a reader gives it: microseconds since the Unix epoch (UTC) when the reader has
/// a clock, otherwise microseconds since it booted (Uptime).
public enum LLRPTimestamp: Hashable, Sendable {
    case utc(microseconds: UInt64)
    case uptime(microseconds: UInt64)
}

/// LLRPStatus (parameter 287): a status code, its description, and the field or parameter it
/// blames.
public struct LLRPStatus: Hashable, Sendable, CustomStringConvertible {
    public var code: LLRPStatusCode
    public var errorDescription: String
    /// "field N of parameter T: error code" from FieldError/ParameterError, when the reader said.
    public var detail: String?

    public init(code: LLRPStatusCode, errorDescription: String = "", detail: String? = nil) {
        self.code = code
        self.errorDescription = errorDescription
        self.detail = detail
    }

    public static let success = LLRPStatus(code: .success)
    public var isSuccess: Bool { code == .success }

    public var description: String {
        var text = "\(code)"
        if !errorDescription.isEmpty { text += ": \(errorDescription)" }
        if let detail { text += " (\(detail))" }
        return text
    }
}

/// LLRP status codes (1.0.1 §14.2.2 / 1.1 §15.2.2).
public struct LLRPStatusCode: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: UInt16
    public init(rawValue: UInt16) { self.rawValue = rawValue }

    public static let success = Self(rawValue: 0)
    public static let parameterError = Self(rawValue: 100)
    public static let fieldError = Self(rawValue: 101)
    public static let unexpectedParameter = Self(rawValue: 102)
    public static let missingParameter = Self(rawValue: 103)
    public static let duplicateParameter = Self(rawValue: 104)
    public static let overflowParameter = Self(rawValue: 105)
    public static let overflowField = Self(rawValue: 106)
    public static let unknownParameter = Self(rawValue: 107)
    public static let unknownField = Self(rawValue: 108)
    public static let unsupportedMessage = Self(rawValue: 109)
    public static let unsupportedVersion = Self(rawValue: 110)
    public static let unsupportedParameter = Self(rawValue: 111)
    public static let deviceError = Self(rawValue: 401)

    public var description: String {
        let names: [UInt16: String] = [
            0: "M_Success", 100: "M_ParameterError", 101: "M_FieldError", 102: "M_UnexpectedParameter",
            103: "M_MissingParameter", 104: "M_DuplicateParameter", 105: "M_OverflowParameter", 106: "M_OverflowField",
            107: "M_UnknownParameter", 108: "M_UnknownField", 109: "M_UnsupportedMessage", 110: "M_UnsupportedVersion",
            111: "M_UnsupportedParameter", 200: "P_ParameterError", 201: "P_FieldError", 202: "P_UnexpectedParameter",
            203: "P_MissingParameter", 204: "P_DuplicateParameter", 205: "P_OverflowParameter", 206: "P_OverflowField",
            207: "P_UnknownParameter", 208: "P_UnknownField", 209: "P_UnsupportedParameter", 300: "A_Invalid",
            301: "A_OutOfRange", 401: "R_DeviceError",
        ]
        return "\(names[rawValue] ?? "status") (\(rawValue))"
    }
}
