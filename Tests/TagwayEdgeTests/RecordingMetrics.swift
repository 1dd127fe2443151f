import Foundation
import Metrics

/// A metrics backend that keeps each counter's total and each gauge's last value, by label and
/// dimensions, for assertions.
final class RecordingMetrics: MetricsFactory, @unchecked Sendable {
    private let lock = NSLock()
    private var values: [String: Int64] = [:]

    func value(_ label: String, reader: String? = nil) -> Int64? {
        lock.withLock { values[Self.key(label, reader.map { [("reader", $0)] } ?? [])] }
    }

    fileprivate func add(_ key: String, _ amount: Int64) { lock.withLock { values[key, default: 0] += amount } }
    fileprivate func set(_ key: String, _ value: Int64) { lock.withLock { values[key] = value } }

    static func key(_ label: String, _ dimensions: [(String, String)]) -> String {
        ([label] + dimensions.map { "\($0.0)=\($0.1)" }).joined(separator: ",")
    }

    func makeCounter(label: String, dimensions: [(String, String)]) -> any CounterHandler {
        Recorder(owner: self, key: Self.key(label, dimensions))
    }
    func makeRecorder(label: String, dimensions: [(String, String)], aggregate: Bool) -> any RecorderHandler {
        Recorder(owner: self, key: Self.key(label, dimensions))
    }
    func makeTimer(label: String, dimensions: [(String, String)]) -> any TimerHandler {
        Recorder(owner: self, key: Self.key(label, dimensions))
    }
    func destroyCounter(_ handler: any CounterHandler) {}
    func destroyRecorder(_ handler: any RecorderHandler) {}
    func destroyTimer(_ handler: any TimerHandler) {}

    private final class Recorder: CounterHandler, RecorderHandler, TimerHandler, @unchecked Sendable {
        let owner: RecordingMetrics
        let key: String
        init(owner: RecordingMetrics, key: String) {
            self.owner = owner
            self.key = key
        }
        func increment(by amount: Int64) { owner.add(key, amount) }
        func reset() { owner.set(key, 0) }
        func record(_ value: Int64) { owner.set(key, value) }
        func record(_ value: Double) { owner.set(key, Int64(value)) }
        func recordNanoseconds(_ duration: Int64) { owner.set(key, duration) }
    }
}
