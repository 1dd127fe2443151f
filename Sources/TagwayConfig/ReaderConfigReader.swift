import TagwayProtocols
import TagwaySettings

/// Reads one entry of `readers:` and resolves its profile.
enum ReaderConfigReader {
    static let keys = ["id", "profile", "port", "usb", "readPoint", "antennas", "settings", "serial", "required"]

    static func read(_ value: YAMLValue, profiles: [String: DeviceProfile], absolute: (String) -> String) -> ReaderConfig? {
        guard let map = value.mapping(allowed: keys) else { return nil }
        let diagnosticsBefore = value.diagnostics.errors.count
        guard let id = value.requiredID(in: map, example: "door3-uhf") else { return nil }
        guard let profileNode = map["profile"] else {
            value.error("missing key 'profile'", expected: "a device profile id such as id-innovations/id-12la")
            return nil
        }
        guard let profileID = profileNode.string() else { return nil }
        guard var profile = profiles[profileID] else {
            // Reported even when no profile loaded (the folder's own error says why): a reader is never dropped silently.
            let hint = YAMLValue.closest(profileID, in: Array(profiles.keys)).map { " (did you mean '\($0)'?)" } ?? ""
            profileNode.error("unknown device profile '\(profileID)'\(hint)", expected: "a profile under devices/; `tagway profiles` lists them")
            return nil
        }
        var settings = profile.settings
        if let overrides = map["settings"]?.settings() { settings.merge(overrides) { $1 } }
        var serial = profile.serial
        if let node = map["serial"] { serial = SerialSettingsReader.read(node, base: profile.serial ?? SerialSettings()) }
        var port: String?
        var usb: USBMatch?
        switch profile.transport {
        case .serial:
            if let node = map["port"], let path = node.string() { port = absolute(path) } else if map["port"] == nil {
                value.error("serial reader '\(id)' has no port", expected: "port: /dev/tagway/<name> or /dev/ttyUSB0")
            }
        case .usbHID:
            if map["port"] != nil { map["port"]?.error("a USB HID reader has no serial port", expected: "usb: { serial: ... } to pick one device") }
            usb = profile.usb
            if let node = map["usb"], let m = node.mapping(allowed: ["vendorId", "productId", "serial", "interface"]) {
                if let v = m["vendorId"]?.int(in: 0...0xFFFF) { usb?.vendorID = UInt16(v) }
                if let v = m["productId"]?.int(in: 0...0xFFFF) { usb?.productID = UInt16(v) }
                if let v = m["interface"]?.int(in: 0...255) { usb?.interface = v }
                if let v = m["serial"]?.string() { usb?.serial = v }
            }
        case .llrp:
            // Read in full by the LLRP reader's own keys (host, port); until then a network
            // reader has no port or USB identity.
            break
        }
        // The profile's own settings were checked when it was loaded; a reader's overrides are
        // checked merged with them, as the session will read them.
        if let node = map["settings"], let descriptor = ProtocolRegistry.descriptor(for: profile.protocolID) {
            for problem in descriptor.settings.problems(in: settings, protocolID: profile.protocolID) {
                node.error(problem.message, expected: problem.expected)
            }
        }
        let readPoint = map["readPoint"]?.identifier() ?? id
        var antennas: [Int: String] = [:]
        if let node = map["antennas"], case .mapping(let mapping) = node.node {
            for (key, point) in mapping.prefix(ConfigLimits.maxEntriesPerMap) {
                let entry = YAMLValue(node: point, file: value.file, path: node.path + ".\(key.string ?? "?")", diagnostics: value.diagnostics)
                guard let port = key.string.flatMap(Int.init), (0...64).contains(port) else {
                    entry.error("antenna '\(key.string ?? "?")' is not an antenna number", expected: "a number 0...64")
                    continue
                }
                if let name = entry.identifier() { antennas[port] = name }
            }
        } else if let node = map["antennas"] {
            node.error("is \(node.kind)", expected: "a mapping of antenna number to read point, e.g. { 1: door3-in, 2: door3-out }")
        }
        let required = map["required"]?.bool() ?? true
        profile.settings = settings
        guard value.diagnostics.errors.count == diagnosticsBefore else { return nil }
        var reader = ReaderConfig(id: id, profile: profile, port: port, usb: usb, readPoint: readPoint, antennas: antennas,
                                  settings: settings, serial: serial, line: value.line)
        reader.required = required
        return reader
    }

    static func checkUnique(_ readers: [ReaderConfig], file: String, diagnostics: Diagnostics) {
        var ids: [String: Int] = [:]
        var ports: [String: String] = [:]
        for reader in readers {
            if let first = ids[reader.id] {
                diagnostics.report(ConfigError(file: file, line: reader.line, column: 1, key: "readers",
                                               message: "reader id '\(reader.id)' is used twice (first on line \(first))",
                                               expected: "a unique id per reader"))
            }
            ids[reader.id] = ids[reader.id] ?? reader.line
            if let port = reader.port {
                if let other = ports[port] {
                    diagnostics.report(ConfigError(file: file, line: reader.line, column: 1, key: "readers",
                                                   message: "port \(port) is already used by reader '\(other)'",
                                                   expected: "one reader per port"))
                }
                ports[port] = reader.id
            }
        }
    }
}
