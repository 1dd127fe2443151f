/// Line settings of a serial reader, from its device profile (and the reader's overrides).
public struct SerialSettings: Hashable, Sendable, CustomStringConvertible {
    public enum Parity: String, Hashable, Sendable, CaseIterable { case none, even, odd }
    public enum FlowControl: String, Hashable, Sendable, CaseIterable { case none, rtscts, xonxoff }

    public var baud: Int
    public var dataBits: Int
    public var parity: Parity
    public var stopBits: Int
    public var flowControl: FlowControl

    public init(baud: Int = 9600, dataBits: Int = 8, parity: Parity = .none, stopBits: Int = 1,
                flowControl: FlowControl = .none) {
        self.baud = baud
        self.dataBits = dataBits
        self.parity = parity
        self.stopBits = stopBits
        self.flowControl = flowControl
    }

    /// Rates the Linux termios API can set with `cfsetspeed`.
    public static let supportedBauds: [Int] = [
        1200, 2400, 4800, 9600, 19200, 38400, 57600, 115_200, 230_400, 460_800, 921_600,
    ]

    /// Problems that make the settings unusable, as sentences for the config validator.
    public var problems: [String] {
        var out: [String] = []
        if !Self.supportedBauds.contains(baud) {
            out.append("baud \(baud) is not supported; use one of \(Self.supportedBauds.map(String.init).joined(separator: ", "))")
        }
        if !(5...8).contains(dataBits) { out.append("dataBits must be 5, 6, 7 or 8, not \(dataBits)") }
        if stopBits != 1 && stopBits != 2 { out.append("stopBits must be 1 or 2, not \(stopBits)") }
        return out
    }

    /// `9600 8N1`, the way reader manuals write it.
    public var description: String {
        let p = parity == .none ? "N" : parity == .even ? "E" : "O"
        return "\(baud) \(dataBits)\(p)\(stopBits)" + (flowControl == .none ? "" : " \(flowControl.rawValue)")
    }
}
