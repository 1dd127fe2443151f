import Foundation
import TagwayEmulators
import TagwayModel

/// The emulated readers of `tagway-bench pipeline` and the bytes each sends: the feeder process
/// writes them, the gateway process configures a reader per port and recognises each tag's
/// `arrived` event by its raw id. Both sides derive everything from (reader, serial), so nothing
/// but the first reads' write times has to cross between the processes.
enum PipelineReaderKind: String, CaseIterable {
    /// RDM6300 EM4100 module: STX, 12 hex digits, ETX, repeated while the card is in the field.
    case em4100
    /// Magic RF M100 UHF module: one inventory notification per tag (the gateway's polls are read and ignored).
    case m100
    /// Serial barcode scanner, CR LF suffix, no AIM prefix.
    case barcode

    /// The device profile the gateway's configuration names.
    var profile: String {
        switch self {
        case .em4100: "generic/rdm6300-ch340"
        case .m100: "magicrf/m100"
        case .barcode: "generic/serial-barcode"
        }
    }

    /// Share of the offered rate: scanners are triggered by people, far less often than RFID
    /// readers report, and every scan is an event.
    var weight: Double { self == .barcode ? 0.1 : 1 }
}

/// Eight readers of three protocols: 3 EM4100, 3 M100, 2 barcode scanners.
enum PipelineWorkload {
    static let readers: [PipelineReaderKind] = [.em4100, .m100, .em4100, .m100, .em4100, .m100, .barcode, .barcode]

    /// Reads/s of reader `index` when `rate` reads/s are offered in all.
    static func rate(of index: Int, total rate: Double) -> Double {
        let weights = readers.reduce(0) { $0 + $1.weight }
        return rate * readers[index].weight / weights
    }

    /// The tag (or code) `serial` of reader `index`: distinct across readers, so every arrival
    /// names its reader.
    static func tag(reader index: Int, serial: UInt32) -> TagID {
        let r = UInt8(truncatingIfNeeded: index)
        let s = [UInt8(truncatingIfNeeded: serial >> 24), UInt8(truncatingIfNeeded: serial >> 16),
                 UInt8(truncatingIfNeeded: serial >> 8), UInt8(truncatingIfNeeded: serial)]
        switch readers[index] {
        case .em4100: return TagID(bytes: [r] + s)
        case .m100: return TagID(bytes: [0xE2, 0x80, 0x11, 0x60, r, 0x00, 0x00, 0x00] + s)
        case .barcode: return TagID(bytes: Array("TW\(index)-\(serial)".utf8))
        }
    }

    /// The bytes of one read of `serial` by reader `index`.
    static func frame(reader index: Int, serial: UInt32) -> [UInt8] {
        let id = tag(reader: index, serial: serial)
        switch readers[index] {
        case .em4100: return EM4100Emulator.frame(id, variant: .rdm6300)
        case .m100: return M100Emulator.notification(for: FieldTag(id: id, antenna: 1, rssi: -55))
        case .barcode: return BarcodeScannerEmulator.frame(BarcodeScan(data: id.bytes), suffix: .crlf, sendsAIM: false)
        }
    }

    /// `AssetRef.raw` of the events about `serial` of reader `index`.
    static func assetRaw(reader index: Int, serial: UInt32) -> String {
        let id = tag(reader: index, serial: serial)
        return readers[index] == .barcode ? String(decoding: id.bytes, as: UTF8.self) : id.hex
    }
}

/// One reader's field in the feeder: `field` tags read round-robin, each `readsPerTag` times,
/// then replaced by a new one (whose first read makes an `arrived`). The field is sized so each
/// tag is read about every 50 ms (as an inventory round of a fixed reader), far inside the
/// gateway's `departAfter`; the initial tags' remaining reads are staggered so replacements
/// spread evenly instead of coming all at once.
struct PipelineField {
    private var serials: [UInt32]
    private var left: [Int]
    /// The slot's tag has not been read yet: its next read is its first.
    private var fresh: [Bool]
    private var cursor = 0
    private var nextSerial: UInt32
    let readsPerTag: Int

    init(readsPerSecond: Double, readsPerTag: Int) {
        let size = max(1, Int(readsPerSecond * 0.05))
        let perTag = max(1, readsPerTag)
        self.readsPerTag = perTag
        serials = (0..<size).map { UInt32($0) }
        left = (0..<size).map { perTag - ($0 % perTag) }
        fresh = Array(repeating: true, count: size)
        nextSerial = UInt32(size)
    }

    /// The next tag read, and whether it is that tag's first read.
    mutating func next() -> (serial: UInt32, first: Bool) {
        let serial = serials[cursor]
        let first = fresh[cursor]
        fresh[cursor] = false
        left[cursor] -= 1
        if left[cursor] == 0 {
            serials[cursor] = nextSerial
            nextSerial &+= 1
            left[cursor] = readsPerTag
            fresh[cursor] = true
        }
        cursor = (cursor + 1) % serials.count
        return (serial, first)
    }
}
