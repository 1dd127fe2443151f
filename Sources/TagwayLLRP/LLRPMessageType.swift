/// An LLRP message type (the header's 10-bit field), LLRP 1.0.1 §16.1 / 1.1 §17.1. A struct
/// rather than an enum: a reader may send types this gateway does not know, and they must be
/// framed and skipped, not rejected.
public struct LLRPMessageType: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: UInt16
    public init(rawValue: UInt16) { self.rawValue = rawValue & 0x03FF }

    public static let getReaderCapabilities = Self(rawValue: 1)
    public static let getReaderConfig = Self(rawValue: 2)
    public static let setReaderConfig = Self(rawValue: 3)
    public static let closeConnectionResponse = Self(rawValue: 4)
    public static let getReaderCapabilitiesResponse = Self(rawValue: 11)
    public static let getReaderConfigResponse = Self(rawValue: 12)
    public static let setReaderConfigResponse = Self(rawValue: 13)
    public static let closeConnection = Self(rawValue: 14)
    public static let addROSpec = Self(rawValue: 20)
    public static let deleteROSpec = Self(rawValue: 21)
    public static let startROSpec = Self(rawValue: 22)
    public static let stopROSpec = Self(rawValue: 23)
    public static let enableROSpec = Self(rawValue: 24)
    public static let disableROSpec = Self(rawValue: 25)
    public static let addROSpecResponse = Self(rawValue: 30)
    public static let deleteROSpecResponse = Self(rawValue: 31)
    public static let startROSpecResponse = Self(rawValue: 32)
    public static let stopROSpecResponse = Self(rawValue: 33)
    public static let enableROSpecResponse = Self(rawValue: 34)
    public static let disableROSpecResponse = Self(rawValue: 35)
    public static let roAccessReport = Self(rawValue: 61)
    public static let keepalive = Self(rawValue: 62)
    public static let readerEventNotification = Self(rawValue: 63)
    public static let enableEventsAndReports = Self(rawValue: 64)
    public static let keepaliveAck = Self(rawValue: 72)
    public static let errorMessage = Self(rawValue: 100)
    public static let customMessage = Self(rawValue: 1023)

    public var description: String { "\(LLRPMessageType.names[rawValue] ?? "message type") (\(rawValue))" }

    static let names: [UInt16: String] = [
        1: "GET_READER_CAPABILITIES", 2: "GET_READER_CONFIG", 3: "SET_READER_CONFIG", 4: "CLOSE_CONNECTION_RESPONSE",
        11: "GET_READER_CAPABILITIES_RESPONSE", 12: "GET_READER_CONFIG_RESPONSE", 13: "SET_READER_CONFIG_RESPONSE",
        14: "CLOSE_CONNECTION", 20: "ADD_ROSPEC", 21: "DELETE_ROSPEC", 22: "START_ROSPEC", 23: "STOP_ROSPEC",
        24: "ENABLE_ROSPEC", 25: "DISABLE_ROSPEC", 30: "ADD_ROSPEC_RESPONSE", 31: "DELETE_ROSPEC_RESPONSE",
        32: "START_ROSPEC_RESPONSE", 33: "STOP_ROSPEC_RESPONSE", 34: "ENABLE_ROSPEC_RESPONSE", 35: "DISABLE_ROSPEC_RESPONSE",
        61: "RO_ACCESS_REPORT", 62: "KEEPALIVE", 63: "READER_EVENT_NOTIFICATION", 64: "ENABLE_EVENTS_AND_REPORTS",
        72: "KEEPALIVE_ACK", 100: "ERROR_MESSAGE", 1023: "CUSTOM_MESSAGE",
    ]
}
