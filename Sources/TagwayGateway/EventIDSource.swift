import TagwayModel

/// Where the random bits of event ids (and of the log's retry jitter) come from.
///
/// A running gateway draws them from the kernel, so ids are unique across gateways and runs.
/// `tagway replay` must print byte-identical output on every run of the same inputs, so it seeds
/// a splitmix64 from the captures and the configuration instead: the same traffic replayed
/// twice names its events the same, and different traffic names them differently.
public struct EventIDSource: RandomNumberGenerator, Sendable {
    private var seeded: SplitMix64?
    private var system = BatchedSystemRandom()

    private init(seeded: SplitMix64?) { self.seeded = seeded }

    /// The kernel's CSPRNG (what `tagway run` uses).
    public static var system: EventIDSource { EventIDSource(seeded: nil) }

    /// A deterministic stream: the same seed gives the same ids on every machine.
    public static func seeded(_ seed: UInt64) -> EventIDSource { EventIDSource(seeded: SplitMix64(seed: seed)) }

    public mutating func next() -> UInt64 {
        if var generator = seeded {
            let value = generator.next()
            seeded = generator
            return value
        }
        return system.next()
    }
}
