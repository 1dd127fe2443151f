import Foundation
import TagwayDebounce
import TagwayModel

/// Read streams for the debouncer benchmark: generated exactly as gen_stream.py does (same seed,
/// same draws), or loaded from one of its files.
enum ReadStream {
    static let seed: UInt64 = 0x5EED_2024_ED6E_0001
    static let t0: Int64 = 1_700_000_000_000

    static func generate(epcs count: Int, antennas: Int, reads: Int) -> [Read] {
        var rng = SplitMix64(seed: seed)
        var epcs: [TagID] = []
        var seen: Set<TagID> = []
        while epcs.count < count {
            let a = rng.next(), b = rng.next()
            var bytes = withUnsafeBytes(of: a.bigEndian) { Array($0) }
            bytes += withUnsafeBytes(of: UInt32(truncatingIfNeeded: b >> 32).bigEndian) { Array($0) }
            let id = TagID(bytes: bytes)
            if seen.insert(id).inserted { epcs.append(id) }
        }
        var out: [Read] = []
        out.reserveCapacity(reads)
        for i in 0..<reads {
            let e = Int(rng.next() % UInt64(count))
            let antenna = Int32(1 + rng.next() % UInt64(antennas))
            let rssi = -70 + Int(rng.next() % 31)
            out.append(Read(readPoint: antenna - 1, tag: epcs[e], time: Timestamp(milliseconds: t0 + Int64(i)), rssi: rssi))
        }
        return out
    }

    /// `t_ms antenna epc_hex rssi_dbm` lines; `#` lines are comments.
    static func load(path: String) throws -> [Read] {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        var out: [Read] = []
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            let f = line.split(separator: " ")
            guard f.count == 4, let t = Int64(f[0]), let a = Int32(f[1]), let id = TagID(hex: f[2]), let r = Int(f[3]) else { continue }
            out.append(Read(readPoint: a - 1, tag: id, time: Timestamp(milliseconds: t), rssi: r))
        }
        return out
    }
}
