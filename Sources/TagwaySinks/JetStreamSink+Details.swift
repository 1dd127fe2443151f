import Foundation
import Synchronization
import TagwayOutbox

/// What `tagway status` shows of a JetStream sink beyond the outbox's figures: the stream,
/// whether the connection is up (and the last problem when not), the duplicates the stream
/// recognised, and the publish window's size now.
extension JetStreamSink: DetailedSink {
    public var detailsJSON: String {
        let details = self.details.withLock { $0 }
        var object: [String: Any] = [
            "stream": options.stream.name, "connected": answers.connected, "duplicates": details.duplicates,
            "window": windowSize.withLock { $0 },
        ]
        if !answers.connected, let problem = answers.lastProblem { object["problem"] = problem }
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]) else { return "{}" }
        return String(decoding: data, as: UTF8.self)
    }

    public func onDetailsChange(_ observer: @escaping @Sendable () -> Void) {
        details.withLock { $0.observers.append(observer) }
    }

    /// Tells the observers, when what they would show changed since they were last told.
    func detailsMayHaveChanged() {
        let shown = detailsJSON
        let observers = details.withLock { details -> [@Sendable () -> Void] in
            guard details.lastShown != shown else { return [] }
            details.lastShown = shown
            return details.observers
        }
        for observer in observers { observer() }
    }
}

/// The details' own state: the duplicates counted, the observers, what they were last told.
struct JetStreamDetails: Sendable {
    var duplicates = 0
    var observers: [@Sendable () -> Void] = []
    var lastShown = ""
}
