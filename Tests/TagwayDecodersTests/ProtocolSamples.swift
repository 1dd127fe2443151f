import Testing
import TagwayModel
@testable import TagwayDecoders
import TagwayEmulators

/// One protocol's known-good frames and ways to break them, so the robustness properties every
/// decoder must have are written once (`DecoderRobustnessTests`) and checked for each protocol.
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

    static let all: [ProtocolSample] = [barcode, m100, pn532, mercury]

    static let epc = TagID(hex: "E2801160600002054E3A1B2C")!

    static let barcode = ProtocolSample(
        id: "barcode-serial",
        makeDecoder: { SerialBarcodeDecoder(maxLength: 64) },
        frames: [
            scan("]C1", Array("0109501101530003".utf8) + [0x1D] + Array("10ABC123".utf8), .crlf),
            scan("]E0", Array("5901234123457".utf8), .cr),
            scan(nil, Array("HELLO WORLD".utf8), .lf),
            scan("]d2", [0x01, 0xFF, 0x1E, 0x04, 0x7F], .crlf),
        ],
        framed: false,
        // CR only: after CRLF the LF would end an empty line, which is not counted as dropped.
        overlong: Array("]C1".utf8) + [UInt8](repeating: 0x41, count: 200) + [0x0D])

    static func scan(_ symbology: String?, _ data: [UInt8], _ suffix: BarcodeScannerEmulator.Suffix)
        -> (bytes: [UInt8], frame: ReaderFrame)
    {
        let barcode = BarcodeScan(symbology: symbology, data: data)
        return (BarcodeScannerEmulator.frame(barcode, suffix: suffix, sendsAIM: true), .barcode(barcode))
    }

    static let m100 = ProtocolSample(
        id: "magicrf-m100",
        makeDecoder: { M100Decoder() },
        frames: [
            // The inventory notification example of the M100 user manual.
            ([0xBB, 0x02, 0x22, 0x00, 0x11, 0xC9, 0x34, 0x00, 0x30, 0x75, 0x1F, 0xEB, 0x70, 0x5C, 0x59, 0x04,
              0xE3, 0xD5, 0x0D, 0x70, 0x3A, 0x76, 0xEF, 0x7E],
             .tag(TagObservation(technology: .epcGen2, id: TagID(hex: "30751FEB705C5904E3D50D70")!, rssi: -55, pc: 0x3400))),
            (M100Emulator.notification(for: FieldTag(id: epc, rssi: -61)),
             .tag(TagObservation(technology: .epcGen2, id: epc, rssi: -61, pc: 0x3000))),
            (M100Frame.noTagResponse, .status(ReaderStatus(code: "no-tag"))),
            (M100Frame.frame(.response, 0xB7, [0x07, 0xD0]), .status(ReaderStatus(code: "response", detail: "B7:07D0"))),
        ],
        corruptChecksum: { frame in
            var bytes = frame
            bytes[bytes.count - 2] ^= 0x01
            return bytes
        },
        overlong: [0xBB, 0x02, 0x22, 0x02, 0x00] + [UInt8](repeating: 0x11, count: 600),
        crcGuardsTags: true)

    static let pn532 = ProtocolSample(
        id: "pn532-hsu",
        makeDecoder: { PN532Decoder() },
        frames: [
            (PN532Frame.ack, .status(ReaderStatus(code: "ack"))),
            (PN532Emulator.inListResponse(uids: [TagID(hex: "9EB36E66")!]),
             .tag(TagObservation(technology: .iso14443a, id: TagID(hex: "9EB36E66")!))),
            (PN532Emulator.inListResponse(uids: []), .status(ReaderStatus(code: "no-tag"))),
            (PN532Frame.response(to: 0x02, [0x32, 0x01, 0x06, 0x07]), .status(ReaderStatus(code: "response", detail: "03:32010607"))),
            (PN532Emulator.inListResponse(uids: [TagID(hex: "047BCB51962280")!]),
             .tag(TagObservation(technology: .iso14443a, id: TagID(hex: "047BCB51962280")!))),
        ],
        corruptChecksum: { frame in
            // ACK and NACK have only the length check, whose failure is not a bad frame but no frame.
            guard frame.count > 6 else { return nil }
            var bytes = frame
            bytes[bytes.count - 2] ^= 0x01
            return bytes
        },
        overlong: [0x00, 0x00, 0xFF, 0xFF, 0xFF, 0x04, 0x00, 0xFC] + [UInt8](repeating: 0x11, count: 1100),
        optionalTrailer: 1)

    static let mercury = ProtocolSample(
        id: "thingmagic-mercury",
        makeDecoder: { MercuryDecoder() },
        frames: [
            (MercuryEmulator.readTagSingleResponse(
                FieldTag(id: epc, antenna: 1, rssi: -48), option: 0x10, metadata: [.rssi, .antenna],
                now: Timestamp(milliseconds: 0)),
             .tag(TagObservation(technology: .epcGen2, id: epc, antenna: 1, rssi: -48))),
            (MercuryFrame.response(0x21, status: 0x0400), .status(ReaderStatus(code: "no-tag"))),
            (MercuryEmulator.readTagSingleResponse(
                FieldTag(id: epc), option: 0x00, metadata: [], now: Timestamp(milliseconds: 0)),
             .tag(TagObservation(technology: .epcGen2, id: epc))),
            (MercuryFrame.response(0x93), .status(ReaderStatus(code: "response", detail: "93"))),
            (MercuryFrame.response(0x21, status: 0x0105), .status(ReaderStatus(code: "error", detail: "21:0105"))),
        ],
        corruptChecksum: { frame in
            var bytes = frame
            bytes[bytes.count - 1] ^= 0x01
            return bytes
        },
        overlong: nil,
        crcGuardsTags: true)
}
