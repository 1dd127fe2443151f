/// Where a network reader listens, as logs, health and failures name it.
public struct TCPAddress: Sendable, Hashable, CustomStringConvertible {
    /// A host name, or an IPv4 or IPv6 address (without brackets).
    public var host: String
    public var port: Int

    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// `10.1.2.3:5084`, `reader-7.local:5084`, `[fd00::7]:5084`.
    public var description: String {
        host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }
}
