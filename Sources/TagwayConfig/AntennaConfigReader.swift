/// A reader's `antennas:`: each antenna's read point, written `1: door3-in`, or on a network
/// (LLRP) reader also `1: { readPoint: door3-in, power: 30 }` with its transmit power in dBm.
enum AntennaConfigReader {
    static let powerRange = 0.0...40.0
    static let forms = "a mapping of antenna number to read point, e.g. { 1: door3-in, 2: door3-out }"

    /// The read point and power of each antenna listed; an antenna given only a power reads into
    /// the reader's `readPoint`. `takesPower`: the reader's transport can set a power.
    static func read(_ node: YAMLValue, readPoint: String, takesPower: Bool) -> (points: [Int: String], power: [Int: Double]) {
        guard case .mapping(let mapping) = node.node else {
            node.error("is \(node.kind)", expected: forms)
            return ([:], [:])
        }
        var points: [Int: String] = [:]
        var power: [Int: Double] = [:]
        for (key, value) in mapping.prefix(ConfigLimits.maxEntriesPerMap) {
            let entry = YAMLValue(node: value, file: node.file, path: node.path + ".\(key.string ?? "?")", diagnostics: node.diagnostics)
            guard let port = key.string.flatMap(Int.init), (0...64).contains(port) else {
                entry.error("antenna '\(key.string ?? "?")' is not an antenna number", expected: "a number 0...64")
                continue
            }
            guard case .mapping = value else {
                if let name = entry.identifier() { points[port] = name }
                continue
            }
            guard takesPower else {
                entry.error("an antenna's power (the { readPoint, power } form) is for network (LLRP) readers",
                            expected: "the read point alone, e.g. \(port): door3-in")
                continue
            }
            guard let fields = entry.mapping(allowed: ["readPoint", "power"]) else { continue }
            points[port] = fields["readPoint"].map { $0.identifier() } ?? readPoint
            if let node = fields["power"], let dBm = self.power(node) { power[port] = dBm }
        }
        return (points, power)
    }

    /// A power in dBm: a finite number in `powerRange`.
    static func power(_ node: YAMLValue) -> Double? {
        let expected = "a power in dBm, a number \(Int(powerRange.lowerBound))...\(Int(powerRange.upperBound)) (e.g. 30 or 27.5)"
        guard case .scalar(let scalar) = node.node, let value = YAMLValue.plainNumber(Substring(scalar.string)) else {
            node.error("is \(node.kind)", expected: expected)
            return nil
        }
        guard powerRange.contains(value) else {
            node.error("\(scalar.string) dBm is out of range", expected: expected)
            return nil
        }
        return value
    }
}
