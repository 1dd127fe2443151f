import ArgumentParser
import Logging
import TagwayControl

/// `--log-level`, shared by the commands that run a gateway.
struct LoggingOptions: ParsableArguments {
    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical (default: the configuration's logging.level, else info).")
    var logLevel: String?

    /// The level given on the command line, which wins over the configuration file's.
    func explicitLevel() throws -> Logger.Level? {
        guard let logLevel else { return nil }
        guard let level = Logger.Level(rawValue: logLevel) else {
            throw ValidationError("unknown log level '\(logLevel)'; use trace, debug, info, notice, warning, error or critical")
        }
        return level
    }

    func makeLogger(label: String = "tagway") throws -> Logger {
        var logger = Logger(label: label) { StreamLogHandler.standardError(label: $0) }
        logger.logLevel = try explicitLevel() ?? .info
        return logger
    }

    /// A logger whose level the returned switch changes in every copy (`tagway run` reloads it).
    func makeSwitchedLogger(label: String = "tagway") throws -> (Logger, LogLevelSwitch) {
        let levels = LogLevelSwitch(try explicitLevel() ?? .info)
        let logger = Logger(label: label) { SwitchedLogHandler(inner: StreamLogHandler.standardError(label: $0), levels: levels) }
        return (logger, levels)
    }

}
