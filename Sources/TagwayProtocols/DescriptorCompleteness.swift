import TagwayModel

/// What a protocol must come with before it is supported: samples that decode as stated, an
/// emulator whose output decodes back to what it was told, fixtures and a fuzz target. The
/// tests run this over the whole registry, so a protocol added without them fails `make test`.
///
/// Fixtures and fuzz targets live outside this module (test resources, the fuzzing target);
/// the caller says which exist.
public enum DescriptorCompleteness {
    public struct Problem: Hashable, Sendable, CustomStringConvertible {
        public var protocolID: String
        public var what: String

        public var description: String { "\(protocolID): \(what)" }
    }

    public static func problems(of descriptor: ProtocolDescriptor, fixtureCount: Int,
                                fuzzTargets: Set<String>) -> [Problem] {
        var found: [String] = []
        if descriptor.summary.isEmpty { found.append("no summary") }
        if descriptor.samples.isEmpty { found.append("no sample traffic") }
        for sample in descriptor.samples {
            do throws(TrafficDecoding.Failure) {
                let frames = try TrafficDecoding.frames(of: sample.traffic, by: descriptor, settings: sample.settings)
                if frames != sample.frames {
                    found.append("sample '\(sample.note)' decodes to \(frames), not \(sample.frames)")
                }
            } catch {
                found.append("sample '\(sample.note)': \(error)")
            }
        }
        found += emulationProblems(descriptor)
        found += conversationProblems(descriptor)
        found += probeProblems(descriptor)
        if fixtureCount == 0 { found.append("no fixtures in Fixtures/\(descriptor.fixturesFolder)") }
        if !fuzzTargets.contains(descriptor.id) { found.append("no fuzz target named '\(descriptor.id)'") }
        return found.map { Problem(protocolID: descriptor.id, what: $0) }
    }

    /// A commanded serial reader (one with a polling plan) must have a read-only probe query that
    /// its emulator answers with something the decoder frames, or `tagway devices --probe` can
    /// never name it: passive readers are heard, commanded ones only answer.
    public static func probeProblems(_ descriptor: ProtocolDescriptor) -> [String] {
        guard let serial = descriptor.serial, serial.polling([:]) != nil else { return [] }
        guard let query = serial.probeQuery else { return ["a commanded reader without a probe query (tagway devices --probe)"] }
        var emulator = serial.makeEmulator([:])
        let answer = emulator.respond(to: query, field: [], now: Timestamp(milliseconds: 0))
        let frames = (try? TrafficDecoding.frames(of: .bytes(answer), by: descriptor)) ?? []
        return frames.isEmpty ? ["its emulator gives no frame in answer to the probe query"] : []
    }

    /// The emulator, told `descriptor.emulation`, must produce traffic that decodes to exactly
    /// those tags (in order) or that scan.
    static func emulationProblems(_ descriptor: ProtocolDescriptor) -> [String] {
        let traffic = TrafficDecoding.emulatorTraffic(descriptor.emulation, by: descriptor)
        let frames: [ReaderFrame]
        do throws(TrafficDecoding.Failure) {
            frames = try TrafficDecoding.frames(of: traffic, by: descriptor)
        } catch {
            return ["emulator output: \(error)"]
        }
        switch descriptor.emulation {
        case .tagsInField(let field):
            let ids = frames.compactMap { frame -> TagID? in
                if case .tag(let read) = frame { return read.id }
                return nil
            }
            if field.isEmpty { return ["the emulation puts no tag in the field"] }
            return ids == field.map(\.id) ? [] : ["emulator told to show \(field.map(\.id)) emitted tags \(ids)"]
        case .scan(let scan):
            let scans = frames.filter { if case .barcode = $0 { true } else { false } }
            return scans == [.barcode(scan)] ? [] : ["emulator told to scan \(scan) emitted \(scans)"]
        }
    }
}
