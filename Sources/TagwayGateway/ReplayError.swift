import TagwayCapture
import TagwayEventLog

/// Why `tagway replay` cannot run or finish, naming the capture, the reader and what to change.
public enum ReplayError: Error, CustomStringConvertible {
    /// The capture file cannot be read, or is damaged at a line.
    case capture(CaptureError)
    /// The capture's reader (after `--map`) is not in the configuration.
    case unknownReader(capture: String, reader: String, configured: [String])
    /// The configured reader speaks another protocol than the one captured.
    case protocolMismatch(capture: String, captured: String, capturedProtocol: String, reader: String, configuredProtocol: String)
    /// The configured reader's decoder cannot be made (its settings), or its transport cannot be replayed.
    case readerSetup(capture: String, reader: String, message: String)
    /// A `--map` argument that is not `CAPTURED=CONFIGURED`.
    case badMapping(String)
    /// The event log could not be opened or written.
    case log(EventLogError)
    /// `--log` names a log that already holds events, which would mix with the replay's.
    case logNotEmpty(path: String, events: Int64)
    /// Events the log did not take by the end of the replay.
    case unwritten(Int)

    public var description: String {
        switch self {
        case .capture(let error):
            return "\(error)"
        case .unknownReader(let capture, let reader, let configured):
            let list = configured.isEmpty ? "none" : configured.joined(separator: ", ")
            return "\(capture): captured from reader '\(reader)', which the configuration does not have (its readers: \(list)); "
                + "add it, or replay the capture as another reader with --map \(reader)=READER"
        case .protocolMismatch(let capture, let captured, let capturedProtocol, let reader, let configuredProtocol):
            return "\(capture): reader '\(captured)' was captured speaking \(capturedProtocol), but the configuration's reader '\(reader)' "
                + "speaks \(configuredProtocol); replay it as a reader of protocol \(capturedProtocol) (--map \(captured)=READER)"
        case .readerSetup(let capture, let reader, let message):
            return "\(capture): reader '\(reader)': \(message)"
        case .badMapping(let text):
            return "--map '\(text)': expected CAPTURED=CONFIGURED, two reader ids, such as --map door3-uhf=door3"
        case .log(let error):
            return "event log: \(error)"
        case .logNotEmpty(let path, let events):
            return "--log: \(path) already holds \(events) events, which would mix with the replay's; give --log a new directory"
        case .unwritten(let count):
            return "\(count) events could not be written to the event log; see the errors above"
        }
    }
}
