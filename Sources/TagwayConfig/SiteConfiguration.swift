import TagwayDelivery
import TagwaySite
import TagwayZones

/// `tagway site --config site.yaml` (issue 17): one site view process, its NATS connection, the
/// gateways' stream it consumes, the key-value bucket its picture and positions live in (so any
/// process can take over), how it joins the gateways' events, its rules and where its own events
/// go. Everything but `site` and `nats.servers` has a default derived from the site's name.
public struct SiteConfiguration: Sendable {
    public var site: String
    public var nats: NATS
    /// The gateways' stream (the JetStream sinks' `stream.name`) and the part of it that is this site's.
    public var stream: String = "TAGWAY"
    public var subjects: String
    /// The durable pull consumer's name: the stream remembers what it delivered and what was acked.
    public var consumer: String
    public var bucket: Bucket
    public var view = SiteSettings()
    /// Site geofence rules; places are `gateway/zone` or `gateway/*`.
    public var rules: [GeofenceRule] = []
    public var events: Events
    /// Where site events are forwarded (a gateway's `sinks:` entries), through the gateway's
    /// outbox code, with each sink's cursor in the bucket (`cursor.<sink>`).
    public var sinks: [SinkConfig] = []
    /// The site's HTTP API (a gateway's `api:` entry); nil: none.
    public var api: APIConfig?

    public init(site: String, servers: [String]) {
        self.site = site
        nats = NATS(servers: servers)
        subjects = "tagway.\(site).>"
        consumer = "tagway-site-\(site)"
        bucket = Bucket(name: "tagway-site-\(site)")
        events = Events(subject: "tagway-site.{site}.{type}",
                        stream: JetStreamStreamSpec(name: "TAGWAY_SITE_\(Self.streamSafe(site))", subjects: ["tagway-site.\(site).>"]))
    }

    /// The connection: the JetStream sink's servers, login and TLS (read by the same code).
    public struct NATS: Sendable, Hashable {
        public var servers: [String]
        public var auth: SinkConfig.Auth?
        public var tls: SinkConfig.TLS?
    }

    /// The key-value bucket: one row per asset (`asset.<key>`), one per gateway's applied
    /// position (`pos.<gateway>`), and the lease that makes one process of the site the active one.
    public struct Bucket: Sendable, Hashable {
        public var name: String
        public var replicas = 1
        /// A lease not renewed for this long is taken over by a standby.
        public var leaseTTL: Duration = .seconds(10)
    }

    /// Where site events are published: a subject template (`{site}`, `{type}`, `{gateway}` as
    /// the site's id) in a stream created when missing, de-duplicating by the site event id.
    public struct Events: Sendable, Hashable {
        public var subject: String
        public var stream: JetStreamStreamSpec
    }

    /// A stream name may not hold '.', '*', '>', '/'; a site id may hold '.' and '/'.
    static func streamSafe(_ site: String) -> String {
        String(site.map { ".*>/\\".contains($0) || $0.isWhitespace ? "_" : $0 })
    }
}
