import Foundation
import TagwayDebounce
import TagwayDelivery
import TagwaySettings
import TagwayZones

/// Reads and validates a gateway configuration file and the device profiles it names.
public enum GatewayConfigLoader {
    static let topKeys = ["gateway", "debounce", "readers", "sinks", "retention", "api", "zones", "rules", "movement", "identity", "audit", "logging", "filters", "capture"]

    /// Loads `file`. `devicesDir` (from the command line) wins over the file's `gateway.devicesDir`;
    /// without either, the profiles shipped with Tagway are used (see `DevicesDirectory`).
    public static func load(file: String, devicesDir: String? = nil) throws(ConfigErrors) -> GatewayConfig {
        try parse(ConfigFile.read(file), file: file, devicesDir: devicesDir)
    }

    /// Checks `data` as if it were `file` (relative paths in it are taken from `file`'s
    /// directory), without writing it: what `PUT /v1/config` checks before it writes a byte.
    public static func load(data: Data, as file: String, devicesDir: String? = nil) throws(ConfigErrors) -> GatewayConfig {
        try parse(ConfigFile.text(data, for: file), file: file, devicesDir: devicesDir)
    }

    public static func parse(_ text: String, file: String, devicesDir: String? = nil) throws(ConfigErrors) -> GatewayConfig {
        let document = try ConfigDocument(text, file: file, allowed: topKeys)
        let (diagnostics, root, map) = (document.diagnostics, document.root, document.map)
        let absolute = document.absolute

        var gatewayID = "tagway"
        var site: String?
        var dataDir = "/var/lib/tagway"
        var runtimeDir: String?
        var devices = devicesDir
        var devicesNode: YAMLValue?
        var durability = Durability.full
        var holding = (maxHeldEvents: 10_000, stopTimeout: Duration.seconds(3), startCheck: Duration.seconds(10))
        var stateInterval = Duration.seconds(1)
        var readyGrace = Duration.seconds(30)
        if let gateway = map["gateway"], let g = gateway.mapping(allowed: ["id", "site", "dataDir", "runtimeDir", "devicesDir", "durability", "maxHeldEvents", "stopTimeout", "startCheck", "stateInterval", "readyGrace"]) {
            if let id = g["id"]?.identifier() { gatewayID = id }
            if let v = g["site"]?.identifier() { site = v }
            if let dir = g["dataDir"]?.string() { dataDir = absolute(dir) }
            if let dir = g["runtimeDir"]?.string() { runtimeDir = absolute(dir) }
            if devices == nil, let node = g["devicesDir"], let dir = node.string() {
                devices = absolute(dir)
                devicesNode = node
            }
            if let v = g["maxHeldEvents"]?.int(in: ConfigLimits.heldEvents) { holding.maxHeldEvents = v }
            if let v = g["stopTimeout"]?.duration(ConfigLimits.stopTimeout) { holding.stopTimeout = v }
            if let v = g["startCheck"]?.duration(ConfigLimits.startCheck) { holding.startCheck = v }
            if let v = g["stateInterval"]?.duration(ConfigLimits.stateInterval) { stateInterval = v }
            if let v = g["readyGrace"]?.duration(ConfigLimits.readyGrace) { readyGrace = v }
            if let node = g["durability"], let text = node.string() {
                if let d = Durability(rawValue: text) { durability = d } else {
                    node.error("unknown durability '\(text)'", expected: "full or normal")
                }
            }
        } else if map["gateway"] == nil {
            root.error("missing key 'gateway'", expected: "gateway: { id: dock-east, dataDir: /var/lib/tagway }")
        }

        let debounce = map["debounce"].map { DebounceReader.read($0) } ?? DebouncerConfiguration()

        let devicesPath = devices ?? DevicesDirectory.locate()
        var profiles: [String: DeviceProfile] = [:]
        if let problem = DevicesDirectory.problem(devicesPath) {
            // Without profiles every reader would be dropped; say which folder and how it was chosen.
            let message = devices == nil
                ? "no device profile folder found (looked at \(DevicesDirectory.searched.joined(separator: ", ")))"
                : "device profile folder \(devicesPath) (\(devicesNode != nil ? "gateway.devicesDir" : "--devices")) \(problem)"
            let error = ConfigError(file: file, line: devicesNode?.line ?? 1, column: devicesNode?.column ?? 1, key: "gateway.devicesDir",
                                    message: message,
                                    expected: "the devices/ folder shipped with Tagway: gateway.devicesDir in this file, --devices DIR or TAGWAY_DEVICES")
            diagnostics.report(error)
        } else {
            do {
                profiles = try DeviceProfileLoader.load(directory: devicesPath)
            } catch {
                error.errors.forEach(diagnostics.report)
            }
        }

        var readers: [ReaderConfig] = []
        var readerNodes: [YAMLValue] = []
        if let list = map["readers"]?.sequence(max: ConfigLimits.maxReaders) {
            readerNodes = list
            if list.isEmpty { map["readers"]?.error("no readers configured", expected: "at least one reader") }
            for value in list {
                if let reader = ReaderConfigReader.read(value, profiles: profiles, absolute: absolute) { readers.append(reader) }
            }
        } else if map["readers"] == nil {
            root.error("missing key 'readers'", expected: "a list of readers, each with id, profile and port or usb")
        }
        ReaderConfigReader.checkUnique(readers, file: file, diagnostics: diagnostics)
        // Read points are checked only when every reader parsed (a broken reader would make its
        // read points look unknown).
        let movement = MovementConfigReader.read(map, readPoints: diagnostics.errors.isEmpty ? readers.flatMap(\.allReadPoints) : nil,
                                                 debounce: debounce)
        let sinks = map["sinks"].map { SinkConfigReader.readSinks($0, site: site ?? gatewayID, absolute: absolute) } ?? []
        let retention = map["retention"].map(SinkConfigReader.readRetention) ?? RetentionPolicy()
        let api = map["api"].flatMap { APIConfigReader.read($0, absolute: absolute) }
        let logging = map["logging"].flatMap(LoggingConfigReader.read)
        let capture = map["capture"].flatMap {
            CaptureConfigReader.read($0, readerIDs: diagnostics.errors.isEmpty ? readers.map(\.id) : nil, absolute: absolute)
        }
        let companyPrefixes = map["identity"].map(IdentityReader.companyPrefixes) ?? []
        let audit = AuditConfigReader.read(map["audit"], movement: movement,
                                           readPoints: diagnostics.errors.isEmpty ? readers.flatMap(\.allReadPoints) : nil)
        let filters = FilterConfigReader.read(readerNodes: readerNodes, readers: readers, topLevel: map["filters"])
        try diagnostics.check()
        var config = GatewayConfig(gatewayID: gatewayID, dataDir: dataDir, devicesDir: devicesPath, durability: durability,
                             debounce: debounce, readers: readers, file: file, sinks: sinks, retention: retention, api: api)
        config.site = site
        config.runtimeDir = runtimeDir
        config.movement = movement
        (config.maxHeldEvents, config.stopTimeout, config.startCheck) = holding
        config.stateInterval = stateInterval
        config.readyGrace = readyGrace
        config.companyPrefixes = companyPrefixes
        config.audit = audit
        config.logging = logging
        config.filters = filters
        config.capture = capture
        config.warnings = diagnostics.warnings
        return config
    }
}

/// `identity: { companyPrefixes: ["0614141", …] }`: the site's GS1 Company Prefixes. A GS1
/// barcode does not say where its company prefix ends; knowing it lets a GIAI barcode and the
/// asset's GIAI tag resolve to one EPC key. The scalar's text is read as written, so a leading
/// zero survives with or without quotes.
enum IdentityReader {
    static func companyPrefixes(_ value: YAMLValue) -> [String] {
        guard let map = value.mapping(allowed: ["companyPrefixes"]),
              let list = map["companyPrefixes"]?.sequence(max: ConfigLimits.maxCompanyPrefixes) else { return [] }
        return list.compactMap { item in
            guard let text = item.string() else { return nil }
            guard text.allSatisfy({ $0.isASCII && $0.isNumber }), (6...12).contains(text.count) else {
                item.error("'\(text)' is not a GS1 Company Prefix", expected: "6 to 12 digits, such as 0614141")
                return nil
            }
            return text
        }
    }
}

enum DebounceReader {
    static func read(_ value: YAMLValue) -> DebouncerConfiguration {
        var config = DebouncerConfiguration()
        guard let map = value.mapping(allowed: ["departAfter", "window", "arriveAfterReads", "maxPresent", "maxTags", "ringCapacity", "scanHoldoff"])
        else { return config }
        if let v = map["departAfter"]?.duration(ConfigLimits.departAfter) { config.departAfter = v }
        if let v = map["window"]?.duration(ConfigLimits.window) { config.window = v }
        if let v = map["scanHoldoff"]?.duration(ConfigLimits.holdoff) { config.scanHoldoff = v }
        if let v = map["arriveAfterReads"]?.int(in: 1...1000) { config.arriveAfterReads = v }
        if let v = map["maxPresent"]?.int(in: 1...10_000_000) { config.maxPresent = v }
        if let v = map["maxTags"]?.int(in: 1...10_000_000) { config.maxTags = v }
        if let v = map["ringCapacity"]?.int(in: 1...65_535) { config.ringCapacity = v }
        for problem in config.problems { value.error(problem) }
        return config
    }
}
