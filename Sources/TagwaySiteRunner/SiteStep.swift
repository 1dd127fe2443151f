import Foundation

/// One output of the view as the writes it makes, written to the bucket's `step` row before any
/// of them is carried out: a write-ahead record in one key, since a bucket has no transaction
/// over several keys. A process killed halfway through a step (asset rows written, positions
/// not) would otherwise restart with rows ahead of its positions and apply events twice; the next
/// process carries out the recorded step again first (every write in it is idempotent: site
/// events are de-duplicated by id, rows and positions are whole values), then reads the bucket.
struct SiteStep: Codable, Equatable {
    struct Publish: Codable, Equatable {
        var subject: String
        var id: String
        var payload: String
    }

    struct Write: Codable, Equatable {
        var key: String
        /// nil: delete the key.
        var value: String?
    }

    var publishes: [Publish] = []
    var writes: [Write] = []

    static let key = "step"
    /// The record is cut into parts of at most this many bytes (a bucket value is one NATS
    /// message: 1 MiB by default), written under the generation the header does not name, then
    /// the header switches to them: a kill while parts are written leaves the previous step whole.
    static let partBytes = 64 * 1_024

    /// The `step` row: which generation's parts hold the latest step, and how many.
    struct Header: Codable, Equatable {
        var generation: Int
        var parts: Int
    }

    static func partKey(generation: Int, index: Int) -> String { "step.\(generation).\(index)" }

    var isEmpty: Bool { publishes.isEmpty && writes.isEmpty }

    var encoded: [UInt8] { Array((try? JSONEncoder().encode(self)) ?? Data()) }

    static func decode(_ bytes: [UInt8]) -> SiteStep? { try? JSONDecoder().decode(SiteStep.self, from: Data(bytes)) }

    /// The step the bucket records, if any (a header naming parts that are missing or do not
    /// decode is a failure: the process must not go on past an unfinished step it cannot read).
    static func recorded(_ nats: SiteJetStream) throws(SiteJetStream.Failure) -> (step: SiteStep, header: Header)? {
        guard let row = try nats.get(key) else { return nil }
        guard let header = try? JSONDecoder().decode(Header.self, from: Data(row.value)) else {
            throw SiteJetStream.Failure(description: "bucket row '\(key)' is not a step header")
        }
        var bytes: [UInt8] = []
        for index in 0..<header.parts {
            guard let part = try nats.get(partKey(generation: header.generation, index: index)) else {
                throw SiteJetStream.Failure(description: "bucket row '\(partKey(generation: header.generation, index: index))' of the recorded step is missing")
            }
            bytes += part.value
        }
        guard let step = decode(bytes) else { throw SiteJetStream.Failure(description: "the recorded step does not decode") }
        return (step, header)
    }

    /// Records the step (parts, then the header), then carries it out in order: the publishes, in
    /// the site events' order (`publishInOrder`), then the writes. `last`: the header written
    /// before, nil at first. `tick` runs before each chunk of publishes or writes (the lease's
    /// renewal: a long step must not outlive it).
    func carryOut(_ nats: SiteJetStream, after last: Header?,
                  tick: () throws(SiteJetStream.Failure) -> Void = {}) throws(SiteJetStream.Failure) -> Header? {
        guard !isEmpty else { return last }
        let bytes = encoded
        let generation = last.map { 1 - $0.generation } ?? 0
        var parts = 0
        var offset = 0
        while offset < bytes.count {
            let end = min(bytes.count, offset + Self.partBytes)
            try nats.put(Self.partKey(generation: generation, index: parts), Array(bytes[offset..<end]))
            parts += 1
            offset = end
        }
        let header = Header(generation: generation, parts: parts)
        try nats.put(Self.key, Array((try? JSONEncoder().encode(header)) ?? Data()))
        try replay(nats, tick: tick)
        return header
    }

    /// Carries out the step without recording it. A step found recorded at start (the previous
    /// session failed or was killed in it) publishes `oneByOne`, each PubAck awaited before the
    /// next: whatever the stream's last message is after the fault, every publish then stands on
    /// its own, so the step always gets through once the cause is gone.
    func replay(_ nats: SiteJetStream, oneByOne: Bool = false,
                tick: () throws(SiteJetStream.Failure) -> Void = {}) throws(SiteJetStream.Failure) {
        if oneByOne {
            for publish in publishes {
                try nats.publish(subject: publish.subject, payload: Array(publish.payload.utf8), id: publish.id)
            }
        } else {
            try nats.publishInOrder(publishes, tick: tick)
        }
        try nats.write(writes, tick: tick)
    }
}
