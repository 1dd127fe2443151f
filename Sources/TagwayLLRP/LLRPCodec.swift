/// LLRP messages to bytes and back (LLRP 1.0.1, binary encoding). Pure: no I/O, no clock.
///
/// `encode` writes every message of the model; `decode` reads a framed message of either
/// direction (the gateway reads the reader's half, the emulator the client's). A type Tagway
/// does not use decodes to `.unsupported`, skipped by its length. For every value of the model
/// in its canonical form (`LLRPStatus.detail` as the decoder renders it, `tagPopulation` only
/// with a `session`, `response(to:)` naming a request that has a status-only response),
/// `decode(frame(encode(x))) == x`.
public enum LLRPCodec {
    public static func encode(_ message: LLRPMessage, id: UInt32, version: UInt8 = 1) -> [UInt8] {
        encode(LLRPEnvelope(version: version, id: id, message: message))
    }

    public static func encode(_ envelope: LLRPEnvelope) -> [UInt8] {
        var writer = LLRPByteWriter(capacity: 64)
        let type = messageType(of: envelope.message)
        writer.u16(UInt16(envelope.version & 0x07) << 10 | type.rawValue)
        writer.u32(0) // length, patched below
        writer.u32(envelope.id)
        encodeBody(envelope.message, into: &writer)
        var bytes = writer.bytes
        let length = UInt32(clamping: bytes.count)
        bytes[2] = UInt8(truncatingIfNeeded: length >> 24)
        bytes[3] = UInt8(truncatingIfNeeded: length >> 16)
        bytes[4] = UInt8(truncatingIfNeeded: length >> 8)
        bytes[5] = UInt8(truncatingIfNeeded: length)
        return bytes
    }

    public static func decode(_ frame: LLRPFrame) throws(LLRPError) -> LLRPEnvelope {
        LLRPEnvelope(version: frame.version, id: frame.id, message: try decodeBody(frame.type, frame.body))
    }

    static func messageType(of message: LLRPMessage) -> LLRPMessageType {
        switch message {
        case .getReaderCapabilities: .getReaderCapabilities
        case .setReaderConfig: .setReaderConfig
        case .deleteROSpec: .deleteROSpec
        case .addROSpec: .addROSpec
        case .enableROSpec: .enableROSpec
        case .startROSpec: .startROSpec
        case .stopROSpec: .stopROSpec
        case .enableEventsAndReports: .enableEventsAndReports
        case .keepaliveAck: .keepaliveAck
        case .closeConnection: .closeConnection
        case .impinjEnableExtensions: .customMessage
        case .readerEventNotification: .readerEventNotification
        case .getReaderCapabilitiesResponse: .getReaderCapabilitiesResponse
        case .response(let request, _): request.statusResponse ?? .errorMessage
        case .roAccessReport: .roAccessReport
        case .keepalive: .keepalive
        case .errorMessage: .errorMessage
        case .unsupported(let type): type
        }
    }

    private static func encodeBody(_ message: LLRPMessage, into writer: inout LLRPByteWriter) {
        switch message {
        case .getReaderCapabilities:
            writer.u8(0) // RequestedData: All
        case .setReaderConfig(let configuration):
            ReaderConfigurationCoding.encode(configuration, into: &writer)
        case .deleteROSpec(let id), .enableROSpec(let id), .startROSpec(let id), .stopROSpec(let id):
            writer.u32(id)
        case .addROSpec(let spec):
            ROSpecCoding.encode(spec, into: &writer)
        case .enableEventsAndReports, .keepaliveAck, .closeConnection, .keepalive, .unsupported:
            break
        case .impinjEnableExtensions:
            // CUSTOM_MESSAGE: VendorIdentifier u32, MessageSubtype u8; then Impinj's
            // 32 reserved bits.
            writer.u32(ImpinjExtension.vendor)
            writer.u8(ImpinjExtension.enableExtensions)
            writer.u32(0)
        case .readerEventNotification(let event):
            ReaderEventCoding.encode(event, into: &writer)
        case .getReaderCapabilitiesResponse(let status, let caps):
            LLRPStatusCoding.encode(status, into: &writer)
            if let caps { CapabilitiesCoding.encode(caps, into: &writer) }
        case .response(let request, let status):
            if request == .customMessage {
                writer.u32(ImpinjExtension.vendor)
                writer.u8(ImpinjExtension.enableExtensionsResponse)
            }
            LLRPStatusCoding.encode(status, into: &writer)
        case .roAccessReport(let reports):
            for report in reports { TagReportCoding.encode(report, into: &writer) }
        case .errorMessage(let status):
            LLRPStatusCoding.encode(status, into: &writer)
        }
    }

    private static func decodeBody(_ type: LLRPMessageType, _ body: [UInt8]) throws(LLRPError) -> LLRPMessage {
        var reader = LLRPBodyReader(body, type: type)
        switch type {
        case .roAccessReport:
            return .roAccessReport(try TagReportCoding.decodeReport(reader))
        case .keepalive:
            return .keepalive
        case .readerEventNotification:
            guard let header = try reader.nextParameter(), !header.isTV,
                  header.type == LLRPParameterType.readerEventNotificationData else {
                throw reader.malformed("no ReaderEventNotificationData")
            }
            return .readerEventNotification(try ReaderEventCoding.decode(try reader.contents(of: header)))
        case .getReaderCapabilitiesResponse:
            let status = try leadingStatus(&reader)
            return .getReaderCapabilitiesResponse(status, try CapabilitiesCoding.decode(reader))
        case .errorMessage:
            return .errorMessage(try leadingStatus(&reader))
        case .customMessage:
            return try decodeCustom(&reader)
        case .getReaderCapabilities:
            _ = try reader.u8("GET_READER_CAPABILITIES RequestedData")
            return .getReaderCapabilities
        case .setReaderConfig:
            return .setReaderConfig(try ReaderConfigurationCoding.decode(reader))
        case .deleteROSpec: return .deleteROSpec(roSpecID: try reader.u32("ROSpecID"))
        case .enableROSpec: return .enableROSpec(roSpecID: try reader.u32("ROSpecID"))
        case .startROSpec: return .startROSpec(roSpecID: try reader.u32("ROSpecID"))
        case .stopROSpec: return .stopROSpec(roSpecID: try reader.u32("ROSpecID"))
        case .addROSpec:
            guard let header = try reader.nextParameter(), !header.isTV, header.type == LLRPParameterType.roSpec else {
                throw reader.malformed("no ROSpec parameter")
            }
            return .addROSpec(try ROSpecDecoding.decode(try reader.contents(of: header)))
        case .enableEventsAndReports: return .enableEventsAndReports
        case .keepaliveAck: return .keepaliveAck
        case .closeConnection: return .closeConnection
        default:
            if let request = type.statusRequest {
                return .response(to: request, try leadingStatus(&reader))
            }
            return .unsupported(type)
        }
    }

    /// The LLRPStatus a response starts with (its first parameter).
    private static func leadingStatus(_ reader: inout LLRPBodyReader) throws(LLRPError) -> LLRPStatus {
        while let header = try reader.nextParameter() {
            guard !header.isTV, header.type == LLRPParameterType.llrpStatus else { continue }
            return try LLRPStatusCoding.decode(try reader.contents(of: header))
        }
        throw reader.malformed("no LLRPStatus")
    }

    /// CUSTOM_MESSAGE: Impinj's enable-extensions request and answer; any other vendor's or
    /// subtype is framed and skipped.
    private static func decodeCustom(_ reader: inout LLRPBodyReader) throws(LLRPError) -> LLRPMessage {
        guard reader.remaining >= 5 else { return .unsupported(.customMessage) }
        let vendor = try reader.u32("CUSTOM_MESSAGE VendorIdentifier")
        let subtype = try reader.u8("CUSTOM_MESSAGE MessageSubtype")
        guard vendor == ImpinjExtension.vendor else { return .unsupported(.customMessage) }
        switch subtype {
        case ImpinjExtension.enableExtensions: return .impinjEnableExtensions
        case ImpinjExtension.enableExtensionsResponse: return .response(to: .customMessage, try leadingStatus(&reader))
        default: return .unsupported(.customMessage)
        }
    }
}
