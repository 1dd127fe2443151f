import TagwayZones
import Testing

/// The debouncer's presence slot names its asset's entry (`PresenceOwner`), and the engine trusts
/// that name only while the entry still holds the slot's tag: an entry evicted and taken by
/// another tag keeps the old tag's presences pointing at it.
@Suite struct AssetOwnerTests {
    private static func harness() throws -> EngineHarness {
        var settings = MovementSettings(departAfter: .seconds(60), maxAssets: 1)
        settings.moveAfterReads = 1
        return try EngineHarness(MovementConfiguration(settings: settings))
    }

    /// With room for one asset, each tag's read evicts the other's asset and takes its entry;
    /// the first tag's presence still names that entry. Trusted blindly, the last read would
    /// count as a read of the second tag's asset and report nothing.
    @Test(arguments: [("01", "02"),
                      // 20-byte ids alike in their first 16 bytes: only the whole id tells them apart.
                      ("E2801170000002000000000000000000AAAA0001", "E2801170000002000000000000000000AAAA0002")])
    func anEntryTakenByAnotherTagIsNotTheOldTagsAsset(first: String, second: String) throws {
        var h = try Self.harness()
        h.read(0, "p", first, rssi: -50)
        h.read(10, "p", second, rssi: -50)
        h.read(20, "p", first, rssi: -50)
        h.read(30, "p", first, rssi: -50)
        #expect(h.take() == ["0 arrived \(first) to=p at=p",
                             "10 departed \(first) from=p evicted", "10 arrived \(second) to=p at=p",
                             "20 departed \(second) from=p evicted", "20 arrived \(first) to=p at=p"])
        #expect(h.engine.trackedAssets == 1)
    }
}
