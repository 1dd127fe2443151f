import Glibc
import TagwayHID
import TagwayModel
import TagwayUSB

/// One JSON object per line on stdout, written straight to the file descriptor so each line
/// leaves the process at once (stdout is a pipe to the testbed, which waits on these lines).
enum ProbeOutput {
    static func line(_ build: (inout JSONObjectWriter) -> Void) {
        var writer = JSONObjectWriter()
        build(&writer)
        let text = writer.finish() + "\n"
        _ = text.withCString { write(1, $0, strlen($0)) }
    }

    static func event(_ name: String, _ build: (inout JSONObjectWriter) -> Void = { _ in }) {
        line { writer in
            writer.string("event", name)
            build(&writer)
        }
    }

    static func session(_ event: HIDReaderSessionEvent) {
        switch event {
        case .waiting(let match):
            self.event("waiting") { $0.string("device", match.description) }
        case .connected(let device, let kind):
            self.event("connected") { writer in
                writer.string("device", device.id.description)
                writer.string("serial", device.serial ?? "")
                writer.string("product", device.product ?? "")
                writer.string("path", device.path)
                writer.string("port", device.port)
                writer.number("interface", Int64(device.interfaceNumber))
                writer.bool("kernelDriverWasActive", device.kernelDriverWasActive)
                writer.string("kind", kind.name)
            }
        case .frame(.barcode(let scan), let time):
            self.event("scan") { writer in
                writer.string("text", scan.text)
                writer.string("hex", HexCoding.encode(scan.data))
                if let symbology = scan.symbology { writer.string("symbology", symbology) }
                writer.string("time", time.iso8601)
            }
        case .frame(let frame, _):
            self.event("frame") { $0.string("frame", "\(frame)") }
        case .disconnected(let error):
            self.event("disconnected") { writer in
                writer.string("kind", error.kind.rawValue)
                writer.string("error", error.description)
            }
        case .openFailed(let error, let retry):
            self.event("open-failed") { writer in
                writer.string("kind", error.kind.rawValue)
                writer.string("error", error.description)
                if let retry { writer.number("retryMs", retry.wholeMilliseconds) }
            }
        case .health:
            // The probe prints what happened; the statistics line gives the counters.
            break
        }
    }

    static func statistics(_ statistics: HIDDecoderStatistics) {
        event("stats") { writer in
            writer.number("reports", Int64(statistics.reports))
            writer.number("scans", Int64(statistics.scans))
            writer.number("errorReports", Int64(statistics.errorReports))
            writer.number("malformedReports", Int64(statistics.malformedReports))
            writer.number("ignoredReports", Int64(statistics.ignoredReports))
            writer.number("unmappedKeys", Int64(statistics.unmappedKeys))
            writer.number("truncatedScans", Int64(statistics.truncatedScans))
            writer.number("overlongScans", Int64(statistics.overlongScans))
        }
    }

    static func device(_ name: String, _ device: UDevDevice, action: String? = nil) {
        event(name) { writer in
            if let action { writer.string("action", action) }
            writer.string("subsystem", device.subsystem)
            writer.string("device", device.id?.description ?? "")
            writer.string("serial", device.serial ?? "")
            writer.string("product", device.product ?? "")
            writer.string("devnode", device.devnode ?? "")
            writer.string("syspath", device.syspath)
            if let usb = device.usbSyspath { writer.string("usbSyspath", usb) }
            if let interface = device.interfaceNumber { writer.number("interface", Int64(interface)) }
            if !device.hidInterfaces.isEmpty {
                writer.string("hid", device.hidInterfaces.map { "\($0.interfaceNumber.map(String.init) ?? "?"):\($0.kind.name)" }
                    .joined(separator: ","))
            }
        }
    }
}
