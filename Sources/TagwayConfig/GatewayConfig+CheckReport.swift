import TagwayFilters

extension GatewayConfig {
    /// What `tagway check-config` prints for a valid file, line by line; the first line is the
    /// summary the console shows after "Check" (the same words, so either way reads the same).
    public func checkReport(file: String) -> [String] {
        var lines = ["\(file): OK: gateway \(gatewayID), \(readers.count) reader(s), read points \(readPoints.joined(separator: ", "))"]
        lines.append("  event log in \(dataDir); profiles from \(devicesDir)")
        for reader in readers {
            let network = reader.host.map { host in
                (host.contains(":") ? "[\(host)]" : host) + (reader.tcpPort.map { ":\($0)" } ?? "")
            }
            let place = reader.port ?? reader.usbPort?.description ?? reader.usb.map { "usb \($0.idText)" } ?? network ?? "?"
            lines.append("  reader \(reader.id): \(reader.profile.name) [\(reader.profile.protocolID)] on \(place)")
        }
        if !filters.isEmpty {
            let scopes = filters.readers.filter { !$0.value.isEmpty }.keys.sorted().map { "reader \($0)" }
                + filters.readPoints.filter { !$0.value.isEmpty }.keys.sorted().map { "read point \($0)" }
            lines.append("  filters: \(scopes.isEmpty ? "none" : scopes.joined(separator: ", ")); \(filters.referenceTags.count) reference tag(s)")
        }
        for sink in sinks {
            guard case .jetstream(let j) = sink.kind else { continue }
            let stream = "stream \(j.stream.name) (\(j.stream.subjects.joined(separator: ", ")), R\(j.stream.replicas)\(j.stream.create ? "" : ", must exist"))"
            lines.append("  sink \(sink.id): jetstream to \(j.servers.joined(separator: ", ")), subject \(j.subject) (site \(siteName)), \(stream)")
        }
        if let capture {
            let who = capture.readers.map { "reader(s) \($0.joined(separator: ", "))" } ?? "every reader"
            lines.append("  capture of \(who) in \(capture.dir) (\(capture.maxFiles) files of \(capture.maxFileBytes) bytes per reader)")
        }
        return lines
    }
}
