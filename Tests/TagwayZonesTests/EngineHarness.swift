import TagwayConfig
import TagwayDebounce
import TagwayModel
import TagwayZones

/// Drives a movement engine with read points and tags by name and shows its events as one line
/// each (`1500 moved 0A from=aisle-1 to=aisle-2 at=a2-1`), the form the fixtures use too.
struct EngineHarness {
    var engine: MovementEngine
    var events: [ZoneEvent] = []
    /// Asset keys by tag hex for rule matching; tags not listed get `tag:<HEX>`, scheme `test`.
    var keys: [String: AssetRef] = [:]

    init(yaml: String = "", file: String = "test.yaml", window: Duration = .seconds(2), maxPresent: Int = 4096,
         scanHoldoff: Duration = .zero) throws {
        let config = yaml.isEmpty ? MovementConfiguration() : try MovementConfigReader.parse(yaml, file: file)
        try self.init(config, window: window, maxPresent: maxPresent, scanHoldoff: scanHoldoff)
    }

    init(_ config: MovementConfiguration, window: Duration = .seconds(2), maxPresent: Int = 4096, scanHoldoff: Duration = .zero) throws {
        let debounce = DebouncerConfiguration(maxPresent: maxPresent, ringCapacity: 65_536, window: window,
                                              departAfter: config.settings.departAfter, scanHoldoff: scanHoldoff)
        engine = MovementEngine(configuration: config, debounce: debounce)
    }

    func identify(_ tag: TagID) -> AssetRef {
        keys[tag.hex] ?? AssetRef(key: "tag:" + tag.hex, scheme: "test", raw: tag.hex)
    }

    mutating func read(_ t: Int64, _ point: String, _ tag: String, rssi: Int? = nil) {
        let index = engine.readPoint(named: point)
        let keys = self.keys
        engine.ingest(Read(readPoint: index, tag: TagID(hex: tag)!, time: Timestamp(milliseconds: t), rssi: rssi), into: &events) {
            keys[$0.hex] ?? AssetRef(key: "tag:" + $0.hex, scheme: "test", raw: $0.hex)
        }
    }

    mutating func scan(_ t: Int64, _ point: String, _ code: String) {
        let index = engine.readPoint(named: point)
        engine.ingestScan(readPoint: index, code: TagID(bytes: Array(code.utf8)), time: Timestamp(milliseconds: t), into: &events) {
            AssetRef(key: "barcode:" + String(decoding: $0.bytes, as: UTF8.self), scheme: "barcode", raw: String(decoding: $0.bytes, as: UTF8.self))
        }
    }

    mutating func advance(_ t: Int64) {
        engine.advance(to: Timestamp(milliseconds: t), into: &events)
    }

    /// The events so far as lines, and forgets them.
    mutating func take() -> [String] {
        defer { events.removeAll() }
        return events.map(line)
    }

    func line(_ e: ZoneEvent) -> String {
        let tag = e.isScan ? String(decoding: e.tag.bytes, as: UTF8.self) : e.tag.hex
        var text = "\(e.time.milliseconds) \(e.type.rawValue) \(tag)"
        let zone = { (z: Int16) in engine.zoneID(z) ?? "-" }
        switch e.type {
        case .arrived: text += " to=\(zone(e.to)) at=\(engine.readPointName(e.readPoint))"
        case .moved: text += " from=\(zone(e.from)) to=\(zone(e.to)) at=\(engine.readPointName(e.readPoint))"
        case .departed: text += " from=\(zone(e.from))" + (e.evicted ? " evicted" : "")
        case .passed: text += " door=\(zone(e.to)) direction=\(e.direction?.rawValue ?? "-") at=\(engine.readPointName(e.readPoint))"
        case .observed: text += " to=\(zone(e.to)) at=\(engine.readPointName(e.readPoint))"
        case .alert: text += " rule=\(engine.ruleID(e.rule) ?? "-") reason=\(engine.reasonText(e) ?? "-")"
        case .audit, .unknown: text += " \(e.type.rawValue)"  // never made by the engine
        }
        return text
    }
}
