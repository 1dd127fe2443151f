import TagwayModel

/// The event stream of `tagway-forward-bench log`, and the asset rows the pipeline writes with it.
///
/// 100,000 tag slots (the W2 population, and `restart`'s) each go through arrived → moved →
/// departed, one event per slot per round, with the slots' phases staggered so about two thirds of
/// them are tracked at any time; a departed slot's next arrival is a new tag. Each event carries
/// the row change the pipeline writes with it (`Pipeline.stateChanges`): an upsert of the asset's
/// row after an arrival or a move, its removal after a departure. Event `j` is the same in every
/// run and for both sides of the comparison, so (a) and (b) write the very same rows.
enum EventLogWorkload {
    static let population = 100_000
    static let base: Int64 = 1_764_000_000_000

    /// One append as the pipeline makes it: its events, and the rows of the assets they name.
    struct Batch {
        var events: [MovementEvent]
        var state: AssetStateChanges
    }

    /// Event `j` and its asset's row change (nil: the row is removed).
    static func event(_ j: Int) -> (event: MovementEvent, row: AssetRecord?, tag: TagID) {
        let round = j / population, slot = j % population
        let phase = (round + slot) % 3
        let serial = ((round + slot) / 3) * population + slot
        let n = UInt32(truncatingIfNeeded: serial)
        let tag = TagID(bytes: [0x30, 0x74, 0x25, 0x7B, 0xF7, 0x19, 0x4E, 0x40, UInt8(n >> 24), UInt8(truncatingIfNeeded: n >> 16),
                                UInt8(truncatingIfNeeded: n >> 8), UInt8(truncatingIfNeeded: n)])
        let asset = AssetRef(key: "urn:epc:id:sgtin:0614141.812345.\(serial)", scheme: "sgtin", raw: hex(tag))
        let time = Timestamp(milliseconds: base + Int64(j))
        var rng = SplitMix64(seed: UInt64(j))
        let id = EventID.make(time: time, using: &rng)
        let first = "zone-\(slot % 50)", second = "zone-\((slot + 1) % 50)"
        let point = "rp-\(slot % 200)", reader = "reader-\(slot % 100)", rssi = -50 - slot % 20
        switch phase {
        case 0:
            let event = MovementEvent(id: id, type: .arrived, time: time, gateway: "bench", asset: asset, to: first,
                                      readPoint: point, reader: reader, rssi: rssi, reads: 3)
            return (event, row(tag, asset, zone: first, point: point, reader: reader, rssi: rssi, time: time), tag)
        case 1:
            let event = MovementEvent(id: id, type: .moved, time: time, gateway: "bench", asset: asset, from: first, to: second,
                                      readPoint: point, reader: reader, rssi: rssi, reads: 3)
            return (event, row(tag, asset, zone: second, point: point, reader: reader, rssi: rssi, time: time), tag)
        default:
            let event = MovementEvent(id: id, type: .departed, time: time, gateway: "bench", asset: asset, from: second,
                                      readPoint: point, reader: reader, reads: 9)
            return (event, nil, tag)
        }
    }

    static func row(_ tag: TagID, _ asset: AssetRef, zone: String, point: String, reader: String, rssi: Int,
                    time: Timestamp) -> AssetRecord {
        AssetRecord(tag: tag, isScan: false, technology: "epc-gen2", asset: asset, zone: zone, since: time, readPoint: point,
                    reader: reader, lastRead: time, lastReadInZone: time, reads: 3, peakRSSI: rssi)
    }

    /// Events `range` cut into appends of `size` events, each with its rows.
    static func batches(_ range: Range<Int>, size: Int) -> [Batch] {
        stride(from: range.lowerBound, to: range.upperBound, by: size).map { start in
            var batch = Batch(events: [], state: AssetStateChanges())
            batch.events.reserveCapacity(size)
            for j in start..<min(start + size, range.upperBound) {
                let (event, row, tag) = event(j)
                batch.events.append(event)
                if let row { batch.state.upserts.append(row) } else { batch.state.removals.append(tag) }
            }
            return batch
        }
    }

    private static let digits = Array("0123456789ABCDEF".utf8)

    static func hex(_ tag: TagID) -> String {
        var text: [UInt8] = []
        text.reserveCapacity(tag.bytes.count * 2)
        for byte in tag.bytes {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: text, as: UTF8.self)
    }
}
