import Foundation

/// The scripted world of the fleet fault test: three gateways of one site, each with one
/// simulated M100 reader (read point and zone `dock`), and assets that arrive at one gateway,
/// leave it and arrive at the next one (a cross-gateway move), some of them then leaving the
/// site.
///
/// Timing, in scenario seconds from the moment the readers start, per asset `i`:
/// - `start(i)`: it enters the dock of gateway `i % 3`;
/// - `+6`: it leaves it (the gateway logs `departed` at about `+6 + departAfter`);
/// - `+16`: it enters the dock of gateway `(i + 1) % 3`. The gap between the departure and the
///   arrival (about 7 s) is far inside the site's `handoverWindow`, and larger than any delay a
///   fault adds between two gateways' deliveries minus the site's `reorderWindow`, so the site
///   orders each departure before its arrival whatever the faults do;
/// - every fourth asset leaves that second gateway at `+24` and is not seen again (a site
///   `departed`, once its handover window has passed).
///
/// The comparison does not depend on these times: the expected picture is the pure `SiteView`
/// over what the gateways logged. The times only keep every decision the site takes on its own
/// clock (reorder, handover deadline) away from its edges.
struct FleetScenario: Sendable {
    static let site = "fleet"
    static let gateways = ["gw-a", "gw-b", "gw-c"]
    static let departAfter = 3
    /// Site settings: each a decision the fault delays must stay clear of (see above).
    static let handoverWindow = 20
    static let reorderWindow = 10
    static let gapTimeout = 60

    let assets: Int
    /// Per gateway, the reader's script (`SECONDS VERB ARGS` lines).
    private(set) var scripts: [String: [String]] = [:]

    init(assets: Int) {
        self.assets = assets
        for gateway in Self.gateways { scripts[gateway] = [] }
        for i in 0..<assets {
            let t = Self.start(i)
            let first = Self.gateways[i % 3], second = Self.gateways[(i + 1) % 3]
            add(first, "\(format(t)) enter \(Self.epc(i)) rssi=-50")
            add(first, "\(format(t + 6)) leave \(Self.epc(i))")
            add(second, "\(format(t + 16)) enter \(Self.epc(i)) rssi=-50")
            if i % 4 == 0 { add(second, "\(format(t + 24)) leave \(Self.epc(i))") }
        }
    }

    static func start(_ asset: Int) -> Double { 1 + 0.25 * Double(asset) }

    /// When the last scripted step has happened.
    var lastStep: Double { Self.start(assets - 1) + 24 }

    func script(_ gateway: String) -> String {
        // The simulator plays steps in file order: sorted by time.
        let lines = (scripts[gateway] ?? []).sorted { (Double($0.split(separator: " ")[0]) ?? 0) < (Double($1.split(separator: " ")[0]) ?? 0) }
        return lines.joined(separator: "\n") + "\n"
    }

    /// A GIAI-96 EPC per asset: header 0x34, company prefix 0614141, serial 0x5000 + i.
    static func epc(_ asset: Int) -> String { "3414257BF40000000000" + String(format: "%04X", 0x5000 + asset) }

    private mutating func add(_ gateway: String, _ line: String) { scripts[gateway, default: []].append(line) }

    private func format(_ t: Double) -> String { String(format: "%.2f", t) }

    /// `tagway run`'s configuration for `gateway`: its reader on the pty in `dir`, the JetStream
    /// sink into the site's R3 stream, retries short enough to keep the fault test under a minute
    /// of faults (ackTimeout 2 s, backoff up to 1 s; the de-duplication window far above both).
    static func gatewayConfig(_ gateway: String, dir: String, devices: String, servers: [String]) -> String {
        """
        gateway: { id: \(gateway), site: \(site), dataDir: "\(dir)", devicesDir: "\(devices)" }
        debounce: { departAfter: \(departAfter)s }
        readers:
          - { id: r-dock, profile: magicrf/m100, port: "\(dir)/dock", readPoint: dock }
        zones:
          - { id: dock, readPoints: [dock] }
        sinks:
          - id: fleet
            jetstream:
              servers: [\(servers.joined(separator: ", "))]
              stream: { name: TAGWAY, subjects: ["tagway.>"], replicas: 3, duplicateWindow: 2m }
              ackTimeout: 2s
            retry: { initial: 200ms, max: 1s }

        """
    }

    /// `tagway site`'s configuration: the gateways' stream, the bucket and the site events all R3.
    static func siteConfig(servers: [String]) -> String {
        """
        site: \(site)
        nats: { servers: [\(servers.joined(separator: ", "))] }
        stream: TAGWAY
        bucket: { replicas: 3, leaseTTL: 4s }
        view: { handoverWindow: \(handoverWindow)s, reorderWindow: \(reorderWindow)s, gapTimeout: \(gapTimeout)s, maxClockSkew: 5s }
        events:
          stream: { name: TAGWAY_SITE_\(site), replicas: 3, duplicateWindow: 10m }

        """
    }
}
