import Foundation
import TagwayAPI
import TagwayConfig
import TagwaySinks

/// The site API's reads of JetStream: the picture in the bucket, the site events stream, the
/// consumer's figures. Every site process serves its API, a standby too, so the reader has a
/// connection of its own, opened at the first request (and again after one that failed), not
/// the active session's. Its libnats calls block: they run on a queue of their own.
final class SiteReader: @unchecked Sendable {
    private let runner: SiteRunner
    private let queue = DispatchQueue(label: "tagway.site.api")
    /// Touched on `queue` only.
    private var open: (connection: NATSConnection, nats: SiteJetStream)?

    /// Seconds a client refused because JetStream cannot be read is asked to wait (`Retry-After`,
    /// as every 503 of the API has): the next request connects again, and a NATS server that
    /// restarts or a cluster that elects a leader is back within seconds.
    static let retryAfterSeconds = 5

    init(runner: SiteRunner) { self.runner = runner }

    var config: SiteConfiguration { runner.config }

    /// Runs `body` with the reader's JetStream context; a NATS failure is a 503 naming it, with
    /// `Retry-After` (the request was fine: the client should come back, not change it).
    func read<T: Sendable>(_ body: @escaping @Sendable (SiteJetStream) throws(SiteJetStream.Failure) -> T) async throws(APIError) -> T {
        let result: Result<T, SiteJetStream.Failure> = await withCheckedContinuation { continuation in
            queue.async { [self] in
                continuation.resume(returning: Result { () throws(SiteJetStream.Failure) in
                    do throws(SiteJetStream.Failure) { return try body(try connected()) } catch {
                        drop()
                        throw error
                    }
                })
            }
        }
        do { return try result.get() } catch {
            throw APIError.unavailable("the site's JetStream cannot be read", detail: error.description,
                                       retryAfterSeconds: Self.retryAfterSeconds)
        }
    }

    /// A subscription on the site events' subjects that calls `wake` for each published (see
    /// `SiteEventWake`); nil when the reader cannot connect or subscribe now.
    func wake(_ wake: @escaping @Sendable () -> Void) async -> SiteEventWake? {
        let subjects = config.events.stream.subjects
        return await withCheckedContinuation { continuation in
            queue.async { [self] in
                guard (try? connected()) != nil, let connection = open?.connection else { return continuation.resume(returning: nil) }
                continuation.resume(returning: SiteEventWake.start(connection, subjects: subjects, wake: wake))
            }
        }
    }

    /// Closes the connection (the process is stopping).
    func close() { queue.sync { drop() } }

    private func connected() throws(SiteJetStream.Failure) -> SiteJetStream {
        if let open { return open.nats }
        let connection: NATSConnection
        do { connection = try NATSConnection(options: try runner.natsOptions()) } catch {
            throw SiteJetStream.Failure(description: "\(error)")
        }
        let nats: SiteJetStream
        do { nats = try SiteJetStream(connection: connection, wait: .seconds(5)) } catch {
            connection.close()
            throw error
        }
        do {
            try nats.openBucket(runner.config.bucket.name, replicas: runner.config.bucket.replicas)
        } catch {
            nats.close()
            connection.close()
            throw error
        }
        open = (connection, nats)
        return nats
    }

    /// Frees the reader's JetStream context (its bucket handle, then the context) and closes its
    /// connection; a wake subscription on it (`SiteEventWake`) holds its own reference to the
    /// connection, so it stays valid until its stream stops it.
    private func drop() {
        open?.nats.close()
        open?.connection.close()
        open = nil
    }
}
