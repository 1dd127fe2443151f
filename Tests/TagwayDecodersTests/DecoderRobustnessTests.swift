import Testing
import TagwayModel
@testable import TagwayDecoders

/// Properties every serial decoder must have, checked for each protocol: chunking does not
/// matter, noise and broken frames cost only themselves, memory stays bounded, nothing crashes.
@Suite struct DecoderRobustnessTests {
    @Test(arguments: ProtocolSample.all)
    func sameResultHoweverChunked(_ sample: ProtocolSample) {
        let bytes = sample.allBytes + sample.allBytes
        let reference = decode(bytes, with: sample.makeDecoder())
        #expect(reference.lines == sample.allLines + sample.allLines)
        #expect(reference.drops.isEmpty)
        // Only an optional trailer (the PN532 postamble) may wait for the byte after it.
        #expect(reference.leftover <= sample.optionalTrailer)
        for chunking in Chunking.all {
            #expect(decode(bytes, with: sample.makeDecoder(), chunking: chunking) == reference, "\(chunking)")
        }
    }

    @Test(arguments: ProtocolSample.all)
    func garbagePrefixIsDroppedAndFramesFollow(_ sample: ProtocolSample) {
        guard sample.framed else { return }
        // A false start in the noise may claim a length that holds back the frames after it
        // until that many bytes arrived; live traffic supplies them, here repeated frames do.
        let traffic = sample.traffic(atLeast: 2 * sample.makeDecoder().maximumFrameLength)
        for seed: UInt64 in 1...20 {
            var generator = SeededGenerator(seed: seed)
            let garbage = generator.bytes(Int.random(in: 1...200, using: &generator))
            for chunking in Chunking.all {
                let outcome = decode(garbage + traffic.bytes, with: sample.makeDecoder(), chunking: chunking)
                #expect(outcome.lines == traffic.lines, "seed \(seed), \(chunking)")
                #expect(outcome.drops.values.reduce(0, +) == garbage.count, "seed \(seed), \(chunking)")
            }
        }
    }

    @Test(arguments: ProtocolSample.all)
    func badChecksumIsCountedAndTheNextFrameDecodes(_ sample: ProtocolSample) {
        guard let corrupt = sample.corruptChecksum else { return }
        for (index, frame) in sample.frames.enumerated() {
            guard let broken = corrupt(frame.bytes) else { continue }
            for chunking in Chunking.all {
                let outcome = decode(broken + sample.allBytes, with: sample.makeDecoder(), chunking: chunking)
                #expect(outcome.lines == sample.allLines, "frame \(index), \(chunking)")
                // An optional trailer after the checksum is framing, consumed without a count.
                #expect(outcome.drops == [.badChecksum: broken.count - sample.optionalTrailer], "frame \(index), \(chunking)")
            }
        }
    }

    @Test(arguments: ProtocolSample.all)
    func truncatedFrameCostsOnlyItsOwnBytes(_ sample: ProtocolSample) {
        guard sample.framed else { return }
        // Enough valid frames after the cut one that any wait on a false length is satisfied.
        let traffic = sample.traffic(atLeast: 2 * sample.makeDecoder().maximumFrameLength)
        for frame in sample.frames {
            for cut in 1..<(frame.bytes.count - sample.optionalTrailer) {
                let outcome = decode(Array(frame.bytes[..<cut]) + traffic.bytes, with: sample.makeDecoder())
                #expect(outcome.lines == traffic.lines, "cut after \(cut) of \(frame.bytes.count)")
                #expect(outcome.drops.values.reduce(0, +) == cut, "cut after \(cut) of \(frame.bytes.count)")
            }
        }
    }

    @Test(arguments: ProtocolSample.all)
    func overlongFrameIsDroppedWithBoundedBuffer(_ sample: ProtocolSample) {
        guard let overlong = sample.overlong else { return }
        for chunking in Chunking.all {
            let outcome = decode(overlong + sample.allBytes, with: sample.makeDecoder(), chunking: chunking)
            #expect(outcome.lines == sample.allLines, "\(chunking)")
            #expect(outcome.drops[.overlong, default: 0] > 0, "\(chunking)")
            #expect(outcome.drops.values.reduce(0, +) == overlong.count, "\(chunking)")
            #expect(outcome.peakBuffered <= outcome.maximumFrameLength, "\(chunking)")
        }
    }

    @Test(arguments: ProtocolSample.all)
    func aMegabyteOfNoiseNeitherCrashesNorGrows(_ sample: ProtocolSample) {
        var generator = SeededGenerator(seed: 0x5EED)
        let noise = generator.bytes(1 << 20)
        let whole = decode(noise, with: sample.makeDecoder())
        let chunked = decode(noise, with: sample.makeDecoder(), chunking: .random(seed: 7, maxSize: 4096))
        #expect(chunked.peakBuffered <= chunked.maximumFrameLength)
        #expect(chunked.drops.values.reduce(0, +) > 0)
        #expect(whole == chunked)
        // Noise followed by real traffic: the decoder recovers.
        let recovered = decode(noise + sample.allBytes + sample.allBytes, with: sample.makeDecoder())
        #expect(Array(recovered.lines.suffix(sample.frames.count)) == sample.allLines)
    }

    @Test(arguments: ProtocolSample.all)
    func corruptedTrafficStaysBoundedAndChunkIndependent(_ sample: ProtocolSample) {
        // Real frames with 1% of their bytes flipped: every resync and reject path, many times.
        var traffic = sample.traffic(atLeast: 200_000).bytes
        var generator = SeededGenerator(seed: 2024)
        for _ in 0..<(traffic.count / 100) {
            let index = Int.random(in: 0..<traffic.count, using: &generator)
            traffic[index] ^= UInt8.random(in: 1...255, using: &generator)
        }
        let whole = decode(traffic, with: sample.makeDecoder())
        let chunked = decode(traffic, with: sample.makeDecoder(), chunking: .random(seed: 11, maxSize: 512))
        #expect(whole == chunked)
        #expect(chunked.peakBuffered <= chunked.maximumFrameLength)
        #expect(whole.frames.count > sample.frames.count)
        if sample.crcGuardsTags {
            let sent = Set(sample.allLines.filter { $0.hasPrefix("tag ") })
            #expect(whole.lines.filter { $0.hasPrefix("tag ") && !sent.contains($0) } == [])
        }
    }

    @Test(arguments: ProtocolSample.all)
    func bytesAreConservedInNoise(_ sample: ProtocolSample) {
        // Every byte of pure noise is either dropped with a reason, part of a frame, or still buffered.
        var generator = SeededGenerator(seed: 99)
        let noise = generator.bytes(200_000)
        let outcome = decode(noise, with: sample.makeDecoder(), chunking: .random(seed: 3, maxSize: 64))
        #expect(outcome.drops.values.reduce(0, +) + outcome.leftover <= noise.count)
        #expect(outcome.leftover <= outcome.maximumFrameLength)
    }
}
