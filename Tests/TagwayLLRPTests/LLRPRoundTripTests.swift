import Testing
import TagwayDecoders
@testable import TagwayLLRP

/// Every message the codec supports comes back from its own bytes as it went in, through the
/// framer as a reader's bytes would.
@Suite struct LLRPRoundTripTests {
    static func frames(_ bytes: [UInt8]) throws -> [LLRPFrame] {
        var window = ByteWindow(bytes)
        var framer = LLRPFramer()
        var frames: [LLRPFrame] = []
        while let frame = try framer.next(&window) { frames.append(frame) }
        #expect(window.isEmpty, "bytes left after the last frame")
        return frames
    }

    @Test(arguments: LLRPSamples.all.indices)
    func sampleRoundTrips(_ index: Int) throws {
        let envelope = LLRPEnvelope(version: 1, id: UInt32(index) * 7919, message: LLRPSamples.all[index])
        let bytes = LLRPCodec.encode(envelope)
        let frames = try Self.frames(bytes)
        try #require(frames.count == 1)
        #expect(frames[0].body.count + 10 == bytes.count)
        #expect(try LLRPCodec.decode(frames[0]) == envelope, "\(LLRPText.render(envelope))")
    }

    @Test func versionTwoKeepsItsVersion() throws {
        let bytes = LLRPCodec.encode(.keepalive, id: 9, version: 2)
        #expect(bytes == [0x08, 0x3E, 0, 0, 0, 10, 0, 0, 0, 9])
        #expect(try LLRPCodec.decode(try #require(try Self.frames(bytes).first)) == LLRPEnvelope(version: 2, id: 9, message: .keepalive))
    }

    @Test func everySampleTypeIsCovered() {
        let types = Set(LLRPSamples.all.map { LLRPCodec.messageType(of: $0).rawValue })
        for type: LLRPMessageType in [.getReaderCapabilities, .setReaderConfig, .deleteROSpec, .addROSpec, .enableROSpec,
                                      .startROSpec, .stopROSpec, .enableEventsAndReports, .keepaliveAck, .closeConnection,
                                      .customMessage, .readerEventNotification, .getReaderCapabilitiesResponse,
                                      .setReaderConfigResponse, .addROSpecResponse, .roAccessReport, .keepalive, .errorMessage] {
            #expect(types.contains(type.rawValue), "\(type)")
        }
    }

    @Test func statusDetailGrammarRoundTrips() {
        let detail = "field 1: M_FieldError (101); parameter 177: P_ParameterError (200); field 3: A_OutOfRange (301); parameter 183: P_MissingParameter (203)"
        let blames = LLRPStatusCoding.parse(detail)
        #expect(blames?.count == 4)
        #expect(blames.map(LLRPStatusCoding.render) == detail)
        #expect(LLRPStatusCoding.parse("the reader is on fire") == nil)
        #expect(LLRPStatusCoding.parse("field 1: x (1); field 2: y (2)") == nil, "two FieldErrors at one level do not nest")
    }

    @Test func reportContentSelectorBitsFollowTheSpecOrder() {
        // TagReportContentSelector: EnableROSpecID is the top bit, EnableAccessSpecID the tenth.
        #expect(ROSpecCoding.contentBits([.roSpecID]) == 0x8000)
        #expect(ROSpecCoding.contentBits([.accessSpecID]) == 0x0040)
        // AntennaID 0x1000, PeakRSSI 0x0400, First/LastSeen 0x0200/0x0100, TagSeenCount 0x0080.
        #expect(ROSpecCoding.contentBits(.tagway) == 0x1780)
        #expect(ROSpecCoding.content(bits: 0x1780) == ROSpec.ReportContent.tagway.subtracting(.pcBits))
    }
}
