import CNATS
import Foundation

/// A plain NATS connection made with the JetStream sink's options (servers, the four logins,
/// TLS; no libnats reconnect), for other shells that speak JetStream themselves: the `tagway site`
/// process consumes, publishes and keeps its key-value bucket over one of these. The same
/// `NATSClient.configure` sets it up, so a login or TLS setting means the same in both files.
///
/// `@unchecked Sendable`: libnats' connection is thread-safe; `close` runs once (the owner's stop).
public final class NATSConnection: @unchecked Sendable {
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    /// The `natsConnection *`, for the caller's libnats calls.
    public let pointer: OpaquePointer
    /// Told by libnats' threads when the connection drops (`connected` turns false).
    private let answers: JetStreamAnswers
    /// The NKey login's seed, alive as long as the connection.
    private let signer: NKeySigner?

    public init(options: JetStreamOptions) throws(Failure) {
        nats_Open(-1)
        let answers = JetStreamAnswers()
        self.answers = answers
        var opts: OpaquePointer?
        guard natsOptions_Create(&opts) == NATS_OK, let opts else { throw Failure(description: "natsOptions_Create failed") }
        defer { natsOptions_Destroy(opts) }
        // Retained for good, as the sink's: libnats may call back after the connection is destroyed.
        let closure = Unmanaged.passRetained(answers).toOpaque()
        do { signer = try NKeySigner.make(for: options.login) } catch { throw Failure(description: error.description) }
        do { try NATSClient.configure(opts, options: options, closure: closure, signer: signer) } catch {
            throw Failure(description: error.description)
        }
        let nc: OpaquePointer
        do { nc = try NATSClient.connect(opts, signer: signer) } catch {
            throw Failure(description: "connect to \(options.servers.joined(separator: ", ")): \(error.description)")
        }
        answers.connected(nc)
        pointer = nc
    }

    /// False once libnats reported the connection dropped or closed.
    public var isConnected: Bool { answers.connected }

    public static func lastError(_ status: natsStatus) -> String { NATSClient.lastError(status) }

    public func close() {
        natsConnection_Close(pointer)
        natsConnection_Destroy(pointer)
    }
}
