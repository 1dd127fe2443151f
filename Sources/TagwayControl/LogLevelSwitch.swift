import Logging
import Synchronization

/// The running gateway's log level, shared by every copy of its `Logger`. swift-log's `Logger`
/// is a value whose level is fixed when copied, and the gateway hands copies to every part at
/// start; a reload (`logging.level`) changes this one switch instead, which each copy's
/// `SwitchedLogHandler` reads on every log call (one relaxed atomic load).
public final class LogLevelSwitch: Sendable {
    private let index: Atomic<Int>

    public init(_ level: Logger.Level) {
        index = Atomic(Self.index(of: level))
    }

    public var level: Logger.Level {
        get { Logger.Level.allCases[index.load(ordering: .relaxed)] }
        set { index.store(Self.index(of: newValue), ordering: .relaxed) }
    }

    private static func index(of level: Logger.Level) -> Int {
        Logger.Level.allCases.firstIndex(of: level) ?? 2
    }
}

/// A `LogHandler` whose level is the shared `LogLevelSwitch`; everything else is the wrapped
/// handler's. Setting `logLevel` on any copy sets the switch, i.e. the level of every copy.
public struct SwitchedLogHandler: LogHandler {
    public var inner: any LogHandler
    public let levels: LogLevelSwitch

    public init(inner: any LogHandler, levels: LogLevelSwitch) {
        self.inner = inner
        self.levels = levels
    }

    public var logLevel: Logger.Level {
        get { levels.level }
        set { levels.level = newValue }
    }

    public var metadata: Logger.Metadata {
        get { inner.metadata }
        set { inner.metadata = newValue }
    }

    public var metadataProvider: Logger.MetadataProvider? {
        get { inner.metadataProvider }
        set { inner.metadataProvider = newValue }
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { inner[metadataKey: key] }
        set { inner[metadataKey: key] = newValue }
    }

    public func log(level: Logger.Level, message: Logger.Message, metadata: Logger.Metadata?, source: String,
             file: String, function: String, line: UInt) {
        inner.log(level: level, message: message, metadata: metadata, source: source, file: file, function: function, line: line)
    }
}
