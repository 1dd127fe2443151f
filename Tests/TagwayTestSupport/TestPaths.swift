import Foundation

/// Where test suites find the repository's files and the built `tagway`, shared by every test
/// target so the lookups are written once.
public enum TestPaths {
    /// The repository's `devices/` directory, found upwards from this source file, so tests
    /// validate against the profiles that ship.
    public static let repositoryDevices: String = {
        var url = URL(fileURLWithPath: #filePath)
        while url.path != "/" {
            url.deleteLastPathComponent()
            let candidate = url.appendingPathComponent("devices")
            if FileManager.default.fileExists(atPath: candidate.appendingPathComponent("magicrf").path) { return candidate.path }
        }
        return "devices"
    }()

    /// The repository's top directory.
    public static var repositoryRoot: String { (repositoryDevices as NSString).deletingLastPathComponent }

    /// The `tagway` executable that `swift build` put next to the test bundle.
    public static var tagwayExecutable: URL {
        var dir = Bundle.main.bundleURL
        for _ in 0..<4 {
            let candidate = dir.appendingPathComponent("tagway")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            dir.deleteLastPathComponent()
        }
        return URL(fileURLWithPath: repositoryRoot + "/.build/debug/tagway")
    }

    /// A new empty directory under the system temp directory; the caller removes it.
    public static func temporaryDirectory(_ label: String) -> String {
        let dir = NSTemporaryDirectory() + "tagway-\(label)-\(UUID().uuidString.prefix(8))"
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }
}
