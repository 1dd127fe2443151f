import TagwayModel
@testable import TagwayZones
import Testing

/// The asset table's compact ids (long ones on the side) against a plain model under churn:
/// lookups, the id read back, reuse of freed entries.
@Suite struct AssetTableTagTests {
    static func id(_ n: Int) -> TagID {
        let lengths = [0, 3, 8, 12, 16, 17, 24, 40]
        let length = lengths[n % lengths.count]
        var bytes = [UInt8](repeating: 0x30, count: length)
        if length > 0 { bytes[length - 1] = UInt8(truncatingIfNeeded: n / lengths.count) }
        return TagID(bytes: bytes)
    }

    @Test(arguments: [1, 2, 3, 4] as [UInt64])
    func agreesWithAModelUnderChurn(seed: UInt64) {
        var rng = SplitMix64(seed: seed)
        let capacity = Int.random(in: 1...40, using: &rng)
        var table = AssetTable(capacity: capacity)
        var model: [TagID: Int32] = [:]
        for step in 0..<4_000 {
            let tag = Self.id(Int.random(in: 0..<120, using: &rng))
            #expect(table.lookup(tag) == model[tag], "lookup of \(tag.hex)")
            if let asset = model[tag] {
                #expect(table.tag(asset) == tag)
                if Int.random(in: 0..<3, using: &rng) == 0 {
                    table.remove(asset)
                    model[tag] = nil
                }
            } else if !table.isFull {
                let asset = table.insert(tag, isScan: false, list: 1, at: Int64(step))
                #expect(model.values.allSatisfy { $0 != asset }, "entry \(asset) handed out twice")
                model[tag] = asset
                #expect(table.tag(asset) == tag)
            }
            #expect(table.count == model.count)
        }
        for (tag, asset) in model { #expect(table.lookup(tag) == asset && table.tag(asset) == tag) }
    }
}
