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

    var isEmpty: Bool { publishes.isEmpty && writes.isEmpty }

    var encoded: [UInt8] { Array((try? JSONEncoder().encode(self)) ?? Data()) }

    static func decode(_ bytes: [UInt8]) -> SiteStep? { try? JSONDecoder().decode(SiteStep.self, from: Data(bytes)) }

    /// Records the step, then carries it out in order: publishes (PubAcks awaited), then writes.
    func carryOut(_ nats: SiteJetStream) throws(SiteJetStream.Failure) {
        guard !isEmpty else { return }
        try nats.put(Self.key, encoded)
        try replay(nats)
    }

    /// Carries out the writes without recording (a recorded step found at start).
    func replay(_ nats: SiteJetStream) throws(SiteJetStream.Failure) {
        for publish in publishes { try nats.publish(subject: publish.subject, payload: Array(publish.payload.utf8), id: publish.id) }
        for write in writes {
            if let value = write.value { try nats.put(write.key, Array(value.utf8)) } else { try nats.delete(write.key) }
        }
    }
}
