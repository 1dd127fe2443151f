import TagwayDecoders
import TagwayModel

/// Whether bytes heard on a port are a protocol speaking, decided by that protocol's own decoder.
///
/// A match needs at least one frame the protocol's framing and checksum accept and that is
/// plausible (a barcode scan of printable text: a serial barcode decoder frames any bytes up to
/// a CR, and line noise at a wrong baud rate contains CRs), and little else: at most a quarter of
/// the bytes dropped, which allows a frame cut by the moment the port was opened.
public enum ProbeEvidence {
    /// Bytes beyond this are not decoded: a few seconds of any reader is far less, and a port
    /// streaming garbage must not grow the probe's memory.
    public static let maximumBytes = 64 * 1024

    public static func judge(_ bytes: [UInt8], decoder: any ReaderDecoder) -> String? {
        guard !bytes.isEmpty else { return nil }
        var assembler = FrameAssembler(decoder)
        let heard = bytes.prefix(maximumBytes)
        let frames = assembler.feed(heard).filter(plausible)
        // Drops count bytes fed, so the sum is bounded by `heard.count`.
        let dropped = assembler.drops.values.reduce(0) { $0.saturatingAdd($1) }
        guard let first = frames.first, dropped <= heard.count / 4 else { return nil }
        return describe(first)
    }

    static func plausible(_ frame: ReaderFrame) -> Bool {
        guard case .barcode(let scan) = frame else { return true }
        return !scan.data.isEmpty && scan.data.allSatisfy { (0x20...0x7E).contains($0) || $0 == 0x1D }
    }

    static func describe(_ frame: ReaderFrame) -> String {
        switch frame {
        case .tag(let tag): return "\(tag.technology.rawValue) tag \(tag.id)"
        case .barcode(let scan): return "scan \"\(scan.text)\""
        case .status(let status):
            let detail = readable(status.detail)
            return detail.isEmpty ? status.code : "\(status.code) \(detail)"
        }
    }

    /// A status detail of hex parameters shown as text when it is text (version strings).
    static func readable(_ detail: String) -> String {
        let parts = detail.split(separator: ":", maxSplits: 1)
        guard parts.count == 2, let bytes = HexCoding.decode(String(parts[1])),
              bytes.count >= 4, bytes.allSatisfy({ (0x20...0x7E).contains($0) })
        else { return detail }
        return "\(parts[0]) \"\(String(decoding: bytes, as: UTF8.self))\""
    }
}
