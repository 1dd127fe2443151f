import Foundation

/// A 3-node (or n-node) JetStream cluster of real `nats-server` processes on loopback ports,
/// each routed to the others, for R3 streams and leader kills.
public final class NATSCluster: @unchecked Sendable {
    public let servers: [NATSServer]

    public init(directory: String, size: Int = 3, name: String = "tagway-test") {
        let clientPorts = (0..<size).map { _ in NATSServer.freePort() }
        let routePorts = (0..<size).map { _ in NATSServer.freePort() }
        servers = (0..<size).map { i in
            NATSServer(name: "n\(i + 1)", directory: directory, port: clientPorts[i],
                       cluster: (name: name, port: routePorts[i], routes: routePorts.enumerated().filter { $0.offset != i }.map(\.element)))
        }
    }

    public var urls: [String] { servers.map(\.url) }

    public func start() throws {
        for server in servers { try server.start() }
    }

    /// The server named `name` (`n1`…), as a stream's cluster info names its leader.
    public func server(named name: String) -> NATSServer? { servers.first { $0.name == name } }

    public func killAll() { servers.forEach { $0.kill() } }
}
