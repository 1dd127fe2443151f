import TagwayDecoders
import TagwayProtocols
import TagwaySettings

/// Reads one entry of `readers:` and resolves its profile.
enum ReaderConfigReader {
    static let keys = ["id", "profile", "port", "host", "usb", "readPoint", "antennas", "settings", "serial", "required",
                       // Read by FilterConfigReader.
                       "filters", "referenceTags"]

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
        var usbPort: USBSerialPortMatch?
        var network: (host: String, port: Int)?
        switch profile.transport {
        case .serial:
            map["host"]?.error("a serial reader has no host", expected: "port: /dev/tagway/<name> or /dev/ttyUSB0")
            switch (map["port"], map["usb"]) {
            case (let node?, nil):
                if let path = node.string() { port = absolute(path) }
            case (nil, let node?):
                usbPort = USBSerialPortReader.read(node)
            case (_?, let node?):
                node.error("a serial reader is found by port: or by usb:, not both",
                           expected: "port: /dev/tagway/<name>, or usb: { serial: A12345 } to find its tty by USB serial number")
            case (nil, nil):
                value.error("serial reader '\(id)' has no port", expected: "port: /dev/tagway/<name> or /dev/ttyUSB0, or usb: { serial: A12345 }")
            }
        case .usbHID:
            map["host"]?.error("a USB HID reader has no host", expected: "usb: { serial: ... } to pick one device")
            if map["port"] != nil { map["port"]?.error("a USB HID reader has no serial port", expected: "usb: { serial: ... } to pick one device") }
            usb = profile.usb
            if let node = map["usb"], let m = node.mapping(allowed: ["vendorId", "productId", "serial", "interface"]) {
                if let v = m["vendorId"]?.int(in: 0...0xFFFF) { usb?.vendorID = UInt16(v) }
                if let v = m["productId"]?.int(in: 0...0xFFFF) { usb?.productID = UInt16(v) }
                if let v = m["interface"]?.int(in: 0...255) { usb?.interface = v }
                if let v = m["serial"]?.string() { usb?.serial = v }
            }
        case .llrp:
            let instead = "host: <address> (and port: if not the protocol's own)"
            map["usb"]?.error("a network reader is not on USB", expected: instead)
            map["serial"]?.error("a network reader has no serial line", expected: instead)
            let defaultPort = ProtocolRegistry.descriptor(for: profile.protocolID)?.conversation?.defaultPort ?? 5084
            network = NetworkAddressReader.read(map, reader: value, id: id, defaultPort: defaultPort)
        }
        // The profile's own settings were checked when it was loaded; a reader's overrides are
        // checked merged with them, as the session will read them.
        if let node = map["settings"], let descriptor = ProtocolRegistry.descriptor(for: profile.protocolID) {
            for problem in descriptor.settings.problems(in: settings, protocolID: profile.protocolID) {
                node.error(problem.message, expected: problem.expected)
            }
        }
        let readPoint = map["readPoint"]?.identifier() ?? id
        let (antennas, power) = map["antennas"].map {
            AntennaConfigReader.read($0, readPoint: readPoint, takesPower: profile.transport == .llrp)
        } ?? ([:], [:])
        let required = map["required"]?.bool() ?? true
        profile.settings = settings
        guard value.diagnostics.errors.count == diagnosticsBefore else { return nil }
        if profile.transport == .llrp {
            checkConversation(of: profile, settings: settings, context: ConversationContext(antennas: antennas.keys.sorted(), transmitPowerDBm: power),
                              map: map, reader: value)
            guard value.diagnostics.errors.count == diagnosticsBefore else { return nil }
        }
        var reader = ReaderConfig(id: id, profile: profile, port: port, usb: usb, readPoint: readPoint, antennas: antennas,
                                  settings: settings, serial: serial, line: value.line)
        reader.required = required
        reader.usbPort = usbPort
        reader.host = network?.host
        reader.tcpPort = network?.port
        reader.antennaPower = power
        return reader
    }

    /// Makes the reader's conversation as the gateway will, so a value only the conversation can
    /// judge (a power or antenna the protocol cannot take, settings that contradict each other)
    /// is a located error of `check-config` rather than a reader that never connects.
    static func checkConversation(of profile: DeviceProfile, settings: [String: String], context: ConversationContext,
                                  map: [String: YAMLValue], reader value: YAMLValue) {
        guard let driver = ProtocolRegistry.descriptor(for: profile.protocolID)?.conversation else { return }
        do throws(ProtocolOptionError) {
            _ = try driver.makeConversation(settings, context)
        } catch {
            let node = map["settings"].flatMap { settingsNode in settings[error.key] != nil ? settingsNode : nil }
                ?? map["antennas"] ?? value
            let problem = SettingProblem(error)
            node.error(problem.message, expected: problem.expected)
        }
    }

    static func checkUnique(_ readers: [ReaderConfig], file: String, diagnostics: Diagnostics) {
        var ids: [String: Int] = [:]
        var ports: [String: String] = [:]
        var addresses: [String: String] = [:]
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
            if let usbPort = reader.usbPort {
                let key = usbPort.description
                if let other = ports[key] {
                    diagnostics.report(ConfigError(file: file, line: reader.line, column: 1, key: "readers",
                                                   message: "\(key) is already used by reader '\(other)'",
                                                   expected: "one reader per device"))
                }
                ports[key] = ports[key] ?? reader.id
            }
            if let host = reader.host, let port = reader.tcpPort {
                let address = host.contains(":") ? "[\(host.lowercased())]:\(port)" : "\(host.lowercased()):\(port)"
                if let other = addresses[address] {
                    diagnostics.report(ConfigError(file: file, line: reader.line, column: 1, key: "readers",
                                                   message: "\(address) is already used by reader '\(other)'",
                                                   expected: "one reader per host and port"))
                }
                addresses[address] = addresses[address] ?? reader.id
            }
        }
    }
}
