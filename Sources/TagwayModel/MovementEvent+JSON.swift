/// The event's JSON object with the contract's field order (DESIGN §2).
///
/// Written by hand rather than through `JSONEncoder` so the order is stable (consumers diff logs
/// by eye) and absent fields are omitted rather than `null`.
extension MovementEvent {
    public var json: String {
        var out = JSONObjectWriter()
        out.string("id", id)
        if let seq { out.number("seq", seq) }
        out.string("type", type.rawValue)
        out.string("time", time.iso8601)
        out.string("gateway", gateway)
        var assetObject = JSONObjectWriter()
        assetObject.string("key", asset.key)
        assetObject.string("scheme", asset.scheme)
        assetObject.string("raw", asset.raw)
        out.raw("asset", assetObject.finish())
        if let from { out.string("from", from) }
        if let to { out.string("to", to) }
        if let direction { out.string("direction", direction.rawValue) }
        if let readPoint { out.string("readPoint", readPoint) }
        if let reader { out.string("reader", reader) }
        if let rssi { out.number("rssi", Int64(rssi)) }
        if let reads { out.number("reads", Int64(reads)) }
        if let rule { out.string("rule", rule) }
        if let reason { out.string("reason", reason) }
        if let symbology { out.string("symbology", symbology) }
        return out.finish()
    }
}

/// Appends `"key":value` pairs to a JSON object with correct string escaping.
public struct JSONObjectWriter {
    private var text = "{"
    private var first = true

    public init() {}

    public mutating func string(_ key: String, _ value: String) {
        raw(key, JSONObjectWriter.quote(value))
    }

    public mutating func number(_ key: String, _ value: Int64) {
        raw(key, String(value))
    }

    public mutating func bool(_ key: String, _ value: Bool) {
        raw(key, value ? "true" : "false")
    }

    public mutating func raw(_ key: String, _ json: String) {
        if !first { text += "," }
        first = false
        text += JSONObjectWriter.quote(key)
        text += ":"
        text += json
    }

    public func finish() -> String { text + "}" }

    public static func quote(_ value: String) -> String {
        var out = "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16, uppercase: false)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
