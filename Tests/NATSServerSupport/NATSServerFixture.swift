import Foundation
import TagwayTestSupport

/// One started server in a temporary directory for as long as a class suite holds it: the
/// suite's deinit (which runs even when a test fails halfway) releases it, and this kills the
/// server and removes its store.
public final class NATSServerFixture: @unchecked Sendable {
    public let directory: String
    public let server: NATSServer

    public init(_ name: String) throws {
        directory = TestPaths.temporaryDirectory(name)
        server = NATSServer(directory: directory)
        try server.start()
    }

    deinit {
        server.kill()
        try? FileManager.default.removeItem(atPath: directory)
    }
}
