/// `logging: { level: info }`: how much the gateway logs. Reloaded on SIGHUP; `tagway run
/// --log-level` wins over it when given. The level is kept as its name (TagwayConfig does not
/// link swift-log); the names are swift-log's `Logger.Level` raw values.
public struct LoggingConfig: Sendable, Hashable {
    public static let levels = ["trace", "debug", "info", "notice", "warning", "error", "critical"]

    /// One of `levels`.
    public var level: String

    public init(level: String = "info") {
        self.level = level
    }
}

enum LoggingConfigReader {
    static func read(_ value: YAMLValue) -> LoggingConfig? {
        guard let map = value.mapping(allowed: ["level"]) else { return nil }
        var config = LoggingConfig()
        if let node = map["level"], let text = node.string() {
            guard LoggingConfig.levels.contains(text) else {
                node.error("unknown log level '\(text)'", expected: LoggingConfig.levels.joined(separator: ", "))
                return nil
            }
            config.level = text
        }
        return config
    }
}
