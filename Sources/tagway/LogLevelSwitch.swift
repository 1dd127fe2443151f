import Logging
import Synchronization

/// The running gateway's log level, shared by every copy of its `Logger`. swift-log's `Logger`
/// is a value whose level is fixed when copied, and the gateway hands copies to every part at
/// start; a reload (`logging.level`) changes this one switch instead, which each copy's
/// `SwitchedLogHandler` reads on every log call (one relaxed atomic load).
final class LogLevelSwitch: Sendable {
    private let index: Atomic<Int>

    init(_ level: Logger.Level) {
        index = Atomic(Self.index(of: level))
    }

    var level: Logger.Level {
        get { Logger.Level.allCases[index.load(ordering: .relaxed)] }
        set { index.store(Self.index(of: newValue), ordering: .relaxed) }
    }

    private static func index(of level: Logger.Level) -> Int {
        Logger.Level.allCases.firstIndex(of: level) ?? 2
    }
}

/// A `LogHandler` whose level is the shared `LogLevelSwitch`; everything else is the wrapped
/// handler's. Setting `logLevel` on any copy sets the switch, i.e. the level of every copy.
struct SwitchedLogHandler: LogHandler {
    var inner: any LogHandler
    let levels: LogLevelSwitch

    var logLevel: Logger.Level {
        get { levels.level }
        set { levels.level = newValue }
    }

    var metadata: Logger.Metadata {
        get { inner.metadata }
        set { inner.metadata = newValue }
    }

    var metadataProvider: Logger.MetadataProvider? {
        get { inner.metadataProvider }
        set { inner.metadataProvider = newValue }
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { inner[metadataKey: key] }
        set { inner[metadataKey: key] = newValue }
    }

    func log(level: Logger.Level, message: Logger.Message, metadata: Logger.Metadata?, source: String,
             file: String, function: String, line: UInt) {
        inner.log(level: level, message: message, metadata: metadata, source: source, file: file, function: function, line: line)
    }
}
