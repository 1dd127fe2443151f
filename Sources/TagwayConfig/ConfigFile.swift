import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Reads a configuration or profile file as UTF-8 text, bounded: the size is checked with
/// `stat` before anything is read (a 50 MB file is refused at once, not loaded), a directory is
/// said to be one, and a byte that is not UTF-8 is reported at its line and column.
public enum ConfigFile {
    public static func read(_ path: String) throws(ConfigErrors) -> String {
        func fail(_ message: String, _ expected: String? = nil) -> ConfigErrors {
            ConfigErrors([ConfigError(file: path, line: 0, column: 0, key: "", message: message, expected: expected)])
        }
        var info = stat()
        guard stat(path, &info) == 0 else { throw fail("cannot read the file: \(String(cString: strerror(errno)))") }
        if info.st_mode & S_IFMT == S_IFDIR { throw fail("is a directory", "a YAML file") }
        let limit = ConfigLimits.maxFileBytes
        if info.st_mode & S_IFMT == S_IFREG, info.st_size > limit {
            throw fail("the file is \(info.st_size) bytes", "at most \(limit) bytes (1 MiB)")
        }
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw fail("cannot read the file: \(String(cString: strerror(errno)))")
        }
        defer { try? handle.close() }
        let data: Data
        do {
            // One byte past the limit tells a file that grew since `stat` (or a device) from one that fits.
            data = try handle.read(upToCount: limit + 1) ?? Data()
        } catch {
            throw fail("cannot read the file: \(error.localizedDescription)")
        }
        if data.count > limit { throw fail("the file is more than \(limit) bytes", "at most \(limit) bytes (1 MiB)") }
        return try decode(data, file: path)
    }

    /// The text of `data` that is to become `path` (an edit sent to the API), refused with the
    /// same words as `read` would refuse the file once written: too large, or not UTF-8.
    public static func text(_ data: Data, for path: String) throws(ConfigErrors) -> String {
        let limit = ConfigLimits.maxFileBytes
        if data.count > limit {
            throw ConfigErrors([ConfigError(file: path, line: 0, column: 0, key: "", message: "the file is \(data.count) bytes",
                                            expected: "at most \(limit) bytes (1 MiB)")])
        }
        return try decode(data, file: path)
    }

    /// The text of `data`, or an error at the line and column of the first byte that is not UTF-8.
    static func decode(_ data: Data, file: String) throws(ConfigErrors) -> String {
        var line = 1
        var column = 1
        var offset = 0
        var iterator = data.makeIterator()
        var parser = Unicode.UTF8.ForwardParser()
        while true {
            switch parser.parseScalar(from: &iterator) {
            case .valid(let encoded):
                offset += encoded.count
                if encoded.count == 1, encoded.first == UInt8(ascii: "\n") {
                    line += 1
                    column = 1
                } else {
                    column += 1
                }
            case .error:
                let byte = data[data.startIndex + offset]
                throw ConfigErrors([ConfigError(file: file, line: line, column: column, key: "",
                                                message: "byte 0x\(String(byte, radix: 16)) at offset \(offset) is not UTF-8 text",
                                                expected: "a file saved as UTF-8")])
            case .emptyInput:
                return String(decoding: data, as: UTF8.self)
            }
        }
    }
}

/// A configuration file's top level as both readers (the gateway's and the site's) start it:
/// the YAML parsed with its diagnostics, the top-level mapping with only `allowed` keys, and
/// relative paths resolved against the file's own directory.
struct ConfigDocument {
    let diagnostics: Diagnostics
    let root: YAMLValue
    let map: [String: YAMLValue]
    private let base: String

    init(_ text: String, file: String, allowed: [String]) throws(ConfigErrors) {
        diagnostics = Diagnostics()
        root = YAMLValue(node: try YAMLDocument.parse(text, file: file), file: file, path: "", diagnostics: diagnostics)
        guard let map = root.mapping(allowed: allowed) else { throw ConfigErrors(diagnostics.errors) }
        self.map = map
        base = (file as NSString).deletingLastPathComponent
    }

    /// `path` as written, or against the file's directory (the working directory for a file
    /// named without one) when it is relative.
    func absolute(_ path: String) -> String {
        path.hasPrefix("/") ? path : ((base.isEmpty ? FileManager.default.currentDirectoryPath : base) as NSString).appendingPathComponent(path)
    }
}
