/// Why a serial port could not be used. Each case carries the path and the errno text, because
/// the fix differs: a missing device wants a cable, a permission error wants the udev rules and
/// the `tagway` group, a busy port wants the other program stopped.
public enum SerialError: Error, Sendable, Hashable, CustomStringConvertible {
    case notFound(path: String)
    case permissionDenied(path: String)
    case busy(path: String)
    case configure(path: String, call: String, errno: Int32, message: String)
    case io(path: String, call: String, errno: Int32, message: String)
    case disconnected(path: String)

    /// A short stable name for health counters (`errors by kind`).
    public var kind: String {
        switch self {
        case .notFound: "not-found"
        case .permissionDenied: "permission-denied"
        case .busy: "busy"
        case .configure: "configure"
        case .io: "io"
        case .disconnected: "disconnected"
        }
    }

    public var description: String {
        switch self {
        case .notFound(let path): "\(path): no such device (is the reader plugged in?)"
        case .permissionDenied(let path):
            "\(path): permission denied (install the udev rules and add the user to the 'tagway' group)"
        case .busy(let path): "\(path): in use by another program (stop it, or check for a second tagway)"
        case .configure(let path, let call, _, let message): "\(path): \(call) failed: \(message)"
        case .io(let path, let call, _, let message): "\(path): \(call) failed: \(message)"
        case .disconnected(let path): "\(path): device went away"
        }
    }
}
