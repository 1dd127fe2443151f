import Testing
import TagwayDecoders
import TagwayModel
@testable import TagwayLLRP

/// What a reader's bytes can do to the codec: arrive in any chunks, stop anywhere, be corrupted,
/// claim absurd lengths, nest without end. Never a crash, never unbounded memory, always a
/// typed error that costs what it must and no more.
@Suite struct LLRPRobustnessTests {
    static let stream: [UInt8] = LLRPSamples.all.enumerated().flatMap { LLRPCodec.encode($0.element, id: UInt32($0.offset)) }

    @Test func randomMessagesRoundTrip() {
        for seed: UInt64 in 1...300 {
            var random = LLRPRandomMessages(seed: seed)
            let envelope = LLRPEnvelope(version: UInt8(random.int(1...2)), id: random.u32(), message: random.message())
            let stream = LLRPStream(LLRPCodec.encode(envelope))
            #expect(stream.envelopes == [envelope], "seed \(seed): \(LLRPText.render(envelope))")
        }
    }

    @Test func chunkingDoesNotMatter() {
        let reference = LLRPStream(Self.stream)
        #expect(reference.envelopes.map(\.message) == LLRPSamples.all)
        for seed: UInt64 in 1...30 {
            for max in [1, 3, 11, 200] {
                let chunked = LLRPStream(Self.stream, chunking: .random(seed: seed, max: max))
                #expect(chunked.lines == reference.lines, "seed \(seed), chunks ≤\(max)")
            }
        }
    }

    /// A reader that stops mid-message leaves a frame the framer waits for, never a wrong one.
    @Test func aStreamCutAnywhereFramesOnlyWholeMessages() throws {
        let bytes = Self.stream
        var boundaries: [Int] = [0]
        for frame in LLRPStream(bytes).frames { boundaries.append((boundaries.last ?? 0) + 10 + frame.body.count) }
        for cut in 0...bytes.count {
            let stream = LLRPStream(Array(bytes[..<cut]))
            let whole = boundaries.lastIndex { $0 <= cut } ?? 0
            #expect(stream.frames.count == whole, "cut at \(cut)")
            #expect(stream.framingError == nil)
        }
    }

    /// A body cut short (its header's length says so) is a content error of its own type.
    @Test func aTruncatedBodyIsMalformedNotACrash() {
        for sample in LLRPSamples.all {
            let full = LLRPCodec.encode(sample, id: 1)
            guard let frame = LLRPStream(full).frames.first else { continue }
            for cut in 0..<frame.body.count {
                let short = LLRPFrame(version: 1, type: frame.type, id: 1, body: Array(frame.body[..<cut]))
                do {
                    _ = try LLRPCodec.decode(short)
                } catch {
                    guard case .malformed(let type, _) = error else {
                        Issue.record("\(error) is not a content error")
                        continue
                    }
                    #expect(type == frame.type)
                }
            }
        }
    }

    @Test func randomCorruptionIsATypedErrorAndMemoryStaysBounded() {
        let limit = 4096
        for seed: UInt64 in 1...400 {
            var generator = SplitMix64(seed: seed)
            var bytes = Self.stream
            for _ in 0..<Int.random(in: 1...8, using: &generator) {
                bytes[Int.random(in: 0..<bytes.count, using: &generator)] = UInt8.random(in: 0...255, using: &generator)
            }
            let stream = LLRPStream(bytes, chunking: .random(seed: seed, max: 100), maximumMessageLength: limit)
            // The window holds at most one message and one read, whatever the bytes claim.
            #expect(stream.peakWindow <= limit + 100, "seed \(seed)")
            if let error = stream.framingError { #expect(error.losesFraming, "seed \(seed)") }
        }
    }

    @Test func absurdLengthsFailOnTheHeaderAlone() {
        for (length, framing) in [(UInt32(0), true), (9, true), (0xFFFF_FFFF, false), (1 << 20 + 1, false)] {
            var window = ByteWindow([0x04, 0x3D] + withUnsafeBytes(of: length.bigEndian, Array.init))
            var framer = LLRPFramer()
            do {
                _ = try framer.next(&window)
                Issue.record("length \(length) framed")
            } catch {
                if framing {
                    #expect(error == .header("length \(length) is below the 10-byte header"))
                } else {
                    #expect(error == .overlong(length: length, limit: 1 << 20))
                }
            }
        }
        var window = ByteWindow([0x1C, 0x3D, 0, 0, 0, 10, 0, 0, 0, 1])
        var framer = LLRPFramer()
        #expect(throws: LLRPError.header("version 7 (this side speaks 1 and 2)")) { try framer.next(&window) }
    }

    @Test func theFramerHoldsNoMoreThanItsLimitFedByteByByte() {
        let stream = LLRPStream(Self.stream, chunking: .bytes, maximumMessageLength: 2048)
        #expect(stream.peakWindow <= 2048)
        #expect(stream.framingError == nil)
        let tight = LLRPStream(Self.stream, chunking: .bytes, maximumMessageLength: 64)
        #expect(tight.peakWindow <= 64)
        #expect(tight.framingError?.losesFraming == true)
    }

    /// ParameterErrors nested 2000 deep in one LLRPStatus: refused at a fixed depth, no deep
    /// recursion.
    @Test func deepNestingIsRefused() throws {
        var inner: [UInt8] = []
        for level in 0..<2000 {
            let body: [UInt8] = [0x00, 0xDF, 0x00, 0xC9] + inner
            let length = UInt16(clamping: 4 + body.count)
            inner = [0x01, 0x21, UInt8(length >> 8), UInt8(length & 0xFF)] + body
            if 4 + inner.count > 60000 { break }
            _ = level
        }
        let status: [UInt8] = [0x01, 0x1F] + u16(UInt16(4 + 4 + inner.count)) + [0x00, 0x64, 0x00, 0x00] + inner
        let frame = LLRPFrame(version: 1, type: .errorMessage, id: 1, body: status)
        #expect(throws: LLRPError.self) { try LLRPCodec.decode(frame) }
    }

    /// Counts that claim more than the bytes hold fail before allocating.
    @Test func hugeCountsFailWithoutAllocating() throws {
        // EPCData claiming 65535 bits with 2 bytes of EPC.
        let epc: [UInt8] = [0x00, 0xF1, 0x00, 0x08, 0xFF, 0xFF, 0xAB, 0xCD]
        let report = LLRPFrame(version: 1, type: .roAccessReport, id: 0, body: [0x00, 0xF0] + u16(UInt16(4 + epc.count)) + epc)
        #expect(throws: LLRPError.self) { try LLRPCodec.decode(report) }
        // AISpec AntennaIDs claiming 65535 antennas.
        let aispec: [UInt8] = [0x00, 0xB7, 0x00, 0x08, 0xFF, 0xFF, 0x00, 0x01]
        let rospec: [UInt8] = [0x00, 0xB1] + u16(UInt16(4 + 6 + aispec.count)) + [0, 0, 0, 1, 0, 0] + aispec
        #expect(throws: LLRPError.self) { try LLRPCodec.decode(LLRPFrame(version: 1, type: .addROSpec, id: 0, body: rospec)) }
        // A megabyte of minimal TagReportData decodes in one pass.
        let tag: [UInt8] = [0x00, 0xF0, 0x00, 0x11, 0x8D] + Array(repeating: 0x30, count: 12)
        let many = Array([[UInt8]](repeating: tag, count: 60000).joined())
        let decoded = try LLRPCodec.decode(LLRPFrame(version: 1, type: .roAccessReport, id: 0, body: many))
        guard case .roAccessReport(let tags) = decoded.message else { Issue.record("not a report"); return }
        #expect(tags.count == 60000)
    }

    @Test func aParameterOverrunningItsParentButNotItsMessageIsMalformed() {
        // TagReportData of 17 bytes whose EPCData child claims 32.
        let body: [UInt8] = [0x00, 0xF0, 0x00, 0x11, 0x00, 0xF1, 0x00, 0x20, 0x00, 0x60] + Array(repeating: 0, count: 7)
            + Array(repeating: 0, count: 40)
        #expect(throws: LLRPError.malformed(.roAccessReport, "parameter 241 at byte 4 of length 32 overruns its parent by 19 bytes")) {
            try LLRPCodec.decode(LLRPFrame(version: 1, type: .roAccessReport, id: 0, body: body))
        }
    }

    func u16(_ value: UInt16) -> [UInt8] { [UInt8(value >> 8), UInt8(value & 0xFF)] }
}
