import TagwayConfig
import TagwayGateway
import TagwayModel
import TagwayUSB

extension DevicesCommand {
    /// brltty and ModemManager against the serial ports: those configured readers use and every
    /// tty on USB attached now; the bridges checked against brltty's rules are the configured
    /// readers' (every serial profile's without --config).
    func contention(_ inventory: DeviceInventory, attached: [UDevDevice]) -> [PortContention] {
        let configured = inventory.readers.filter { $0.profile.transport == .serial }
        var ports: [(reader: String?, node: String)] = []
        for reader in configured {
            if let port = reader.port {
                ports.append((reader.id, hostRoot == "/" ? DeviceInventory.realPath(port) : port))
            } else if let match = reader.usbPort, case .success(let node) = USBSerialPortLookup.node(for: match, among: attached) {
                ports.append((reader.id, node))
            }
        }
        for device in attached where device.isSerialPort && device.usbSyspath != nil {
            guard let node = device.devnode, !ports.contains(where: { $0.node == node }) else { continue }
            ports.append((nil, node))
        }
        let profiles = config == nil ? inventory.profiles.filter { $0.transport == .serial } : configured.map(\.profile)
        // A configured reader on an adapter its profile does not list is checked against brltty's rules too.
        let adapters = attached.filter { device in
            device.isSerialPort && ports.contains { $0.reader != nil && $0.node == device.devnode }
        }.compactMap { device in
            device.id.map { USBBridge(vendorID: $0.vendorID, productID: $0.productID, name: device.product ?? "the reader's adapter") }
        }
        return PortContentionDetector.findings(HostObservation.scan(root: hostRoot, ports: ports), bridges: profiles.flatMap(\.bridges) + adapters)
    }

    static func json(_ finding: PortContention) -> String {
        var w = JSONObjectWriter()
        w.string("finding", finding.kind.rawValue)
        if let reader = finding.reader { w.string("reader", reader) }
        if let port = finding.port { w.string("port", port) }
        w.bool("blocking", finding.blocking)
        w.string("problem", finding.problem)
        w.string("remedy", finding.remedy)
        return w.finish()
    }
}
