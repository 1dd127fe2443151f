import TagwayConfig

/// The settings a reload cannot apply to a running gateway, because they were used to open
/// something at start: the event log (data directory, durability), the readers (ports, ids,
/// profiles, read points), the debouncer's fixed memory, the pipeline's holding limits, the API's
/// socket. A reload names each one that changed (logged, and in /readyz's "restart" check).
public enum RestartSettings {
    /// The settings whose value in `loaded` differs from the `running` gateway's, by their
    /// configuration key (`readers[door3-uhf]`, `gateway.dataDir`, …), in file order.
    public static func changed(running: GatewayConfig, loaded: GatewayConfig) -> [String] {
        var names: [String] = []
        func check<T: Equatable>(_ key: String, _ value: (GatewayConfig) -> T) {
            if value(running) != value(loaded) { names.append(key) }
        }
        check("gateway.id") { $0.gatewayID }
        check("gateway.dataDir") { $0.dataDir }
        check("gateway.runtimeDir") { $0.runtimeDir }
        check("gateway.devicesDir") { $0.devicesDir }
        check("gateway.durability") { $0.durability }
        check("gateway.maxHeldEvents") { $0.maxHeldEvents }
        check("gateway.stopTimeout") { $0.stopTimeout }
        check("gateway.startCheck") { $0.startCheck }
        check("gateway.stateInterval") { $0.stateInterval }
        check("identity.companyPrefixes") { $0.companyPrefixes }
        check("debounce") { $0.debounce }
        names += readerChanges(running: running.readers, loaded: loaded.readers)
        check("api") { $0.api == nil }
        if running.api != nil, loaded.api != nil {
            check("api.listen") { "\($0.api?.host ?? ""):\($0.api?.port ?? 0)" }
            check("api.maxStreams") { $0.api?.maxStreams }
        }
        return names
    }

    /// `readers[id]` for each reader added, removed or changed; the line a reader is written on
    /// is not a setting (an edit above it moves it).
    static func readerChanges(running: [ReaderConfig], loaded: [ReaderConfig]) -> [String] {
        func byID(_ readers: [ReaderConfig]) -> [String: ReaderConfig] {
            Dictionary(readers.map { reader -> (String, ReaderConfig) in
                var unplaced = reader
                unplaced.line = 0
                return (reader.id, unplaced)
            }, uniquingKeysWith: { first, _ in first })
        }
        let (before, after) = (byID(running), byID(loaded))
        let order = running.map(\.id) + loaded.map(\.id).filter { before[$0] == nil }
        return order.filter { before[$0] != after[$0] }.map { "readers[\($0)]" }
    }
}
