import TagwayModel
@testable import TagwayDecoders

/// How a byte stream is cut into the chunks a serial port would deliver.
enum Chunking: CustomStringConvertible, Sendable {
    case whole
    case bytewise
    /// Chunks of 1...maxSize bytes, sizes drawn from `seed`.
    case random(seed: UInt64, maxSize: Int)

    var description: String {
        switch self {
        case .whole: "whole"
        case .bytewise: "bytewise"
        case .random(let seed, let maxSize): "random(seed: \(seed), max: \(maxSize))"
        }
    }

    static let all: [Chunking] = [.whole, .bytewise, .random(seed: 1, maxSize: 7), .random(seed: 42, maxSize: 300)]
}

/// What feeding a stream produced.
struct DecodeOutcome: Equatable {
    var frames: [ReaderFrame] = []
    /// The frames as `FrameText` lines: compact in failure messages.
    var lines: [String] { frames.map(FrameText.render) }
    /// Bytes dropped by reason.
    var drops: [DropReason: Int] = [:]
    /// The most bytes the assembler held between chunks.
    var peakBuffered = 0
    var maximumFrameLength = 0
    /// Bytes still held at the end (an incomplete frame).
    var leftover = 0

    static func == (lhs: DecodeOutcome, rhs: DecodeOutcome) -> Bool {
        lhs.frames == rhs.frames && lhs.drops == rhs.drops && lhs.leftover == rhs.leftover
    }
}

extension DecodeOutcome: CustomStringConvertible {
    /// Short enough to read in a failure message even for a megabyte of input.
    var description: String {
        let shown = lines.prefix(3).joined(separator: " | ")
        return "\(frames.count) frames [\(shown)\(frames.count > 3 ? " | ..." : "")], "
            + "\(FrameText.drops(drops)), leftover \(leftover), peak \(peakBuffered)"
    }
}

/// Feeds `bytes` to a fresh assembler around `decoder`, cut as `chunking` says.
func decode(_ bytes: [UInt8], with decoder: any ReaderDecoder, chunking: Chunking = .whole) -> DecodeOutcome {
    var assembler = FrameAssembler(decoder)
    var outcome = DecodeOutcome(maximumFrameLength: decoder.maximumFrameLength)
    func feed(_ chunk: ArraySlice<UInt8>) {
        outcome.frames += assembler.feed(chunk)
        outcome.peakBuffered = max(outcome.peakBuffered, assembler.bufferedByteCount)
    }
    switch chunking {
    case .whole:
        feed(bytes[...])
    case .bytewise:
        for index in bytes.indices { feed(bytes[index...index]) }
    case .random(let seed, let maxSize):
        var generator = SeededGenerator(seed: seed)
        var index = 0
        while index < bytes.count {
            let size = Int.random(in: 1...maxSize, using: &generator)
            let end = min(bytes.count, index + size)
            feed(bytes[index..<end])
            index = end
        }
    }
    outcome.drops = assembler.drops
    outcome.leftover = assembler.bufferedByteCount
    return outcome
}

/// The stable one-line text of a frame used by the fixture `.chk` files:
/// `tag <technology> <hex id>[ ant=N][ rssi=N][ pc=XXXX]`, `barcode <symbology|-> <data>`,
/// `status <code>[ <detail>]`. Barcode data prints ASCII as is, GS/RS/EOT as `<GS>`/`<RS>`/`<EOT>`,
/// space as `<SP>` and other bytes (and `<` itself) as `<XX>`, so every byte is visible.
enum FrameText {
    static func render(_ frame: ReaderFrame) -> String {
        switch frame {
        case .tag(let tag):
            var text = "tag \(tag.technology.rawValue) \(tag.id.hex)"
            if let antenna = tag.antenna { text += " ant=\(antenna)" }
            if let rssi = tag.rssi { text += " rssi=\(rssi)" }
            if let pc = tag.pc { text += " pc=" + HexCoding.encode([UInt8(pc >> 8), UInt8(pc & 0xFF)]) }
            return text
        case .barcode(let scan):
            return "barcode \(scan.symbology ?? "-") \(barcodeData(scan.data))"
        case .status(let status):
            return status.detail.isEmpty ? "status \(status.code)" : "status \(status.code) \(status.detail)"
        }
    }

    static func barcodeData(_ data: [UInt8]) -> String {
        var text = ""
        for byte in data {
            switch byte {
            case 0x1D: text += "<GS>"
            case 0x1E: text += "<RS>"
            case 0x04: text += "<EOT>"
            case 0x20: text += "<SP>"
            case 0x3C: text += "<3C>"
            case 0x21...0x7E: text.unicodeScalars.append(Unicode.Scalar(byte))
            default: text += "<" + HexCoding.encode([byte]) + ">"
            }
        }
        return text
    }

    /// `drops garbage=N bad-checksum=N overlong=N truncated=N malformed=N` (bytes, every reason).
    static func drops(_ drops: [DropReason: Int]) -> String {
        "drops " + DropReason.allCases.map { "\($0.rawValue)=\(drops[$0, default: 0])" }.joined(separator: " ")
    }
}
