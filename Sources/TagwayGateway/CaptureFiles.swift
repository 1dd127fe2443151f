/// The recorder's file edge: the one place capture files are created, appended to and deleted,
/// behind a protocol so a test can give the recorder a disk that is slow or full.
///
/// Called only by the recorder's writer thread, one call at a time; an implementation may block
/// (that is what the writer thread is for) and need not lock.
public protocol CaptureFiles: AnyObject, Sendable {
    /// Names in the directory starting with `prefix` (a reader's earlier files).
    func names(startingWith prefix: String) -> [String]
    /// Makes `name` the file `append` writes to, closing the previous one.
    func start(_ name: String) throws(CaptureFileError)
    func append(_ bytes: [UInt8]) throws(CaptureFileError)
    func remove(_ name: String)
    func close()
}

/// A capture file that could not be written: which, what call, and the system's word for it.
public struct CaptureFileError: Error, Hashable, Sendable, CustomStringConvertible {
    public var path: String
    public var call: String
    public var errno: Int32
    public var message: String

    public init(path: String, call: String, errno: Int32, message: String) {
        self.path = path
        self.call = call
        self.errno = errno
        self.message = message
    }

    public var description: String { "\(call) \(path): \(message)" }
}
