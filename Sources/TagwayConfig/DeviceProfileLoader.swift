import Foundation
import TagwayProtocols
import TagwaySettings

/// Reads and validates every profile under a `devices/` directory.
public enum DeviceProfileLoader {
    static let keys = ["id", "name", "transport", "protocol", "technology", "usb", "bridges", "serial", "settings", "notes"]

    /// All profiles under `directory`, keyed by id; every problem in every file is reported at once.
    public static func load(directory: String) throws(ConfigErrors) -> [String: DeviceProfile] {
        let root = URL(fileURLWithPath: directory)
        guard let walker = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil) else {
            throw ConfigErrors([ConfigError(file: directory, line: 0, column: 0, key: "",
                                            message: "device profile directory not found",
                                            expected: "a devices/ directory (set gateway.devicesDir or --devices)")])
        }
        var files: [URL] = []
        for case let url as URL in walker where url.pathExtension == "yaml" || url.pathExtension == "yml" {
            files.append(url)
        }
        files.sort { $0.path < $1.path }
        let diagnostics = Diagnostics()
        var profiles: [String: DeviceProfile] = [:]
        for file in files {
            let relative = String(file.path.dropFirst(root.path.count + 1))
            let expectedID = (relative as NSString).deletingPathExtension
            do throws(ConfigErrors) {
                let text = try ConfigFile.read(file.path)
                if let profile = try parse(text, file: file.path, expectedID: expectedID, diagnostics: diagnostics) {
                    profiles[profile.id] = profile
                }
            } catch {
                error.errors.forEach(diagnostics.report)
            }
        }
        try diagnostics.check()
        return profiles
    }

    /// One profile from its YAML text; nil (with errors reported) when it is invalid.
    static func parse(_ text: String, file: String, expectedID: String?, diagnostics: Diagnostics) throws(ConfigErrors) -> DeviceProfile? {
        let root = YAMLValue(node: try YAMLDocument.parse(text, file: file), file: file, path: "", diagnostics: diagnostics)
        let before = diagnostics.errors.count
        guard let map = root.mapping(allowed: keys) else { return nil }
        func required(_ key: String) -> YAMLValue? {
            if let value = map[key] { return value }
            root.error("missing key '\(key)'", expected: "'\(key):' in every device profile")
            return nil
        }
        let id = required("id")?.identifier()
        if let id, let expectedID, id != expectedID {
            map["id"]?.error("id '\(id)' does not match the file's place", expected: "'\(expectedID)' (devices/<vendor>/<model>.yaml)")
        }
        let name = required("name")?.string()
        var transport: DeviceProfile.Transport?
        if let value = required("transport"), let text = value.string() {
            transport = DeviceProfile.Transport(rawValue: text)
            if transport == nil { value.error("unknown transport '\(text)'", expected: "serial, usb-hid or llrp") }
        }
        let protocolValue = required("protocol")
        let protocolID = protocolValue?.string()
        let settings = map["settings"]?.settings() ?? [:]
        if let protocolID, let protocolValue, let transport {
            validateProtocol(protocolID, transport: transport, settings: settings, at: protocolValue)
        }
        let usb = map["usb"].flatMap(parseUSB)
        let bridges = map["bridges"].flatMap(parseBridges) ?? []
        if transport != .serial, transport != nil, let node = map["bridges"] {
            node.error("only a serial reader ships on a USB-serial bridge", expected: "no bridges: block (usb: gives a USB HID reader's ids)")
        }
        var serial: SerialSettings?
        if let value = map["serial"] { serial = SerialSettingsReader.read(value, base: SerialSettings()) }
        if transport == .serial, serial == nil, map["serial"] == nil {
            root.error("a serial reader needs its line settings", expected: "serial: { baud: 9600, dataBits: 8, parity: none, stopBits: 1 }")
        }
        if transport == .usbHID, usb == nil, map["usb"] == nil {
            root.error("a USB HID reader needs its USB ids", expected: "usb: { vendorId: 0x05e0, productId: 0x1200 }")
        }
        if transport == .llrp {
            // Found by address, not on a bus: each reader's host: says where it is.
            map["usb"]?.error("a network reader has no USB ids", expected: "no usb: block (readers give host: in the configuration)")
            map["serial"]?.error("a network reader has no serial line", expected: "no serial: block (readers give host: in the configuration)")
        }
        if let usb, usb.isGenericBridge, usb.product == nil, usb.serial == nil {
            map["usb"]?.error("\(usb.idText) is a generic USB-serial bridge; matching its ids alone would claim every such adapter",
                              expected: "a product: or serial: string as well")
        }
        let technology = map["technology"]?.string()
        let notes = map["notes"]?.string(maxLength: ConfigLimits.maxScalarLength)
        guard diagnostics.errors.count == before, let id, let name, let transport, let protocolID else { return nil }
        return DeviceProfile(id: id, name: name, transport: transport, protocolID: protocolID, technology: technology,
                             usb: usb, bridges: bridges, serial: serial, settings: settings, notes: notes, file: file)
    }

    /// The protocol must be in the registry and carried by the profile's transport; every
    /// problem with its settings is reported, checked by the protocol's own reader of them, so a
    /// misspelt keymap fails `check-config` instead of garbling scans.
    static func validateProtocol(_ id: String, transport: DeviceProfile.Transport, settings: [String: String], at value: YAMLValue) {
        guard let descriptor = ProtocolRegistry.descriptor(for: id), descriptor.transport == transport.carries else {
            value.error("unknown \(transport.protocolKind) protocol '\(id)'",
                        expected: "one of \(ProtocolRegistry.ids(on: transport.carries).joined(separator: ", "))")
            return
        }
        for problem in descriptor.settings.problems(in: settings, protocolID: id) {
            value.error("protocol '\(id)': \(problem.message)", expected: problem.expected)
        }
    }

    static func parseUSB(_ value: YAMLValue) -> USBMatch? {
        guard let map = value.mapping(allowed: ["vendorId", "productId", "interface", "product", "serial"]) else { return nil }
        guard let vendorNode = map["vendorId"], let productNode = map["productId"] else {
            value.error("USB ids missing", expected: "vendorId: and productId: (hex, e.g. 0x05e0)")
            return nil
        }
        guard let vendor = vendorNode.int(in: 0...0xFFFF), let product = productNode.int(in: 0...0xFFFF) else { return nil }
        return USBMatch(vendorID: UInt16(vendor), productID: UInt16(product),
                        interface: map["interface"]?.int(in: 0...255),
                        product: map["product"]?.string(), serial: map["serial"]?.string())
    }
}

extension DeviceProfileLoader {
    /// `bridges: [{ vendorId: 0x1a86, productId: 0x7523, name: CH340 }, …]`: every entry is
    /// checked (ids in 0...0xffff, hex or decimal; a name; no id twice), all problems at once.
    static func parseBridges(_ value: YAMLValue) -> [USBBridge]? {
        guard let entries = value.sequence(max: 32) else { return nil }
        var bridges: [USBBridge] = []
        var seen: [UInt32: Int] = [:]
        for (index, entry) in entries.enumerated() {
            guard let map = entry.mapping(allowed: ["vendorId", "productId", "name"]) else { continue }
            guard let vendorNode = map["vendorId"], let productNode = map["productId"], let nameNode = map["name"] else {
                entry.error("a bridge needs its USB ids and chip name", expected: "{ vendorId: 0x1a86, productId: 0x7523, name: CH340 }")
                continue
            }
            guard let vendor = vendorNode.int(in: 0...0xFFFF), let product = productNode.int(in: 0...0xFFFF),
                  let name = nameNode.string(maxLength: 64)
            else { continue }
            let bridge = USBBridge(vendorID: UInt16(vendor), productID: UInt16(product), name: name)
            if let first = seen[bridge.key] {
                entry.error("bridge \(bridge.idText) is listed twice (first as bridges[\(first)])", expected: "each bridge once")
                continue
            }
            seen[bridge.key] = index
            bridges.append(bridge)
        }
        return bridges
    }
}

/// Reads a `serial:` block over a base (the profile's settings when a reader overrides them).
enum SerialSettingsReader {
    static func read(_ value: YAMLValue, base: SerialSettings) -> SerialSettings? {
        guard let map = value.mapping(allowed: ["baud", "dataBits", "parity", "stopBits", "flowControl"]) else { return nil }
        var settings = base
        if let v = map["baud"]?.int(in: 1...4_000_000) { settings.baud = v }
        if let v = map["dataBits"]?.int(in: 5...8) { settings.dataBits = v }
        if let v = map["stopBits"]?.int(in: 1...2) { settings.stopBits = v }
        if let node = map["parity"], let text = node.string() {
            if let parity = SerialSettings.Parity(rawValue: text) { settings.parity = parity } else {
                node.error("unknown parity '\(text)'", expected: "none, even or odd")
            }
        }
        if let node = map["flowControl"], let text = node.string() {
            if let flow = SerialSettings.FlowControl(rawValue: text) { settings.flowControl = flow } else {
                node.error("unknown flow control '\(text)'", expected: "none, rtscts or xonxoff")
            }
        }
        for problem in settings.problems { value.error(problem) }
        return settings
    }
}
