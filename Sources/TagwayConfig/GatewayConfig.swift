import TagwayAudit
import TagwayDebounce
import TagwayDelivery
import TagwayFilters
import TagwaySettings
import TagwayZones

/// A validated gateway configuration (DESIGN §3). Nothing starts until a whole file validates:
/// a gateway that opened half its readers from a broken file would look healthy and be wrong.
public struct GatewayConfig: Sendable {
    public var gatewayID: String
    /// `gateway.site`: the site this gateway belongs to (issue 17), the `{site}` of JetStream
    /// subjects; nil: the gateway is a site of its own (`siteName` is its id).
    public var site: String?
    public var siteName: String { site ?? gatewayID }
    /// Absolute; relative paths in the file are taken from the file's directory.
    public var dataDir: String
    /// `gateway.runtimeDir`: where status.json is written (a tmpfs such as /run/tagway), linked
    /// from the data directory; nil: systemd's `RUNTIME_DIRECTORY` when set, else the data
    /// directory. One per gateway, like `dataDir`.
    public var runtimeDir: String?
    public var devicesDir: String
    public var durability: Durability
    /// `gateway.maxHeldEvents`: events held in memory while the log refuses writes (a full
    /// disk); beyond it reads are dropped and counted, so memory stays bounded.
    public var maxHeldEvents = 10_000
    /// `gateway.stopTimeout`: how long a stop keeps retrying held events before it gives up and
    /// says how many were not written (well inside systemd's stop timeout).
    public var stopTimeout: Duration = .seconds(3)
    /// `gateway.stateInterval`: how often the rows of assets read without a movement (last read
    /// time, reads, RSSI) are written; after a SIGKILL a last-read time is at most this old.
    public var stateInterval: Duration = .seconds(1)
    /// `gateway.readyGrace`: how long a required reader may be unconnected (after the start, or
    /// after losing its device) before `/readyz` says not ready: a replug or a slow USB
    /// enumeration does not take the gateway out of a load balancer.
    public var readyGrace: Duration = .seconds(30)
    /// `gateway.startCheck`: the time budget of the log's integrity check at start.
    public var startCheck: Duration = .seconds(10)
    public var debounce: DebouncerConfiguration
    public var readers: [ReaderConfig]
    public var file: String
    /// Zones, doors, geofence rules and the mobility profile (`zones:`, `rules:`, `movement:`);
    /// the part of the file a reload swaps in a running gateway.
    public var movement = MovementConfiguration()
    /// Where events are forwarded (`sinks:`), how long the log keeps them (`retention:`), and the
    /// pull API's address (`api:`; nil: no pull API).
    public var sinks: [SinkConfig] = []
    public var retention = RetentionPolicy()
    public var api: APIConfig?
    /// GS1 Company Prefixes of the site (`identity.companyPrefixes`), so barcodes and tags of one
    /// asset get one key.
    public var companyPrefixes: [String] = []
    /// The expected-vs-found audit (`audit:`): the zones a list may name, Snipe-IT locations to
    /// zones, freshness, limits, and whether the API logs an `audit` event.
    public var audit = AuditSettings()
    /// Tag filters and reference tags (`readers[].filters`, `readers[].referenceTags`, the
    /// top-level `filters:` by read point); a reload swaps them like zones.
    public var filters = FilterConfiguration()
    /// `logging:` (nil when absent: info, or `--log-level`).
    public var logging: LoggingConfig?
    /// `capture:` or `tagway run --capture DIR` (nil: readers are not recorded).
    public var capture: CaptureConfig?
    /// Things that work but should be changed (a secret written in the file), located like
    /// errors; `check-config` prints them, `run` logs them at start and on reload.
    public var warnings: [ConfigError] = []

    /// Every read point, in a stable order (the debouncer knows read points by index).
    public var readPoints: [String] {
        var seen: Set<String> = []
        var out: [String] = []
        for reader in readers {
            for point in reader.allReadPoints where seen.insert(point).inserted { out.append(point) }
        }
        return out
    }
}

/// One configured reader and its resolved profile.
public struct ReaderConfig: Sendable, Hashable {
    public var id: String
    public var profile: DeviceProfile
    /// Serial readers: the device path (ideally a /dev/tagway/ udev symlink, which survives replugging).
    public var port: String?
    /// USB HID readers: which device, when several of one model are attached.
    public var usb: USBMatch?
    /// Serial readers given by USB serial number instead of `port`: the tty is looked up at each open.
    public var usbPort: USBSerialPortMatch?
    /// The read point for antenna-less readers and for antennas not listed in `antennas`.
    public var readPoint: String
    public var antennas: [Int: String]
    /// The profile's protocol settings with the reader's overrides applied.
    public var settings: [String: String]
    public var serial: SerialSettings?
    public var line: Int
    /// `readers[].required`: a required reader not connected past `gateway.readyGrace` makes
    /// `/readyz` not ready; an optional one (a spare, a handheld) never does.
    public var required = true
    /// Network (LLRP) readers: the host name or IPv4/IPv6 address, and the TCP port (the
    /// protocol's default port unless given).
    public var host: String?
    public var tcpPort: Int?
    /// Network (LLRP) readers: the transmit power asked for each antenna, in dBm; antennas not
    /// listed keep the reader's own setting.
    public var antennaPower: [Int: Double] = [:]

    public var allReadPoints: [String] {
        [readPoint] + antennas.keys.sorted().compactMap { antennas[$0] }.filter { $0 != readPoint }
    }

    /// The read point of a read on `antenna` (nil: the reader has no antennas).
    public func readPoint(antenna: Int?) -> String {
        guard let antenna, let point = antennas[antenna] else { return readPoint }
        return point
    }
}
