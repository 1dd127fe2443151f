import TagwayDecoders
import TagwayLLRP

/// `llrp-codec`: a reader's (or a client's) byte stream through `LLRPFramer` and
/// `LLRPCodec.decode`, fed in chunks. Input: a chunk-size byte, then the stream. Besides not
/// trapping: the framer's window never holds more than one message's limit plus one chunk,
/// framing errors are header errors, and whatever decodes re-encodes to bytes that decode equal.
enum LLRPTargets {
    /// Small enough that the fuzzer reaches the limit, large enough for a busy report.
    static let maximumMessageLength = 1 << 16

    static let all: [FuzzTarget] = [
        FuzzTarget(name: "llrp-codec", summary: "LLRP framer and message codec (both directions), re-encode round trip",
                   run: run, seeds: { seeds }),
    ]

    static func run(_ bytes: [UInt8]) {
        var input = FuzzInput(bytes)
        let chunk = Int(input.byte()) % 64 + 1
        let stream = input.remaining
        var framer = LLRPFramer(maximumMessageLength: maximumMessageLength)
        var window = ByteWindow()
        var start = stream.startIndex
        while start < stream.endIndex {
            let end = min(start + chunk, stream.endIndex)
            window.append(contentsOf: stream[start..<end])
            start = end
            fuzzInvariant(window.count <= maximumMessageLength + chunk, "window of \(window.count) bytes")
            while true {
                let frame: LLRPFrame?
                do {
                    frame = try framer.next(&window)
                } catch {
                    fuzzInvariant(error.losesFraming, "framer threw a content error: \(error)")
                    return
                }
                guard let frame else { break }
                guard let envelope = try? LLRPCodec.decode(frame) else { continue }
                checkRoundTrip(envelope)
            }
        }
    }

    /// An ROSpec naming hundreds of antennas, each configured, no longer fits the u16 length of
    /// its InventoryParameterSpec: the one decoded kind the model cannot send back whole.
    static func checkRoundTrip(_ envelope: LLRPEnvelope) {
        if case .addROSpec(let spec) = envelope.message, spec.antennas.count > 256 { return }
        let bytes = LLRPCodec.encode(envelope)
        var window = ByteWindow(bytes)
        var framer = LLRPFramer(maximumMessageLength: Int(UInt32.max))
        do {
            guard let frame = try framer.next(&window) else {
                fuzzInvariant(false, "re-encoded \(envelope.message) does not frame")
                return
            }
            let again = try LLRPCodec.decode(frame)
            fuzzInvariant(again == envelope, "re-encoded \(envelope) decodes as \(again)")
        } catch {
            fuzzInvariant(false, "re-encoded \(envelope.message) fails: \(error)")
        }
    }

    /// Each message of the model once, in one stream, and a report of 100 tags.
    static var seeds: [[UInt8]] {
        let tag = TagReport(epc: [0x30, 0x74, 0x25, 0x7B, 0xF7, 0x19, 0x4E, 0x40, 0x00, 0x00, 0x1A, 0x85], pc: 0x3000, antennaID: 1,
                            peakRSSI: -52, firstSeen: .utc(microseconds: 1_764_676_800_000_000),
                            lastSeen: .utc(microseconds: 1_764_676_800_100_000), seenCount: 2, impinjPhaseAngle: 100, impinjPeakRSSI: -5200)
        let spec = ROSpec(id: 1, antennas: [.init(id: 1, transmitPowerIndex: 81), .init(id: 2)], modeIndex: 1002, session: 2,
                          impinjSearchMode: 2, impinjPhaseAndRSSI: true)
        let caps = ReaderCapabilities(maxAntennas: 4, hasUTCClock: true, manufacturer: 25882, model: 2001002, firmware: "5.14.0.240",
                                      transmitPower: [.init(index: 1, centiDBm: 1000), .init(index: 2, centiDBm: 3000)], rfModes: [1002])
        let messages: [LLRPMessage] = [
            .readerEventNotification(ReaderEventNotification(timestamp: .utc(microseconds: 1), connectionAttempt: .success)),
            .getReaderCapabilitiesResponse(.success, caps),
            .response(to: .addROSpec, LLRPStatus(code: .fieldError, errorDescription: "x", detail: "field 1: A_OutOfRange (301)")),
            .roAccessReport([tag, tag]), .keepalive, .errorMessage(LLRPStatus(code: .unsupportedMessage)),
            .getReaderCapabilities, .setReaderConfig(ReaderConfiguration(keepaliveMilliseconds: 10_000, events: [.antenna: true])),
            .addROSpec(spec), .impinjEnableExtensions, .response(to: .customMessage, .success), .closeConnection,
        ]
        let stream = messages.enumerated().flatMap { LLRPCodec.encode($0.element, id: UInt32($0.offset)) }
        let report = LLRPCodec.encode(.roAccessReport(Array(repeating: tag, count: 100)), id: 0)
        return [[0] + stream, [7] + stream, [0] + report] + messages.map { [63] + LLRPCodec.encode($0, id: 1) }
    }
}
