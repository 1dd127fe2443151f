/// Another program taking, or set to take, a reader's serial port: what is wrong and exactly
/// what to do about it. `tagway devices` prints these; `/readyz` shows them per reader.
public struct PortContention: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable {
        /// brltty has the port open: the reader's bytes go to a braille driver.
        case brlttyHoldsPort = "brltty-holds-port"
        /// brltty runs, and which ports it holds cannot be seen (not root).
        case brlttyRunning = "brltty-running"
        /// brltty's udev rule starts it on a bridge readers ship on: it will take the port at the next plug.
        case brlttyRule = "brltty-rule"
        /// ModemManager runs and the port lacks ID_MM_DEVICE_IGNORE: it may send AT probes at plug time.
        case modemManagerProbes = "modemmanager-probes"
    }

    public var kind: Kind
    /// The configured reader affected; nil when the finding is about the machine or an unconfigured port.
    public var reader: String?
    /// The device node concerned, when one is.
    public var port: String?
    /// The reader cannot work while this lasts: `/readyz` is not ready for a required reader.
    public var blocking: Bool
    public var problem: String
    public var remedy: String

    public init(kind: Kind, reader: String? = nil, port: String? = nil, blocking: Bool, problem: String, remedy: String) {
        self.kind = kind
        self.reader = reader
        self.port = port
        self.blocking = blocking
        self.problem = problem
        self.remedy = remedy
    }

    /// One line: the problem, then what to do.
    public var text: String { "\(problem). Fix: \(remedy)" }
}
