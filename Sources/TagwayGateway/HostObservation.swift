import TagwayConfig

/// What the machine shows about the programs that take serial ports from readers (brltty,
/// ModemManager) and about the ports themselves, read by `HostObservation.scan` from a
/// filesystem root and judged by `PortContentionDetector`, which does no I/O.
public struct HostObservation: Sendable, Hashable {
    /// A running process of interest, from /proc/<pid>.
    public struct Process: Sendable, Hashable {
        public var pid: Int
        /// /proc/<pid>/comm: `brltty`, `ModemManager`.
        public var name: String
        /// Where its /proc/<pid>/fd links point; nil when they cannot be read (another user's
        /// process, seen without root).
        public var openFiles: [String]?

        public init(pid: Int, name: String, openFiles: [String]?) {
            self.pid = pid
            self.name = name
            self.openFiles = openFiles
        }
    }

    /// The udev rules file that is in force under one name (/etc over /run over /usr/lib and /lib).
    public struct RulesFile: Sendable, Hashable {
        public var path: String
        /// The file's name, which a file in /etc/udev/rules.d masks.
        public var name: String
        /// Empty, or a link to /dev/null: masked.
        public var text: String

        public init(path: String, name: String, text: String) {
            self.path = path
            self.name = name
            self.text = text
        }

        public var isMasked: Bool { text.allSatisfy(\.isWhitespace) }
    }

    /// A serial port a reader uses (or may use), and what udev recorded for it.
    public struct Port: Sendable, Hashable {
        /// The configured reader using it; nil for a port only seen attached.
        public var reader: String?
        /// The device node the port resolves to now: `/dev/ttyUSB0`.
        public var node: String
        /// The E: lines of /run/udev/data/c<major>:<minor>; nil when udev has no record of it.
        public var udevProperties: [String: String]?

        public init(reader: String?, node: String, udevProperties: [String: String]?) {
            self.reader = reader
            self.node = node
            self.udevProperties = udevProperties
        }
    }

    public var processes: [Process]
    /// Every brltty rules file in force, masked ones included (they say the mask works).
    public var brlttyRules: [RulesFile]
    public var ports: [Port]

    public init(processes: [Process], brlttyRules: [RulesFile], ports: [Port]) {
        self.processes = processes
        self.brlttyRules = brlttyRules
        self.ports = ports
    }
}
