import Testing
import TagwayModel
@testable import TagwayDecoders
import TagwayEmulators
import TagwayProtocols

/// One serial protocol's known-good frames (its registry samples) and ways to break them, so
/// the robustness properties every decoder must have are written once (`DecoderRobustnessTests`)
/// and checked for each protocol in the registry.
struct ProtocolSample: Sendable, CustomTestStringConvertible {
    var id: String
    var makeDecoder: @Sendable () -> any ReaderDecoder
    /// Valid frames, each with what it decodes to.
    var frames: [(bytes: [UInt8], frame: ReaderFrame)]
    /// Whether the protocol has start markers and checks, so garbage and cut frames are detectable.
    /// (A barcode line has neither: a cut line just joins the next one.)
    var framed = true
    /// A copy of a valid frame with its checksum broken; nil when the protocol (or that frame)
    /// has no checksum.
    var corruptChecksum: (@Sendable ([UInt8]) -> [UInt8]?)?
    /// A frame longer than the protocol allows; nil when its length field cannot express one.
    var overlong: [UInt8]?
    /// Trailing bytes a frame is complete without (the PN532 postamble), so cutting them off
    /// does not truncate it.
    var optionalTrailer = 0
    /// Whether a 16-bit CRC guards the tag id, so corrupted traffic can never yield a tag that was
    /// not sent (an 8-bit sum, as on the PN532, lets one in 256 double errors through).
    var crcGuardsTags = false

    var testDescription: String { id }

    var allBytes: [UInt8] { frames.flatMap(\.bytes) }
    var allFrames: [ReaderFrame] { frames.map(\.frame) }
    var allLines: [String] { allFrames.map(FrameText.render) }

    /// All frames repeated until the bytes exceed `count`: enough traffic after a false start
    /// that any wait for the length it claimed is over.
    func traffic(atLeast count: Int) -> (bytes: [UInt8], lines: [String]) {
        var bytes: [UInt8] = [], lines: [String] = []
        repeat {
            bytes += allBytes
            lines += allLines
        } while bytes.count < count
        return (bytes, lines)
    }

    /// How each protocol's frames can be broken. A serial protocol without an entry is still
    /// checked, with the properties every decoder has (chunking, noise, bounded memory).
    struct Breakage: Sendable {
        var settings: ProtocolSettings = [:]
        var framed = true
        var corruptChecksum: (@Sendable ([UInt8]) -> [UInt8]?)?
        var overlong: [UInt8]?
        var optionalTrailer = 0
        var crcGuardsTags = false
    }

    /// Every serial protocol in the registry, with its single-frame samples.
    static let all: [ProtocolSample] = ProtocolRegistry.all.compactMap { descriptor in
        guard let driver = descriptor.serial else { return nil }
        let breakage = breakages[descriptor.id] ?? Breakage()
        let frames = descriptor.samples.compactMap { sample -> (bytes: [UInt8], frame: ReaderFrame)? in
            guard case .bytes(let bytes) = sample.traffic, sample.frames.count == 1 else { return nil }
            return (bytes, sample.frames[0])
        }
        let settings = breakage.settings
        return ProtocolSample(
            id: descriptor.id, makeDecoder: { try! driver.makeDecoder(settings) }, frames: frames,
            framed: breakage.framed, corruptChecksum: breakage.corruptChecksum, overlong: breakage.overlong,
            optionalTrailer: breakage.optionalTrailer, crcGuardsTags: breakage.crcGuardsTags)
    }

    static let breakages: [String: Breakage] = [
        "em4100-ascii": Breakage(
            corruptChecksum: { frame in
                // The second checksum digit, swapped for another hex digit.
                var bytes = frame
                bytes[12] = bytes[12] == UInt8(ascii: "0") ? UInt8(ascii: "1") : UInt8(ascii: "0")
                return bytes
            }),
        "barcode-serial": Breakage(
            settings: ["maxLength": "64"], framed: false,
            // CR only: after CRLF the LF would end an empty line, which is not counted as dropped.
            overlong: Array("]C1".utf8) + [UInt8](repeating: 0x41, count: 200) + [0x0D]),
        "magicrf-m100": Breakage(
            corruptChecksum: { frame in
                var bytes = frame
                bytes[bytes.count - 2] ^= 0x01
                return bytes
            },
            overlong: [0xBB, 0x02, 0x22, 0x02, 0x00] + [UInt8](repeating: 0x11, count: 600),
            crcGuardsTags: true),
        "pn532-hsu": Breakage(
            corruptChecksum: { frame in
                // ACK and NACK have only the length check, whose failure is not a bad frame but no frame.
                guard frame.count > 6 else { return nil }
                var bytes = frame
                bytes[bytes.count - 2] ^= 0x01
                return bytes
            },
            overlong: [0x00, 0x00, 0xFF, 0xFF, 0xFF, 0x04, 0x00, 0xFC] + [UInt8](repeating: 0x11, count: 1100),
            optionalTrailer: 1),
        "thingmagic-mercury": Breakage(
            corruptChecksum: { frame in
                var bytes = frame
                bytes[bytes.count - 1] ^= 0x01
                return bytes
            },
            crcGuardsTags: true),
    ]
}
