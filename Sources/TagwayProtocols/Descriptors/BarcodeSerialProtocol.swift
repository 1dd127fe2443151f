import TagwayDecoders
import TagwayEmulators
import TagwayModel

/// A barcode scanner in serial mode: one scan per line, optionally led by its AIM identifier.
enum BarcodeSerialProtocol {
    static let id = "barcode-serial"

    static func scan(_ symbology: String?, _ data: [UInt8], _ suffix: BarcodeScannerEmulator.Suffix,
                     settings: ProtocolSettings = [:]) -> TrafficSample {
        let barcode = BarcodeScan(symbology: symbology, data: data)
        return TrafficSample("\(symbology ?? "no AIM") scan", .bytes(BarcodeScannerEmulator.frame(barcode, suffix: suffix, sendsAIM: true)),
                             frames: [.barcode(barcode)], settings: settings)
    }

    /// What the simulated scanner sends after each scan; CR LF unless the profile says otherwise.
    static func emulator(_ settings: ProtocolSettings) -> any ReaderEmulator {
        let suffix: BarcodeScannerEmulator.Suffix = switch settings["terminator"] {
        case "cr": .cr
        case "lf": .lf
        default: .crlf
        }
        return BarcodeScannerEmulator(suffix: suffix, sendsAIM: settings["aim"] != "no")
    }

    static let descriptor = ProtocolDescriptor(
        id: id,
        summary: "Barcode scanner in serial mode: one scan per CR/LF line, optional AIM identifier",
        driver: .serialBytes(SerialDriver(
            makeDecoder: { settings throws(ProtocolOptionError) in try SerialBarcodeDecoder(options: settings) },
            makeEmulator: emulator)),
        settings: .serial([
            .init("terminator", expects: "one of any, cr, lf, crlf (what ends a scan)"),
            .init("aim", expects: "one of auto, yes, no (whether scans start with an AIM identifier)"),
            .init("maxLength", expects: "an integer from 1 to 65536 (longest scan, in bytes)"),
        ]) { settings throws(ProtocolOptionError) in _ = try SerialBarcodeDecoder(options: settings) },
        samples: [
            scan("]C1", Array("0109501101530003".utf8) + [0x1D] + Array("10ABC123".utf8), .crlf,
                 settings: ["terminator": "crlf", "maxLength": "64"]),
            scan("]E0", Array("5901234123457".utf8), .cr, settings: ["terminator": "cr", "aim": "yes"]),
            scan(nil, Array("HELLO WORLD".utf8), .lf, settings: ["terminator": "lf", "aim": "no"]),
            scan("]d2", [0x01, 0xFF, 0x1E, 0x04, 0x7F], .crlf),
        ],
        emulation: .scan(BarcodeScan(symbology: "]C1", data: Array("0195012345678903".utf8))))
}
