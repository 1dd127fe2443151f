import TagwayDecoders
import TagwayEmulators
import TagwayModel
import TagwayProtocols

/// One target per serial protocol in `ProtocolRegistry`, named by its id. Input: one byte
/// choosing how the stream is cut (0 = whole, else chunks of that many bytes, as a port
/// delivers them), one byte choosing protocol settings, then the byte stream.
enum SerialDecoderTargets {
    static var all: [FuzzTarget] {
        ProtocolRegistry.all.compactMap { descriptor in
            guard let driver = descriptor.serial else { return nil }
            return FuzzTarget(
                name: descriptor.id, summary: descriptor.summary,
                run: { run(descriptor, driver, $0) },
                seeds: { seeds(for: descriptor).map { [0, 0] + $0 } + seeds(for: descriptor).map { [3, 0] + $0 } })
        }
    }

    /// Settings each protocol is fuzzed with: its defaults, then those of its samples.
    static func settingsChoices(_ descriptor: ProtocolDescriptor) -> [ProtocolSettings] {
        var choices: [ProtocolSettings] = [[:]]
        for sample in descriptor.samples where !choices.contains(sample.settings) { choices.append(sample.settings) }
        return choices
    }

    static func run(_ descriptor: ProtocolDescriptor, _ driver: SerialDriver, _ bytes: [UInt8]) {
        var input = FuzzInput(bytes)
        let chunk = Int(input.byte())
        let options = input.pick(settingsChoices(descriptor))
        guard let decoder = try? driver.makeDecoder(options) else {
            fuzzInvariant(false, "the fuzzed options of \(descriptor.id) are valid: \(options)")
            return
        }
        var assembler = FrameAssembler(decoder)
        let limit = 2 * decoder.maximumFrameLength
        let stream = input.remaining
        var start = stream.startIndex
        while start < stream.endIndex {
            let end = chunk == 0 ? stream.endIndex : min(start + chunk, stream.endIndex)
            for frame in assembler.feed(stream[start..<end]) { check(frame) }
            fuzzInvariant(assembler.bufferedByteCount <= limit,
                          "\(descriptor.id) holds \(assembler.bufferedByteCount) bytes, limit \(limit)")
            start = end
        }
        assembler.reset()
        fuzzInvariant(assembler.bufferedByteCount == 0, "reset leaves nothing buffered")
    }

    private static func check(_ frame: ReaderFrame) {
        _ = frame.hashValue
        if case .tag(let read) = frame { fuzzInvariant(!read.id.bytes.isEmpty, "a tag read has an id") }
    }

    /// What each reader really sends: the descriptor's sample traffic, alone and run together,
    /// and its emulator's output.
    static func seeds(for descriptor: ProtocolDescriptor) -> [[UInt8]] {
        let samples = descriptor.samples.compactMap { sample -> [UInt8]? in
            if case .bytes(let bytes) = sample.traffic { return bytes }
            return nil
        }
        var seeds = samples
        if samples.count > 1 { seeds += [samples.joined().map { $0 }, samples.reversed().joined().map { $0 }] }
        if case .bytes(let emulated) = TrafficDecoding.emulatorTraffic(descriptor.emulation, by: descriptor), !emulated.isEmpty {
            seeds.append(emulated)
        }
        return seeds
    }
}
